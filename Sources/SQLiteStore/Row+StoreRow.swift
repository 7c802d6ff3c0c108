import GRDB
import StoreModel

extension Row: StoreRow {
    package func text(_ column: String) throws -> String? { self[column] }
    package func integer(_ column: String) throws -> Int64? { self[column] }
}
