import PostgresNIO
import StoreModel

/// Values of the shared SQL (`StoreValue`) bound to PostgreSQL's parameters.
extension PostgresStore {
    /// The query of `sql`, written with SQLite's numbered parameters `?N`, bound to `values`.
    static func query(_ sql: String, _ values: [StoreValue]) -> PostgresQuery {
        PostgresQuery(unsafeSQL: dollarParameters(sql), binds: bindings(values))
    }

    /// `values` bound in order as `$1`, `$2`, ….
    static func bindings(_ values: [StoreValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let integer): bindings.append(integer)
            case .text(let text): bindings.append(text)
            }
        }
        return bindings
    }

    /// `sql` with SQLite's numbered parameters `?N` written as PostgreSQL's `$N`.
    static func dollarParameters(_ sql: String) -> String {
        String(sql.map { $0 == "?" ? "$" : $0 })
    }
}
