import Logging

extension Logger {
    /// A logger that drops everything, for tests.
    static let test = Logger(label: "t4gd.rpc.test", factory: { _ in SwiftLogNoOpLogHandler() })
}
