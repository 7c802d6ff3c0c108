/// What a store copy holds, checked by SQLite.
public struct StoreCopySummary: Sendable, Equatable {
    /// `PRAGMA integrity_check` answered `ok`.
    public var integrityOK: Bool
    /// The newest event in the copy (0 when its log is empty).
    public var lastEventIndex: Int64
    /// The schema migrations the copy has, in order.
    public var migrations: [String]

    /// Creates a summary.
    public init(integrityOK: Bool, lastEventIndex: Int64, migrations: [String]) {
        self.integrityOK = integrityOK
        self.lastEventIndex = lastEventIndex
        self.migrations = migrations
    }
}
