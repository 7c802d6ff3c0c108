import GRDB
import StoreModel

/// Values of the shared SQL (`StoreValue`) as GRDB arguments.
extension SQLiteStore {
    /// `values` as GRDB's statement arguments.
    static func arguments(_ values: [StoreValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: nil
                case .integer(let integer): integer
                case .text(let text): text
                }
            })
    }
}
