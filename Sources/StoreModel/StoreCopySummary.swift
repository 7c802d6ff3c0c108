/// What a store copy holds, checked by SQLite.
package struct StoreCopySummary: Sendable, Equatable {
    /// `PRAGMA integrity_check` answered `ok`.
    package var integrityOK: Bool
    /// The newest event in the copy (0 when its log is empty).
    package var lastEventIndex: Int64
    /// The schema migrations the copy has, in order.
    package var migrations: [String]

    /// Creates a summary.
    package init(integrityOK: Bool, lastEventIndex: Int64, migrations: [String]) {
        self.integrityOK = integrityOK
        self.lastEventIndex = lastEventIndex
        self.migrations = migrations
    }
}
