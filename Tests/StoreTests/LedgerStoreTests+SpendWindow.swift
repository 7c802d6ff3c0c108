import GRDB
import Lightning
import PostgresNIO
import Store
import TestSupport
import Testing

@testable import PostgresStore

/// The rolling daily spend read from hour buckets (`SpendBuckets`): exact at every second, on both engines.
extension LedgerStoreTests {
    @Test(arguments: StoreEngines.all) func theDailySpendIsExactAlthoughReadFromHourBuckets(engine: String)
        async throws
    {
        defer { directory.remove() }
        let url = try await StoreEngines.url(engine, in: directory)
        let store = try await openStore(url)
        _ = try await store.createAccount(account("a", limits: AccountLimits(dailySpend: MilliSatoshi(1_000_000_000))))
        _ = try await store.createAccount(account("b"))
        try await fund(store, "a", 1_000_000)
        // A transfer every 20 minutes for 30 hours, starting off the hour, checked against the sum of every spend
        // of the window, right after a spend and in the middle of an hour.
        let start: Int64 = 2_001_234
        var spends: [(at: Int64, amount: Int64)] = []
        func expected(at now: Int64) -> Int64 { spends.filter { $0.at > now - day }.reduce(0) { $0 + $1.amount } }
        for number in 0..<90 {
            let at = start + Int64(number) * 1_200
            let amount = Int64(100 + number)
            guard case .transferred = try await send(store, transfer("a", "b", amount, key: "w\(number)", at: at))
            else {
                Issue.record("transfer \(number) refused")
                return
            }
            spends.append((at, amount))
            for now in [at, at + 1_799] {
                #expect(try await store.account(id: "a", now: now)?.spentLastDay == expected(at: now), "at \(now)")
            }
        }
        let last = start + 89 * 1_200
        for now in stride(from: last, through: last + day + 3_600, by: 997) {
            #expect(try await store.account(id: "a", now: now)?.spentLastDay == expected(at: now), "at \(now)")
        }
        try await store.close()
        #expect(try await bucketsOf("a", engine: engine, url: url) <= SpendBuckets.keptHours + 1)
    }

    @Test(arguments: StoreEngines.all) func aDailyLimitFreesEachSpendAtItsOwnSecond(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(try await StoreEngines.url(engine, in: directory))
        _ = try await store.createAccount(account("a", limits: AccountLimits(dailySpend: MilliSatoshi(1_000))))
        _ = try await store.createAccount(account("b"))
        try await fund(store, "a", 10_000)
        // 600 fifty seconds before an hour begins, 400 fifty seconds after: the window is full until the first
        // leaves it, to the second, although the second is read from its hour's bucket.
        let first: Int64 = 700 * 3_600 - 50
        guard case .transferred = try await send(store, transfer("a", "b", 600, key: "1", at: first)),
            case .transferred = try await send(store, transfer("a", "b", 400, key: "2", at: first + 100))
        else {
            Issue.record("within the limit, refused")
            return
        }
        guard
            case .refused(.limitExceeded(limit: "daily_spend_msat", _)) =
                try await send(store, transfer("a", "b", 1, key: "3", at: first + day - 1))
        else {
            Issue.record("the first spend left the window a second early")
            return
        }
        guard case .transferred = try await send(store, transfer("a", "b", 600, key: "4", at: first + day)) else {
            Issue.record("the first spend did not leave the window at its second")
            return
        }
        #expect(try await store.account(id: "a", now: first + day)?.spentLastDay == 1_000)
    }

    /// How many hour buckets the store keeps for `account`.
    func bucketsOf(_ account: String, engine: String, url: String) async throws -> Int64 {
        let sql = "SELECT count(*) AS n FROM spend_buckets WHERE account = '\(account)'"
        if engine == "sqlite" {
            return try await DatabaseQueue(path: directory.file("store.sqlite")).read { try Int64.fetchOne($0, sql: sql) }
                ?? 0
        }
        let store = try await openStore(url)
        defer { Task { try await store.close() } }
        let postgres = try #require(store.base as? PostgresStore)
        return try await postgres.client.withConnection { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql), postgres.logger).first?.integer("n") ?? 0
        }
    }
}
