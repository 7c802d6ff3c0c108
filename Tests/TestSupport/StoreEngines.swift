/// The store engines a parameterized test runs against (`@Test(arguments: StoreEngines.all)`), by the name
/// `store.url` takes: `sqlite` and `postgres`.
public enum StoreEngines {
    /// Every engine.
    public static let all = ["sqlite", "postgres"]

    /// A fresh store URL of `engine`: a SQLite file in `directory`, or a new database in the shared cluster.
    public static func url(_ engine: String, in directory: TemporaryDirectory) async throws -> String {
        engine == "postgres" ? try await PostgresServer.shared.database() : "sqlite:" + directory.file("store.sqlite")
    }
}
