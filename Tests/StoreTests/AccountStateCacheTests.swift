import Lightning
import Store
import StoreModel
import TestSupport
import Testing

@testable import SQLiteStore

/// SQLite's cache of `account.get` reads: kept for one second of `now`, dropped when a commit changes the
/// account's rows, and never keeping what a read saw before a commit that ended while it ran.
@Suite struct AccountStateCacheTests {
    let directory = TemporaryDirectory()

    func state(_ balance: Int64) -> AccountState {
        AccountState(
            account: AccountRecord(
                id: "user:1", name: nil, metadata: nil, limits: AccountLimits(), createdAt: 1, requestFingerprint: "f"),
            balance: balance, held: 0, spentLastDay: 0)
    }

    let rows = AccountStateCache.Rows(account: 1, balance: 1)

    @Test func aReadIsKeptForItsSecondUntilItsRowsChange() {
        let cache = AccountStateCache()
        cache.keep(state(5), rows: rows, of: "user:1", now: 100, readFrom: cache.generation)
        cache.keep(state(7), rows: .init(account: 2, balance: 2), of: "user:2", now: 100, readFrom: cache.generation)
        #expect(cache.state(of: "user:1", now: 100) == .some(state(5)))
        #expect(cache.state(of: "user:1", now: 101) == nil, "another second reads again")
        cache.committed(accountRows: [], balanceRows: [2])
        #expect(cache.state(of: "user:1", now: 100) == .some(state(5)), "another account's balance changed")
        #expect(cache.state(of: "user:2", now: 100) == nil)
        cache.committed(accountRows: [1], balanceRows: [])
        #expect(cache.state(of: "user:1", now: 100) == nil)
    }

    @Test func anAbsentAccountIsKeptUntilAnAccountIsWritten() {
        let cache = AccountStateCache()
        cache.keep(nil, rows: nil, of: "user:3", now: 100, readFrom: cache.generation)
        #expect(cache.state(of: "user:3", now: 100) == .some(nil))
        cache.committed(accountRows: [], balanceRows: [9])
        #expect(cache.state(of: "user:3", now: 100) == .some(nil), "a balance moved, no account was added")
        cache.committed(accountRows: [9], balanceRows: [])
        #expect(cache.state(of: "user:3", now: 100) == nil)
    }

    @Test func aReadThatBeganBeforeACommitIsNotKept() {
        let cache = AccountStateCache()
        let began = cache.generation
        cache.committed(accountRows: [], balanceRows: [42])
        cache.keep(state(5), rows: rows, of: "user:1", now: 100, readFrom: began)
        #expect(cache.state(of: "user:1", now: 100) == nil)
    }

    @Test func aFullCacheStartsAgain() {
        let cache = AccountStateCache()
        for number in 0..<AccountStateCache.capacity {
            cache.keep(state(Int64(number)), rows: rows, of: "user:\(number)", now: 100, readFrom: cache.generation)
        }
        cache.keep(state(-1), rows: rows, of: "user:new", now: 100, readFrom: cache.generation)
        #expect(cache.state(of: "user:0", now: 100) == nil)
        #expect(cache.state(of: "user:new", now: 100) == .some(state(-1)))
    }

    @Test func everyWriteIsSeenByTheNextReadOfTheSameSecond() async throws {
        defer { directory.remove() }
        let store = try await Store(
            configuration: .init(location: try StoreLocation(url: "sqlite:" + directory.file("store.sqlite"))))
        let record = AccountRecord(
            id: "user:1", name: "one", metadata: nil, limits: AccountLimits(), createdAt: 1, requestFingerprint: "f")
        #expect(try await store.account(id: "user:1", now: 100) == nil)
        _ = try await store.createAccount(record)
        #expect(
            try await store.account(id: "user:1", now: 100)?.account.name == "one", "the create ended the cached nil")
        for round in 1...20 {
            _ = try await store.updateAccount("user:1", AccountChange(name: "name \(round)"), now: 100)
            #expect(try await store.account(id: "user:1", now: 100)?.account.name == "name \(round)")
            let transfer = TransferRecord(
                transferID: "t\(round)", from: AccountRecord.treasury, to: "user:1", amount: MilliSatoshi(10),
                memo: nil, createdAt: 100)
            let key = WriteKey(
                method: "account.transfer", key: "k\(round)", fingerprint: "f\(round)", objectID: "t\(round)",
                createdAt: 100)
            guard case .transferred = try await store.transfer(transfer, key: key) else {
                Issue.record("transfer \(round) refused")
                return
            }
            #expect(try await store.account(id: "user:1", now: 100)?.balance == Int64(10 * round))
        }
    }
}
