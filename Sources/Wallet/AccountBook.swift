import JSONRPC
import Lightning
import Secp256k1
import Store

/// The accounts ledger's rules between the `account.*` methods and the store: ids, idempotent creation,
/// transfers with their idempotency key, and the RPC errors of a ledger refusal.
package struct AccountBook: Sendable {
    /// What `account.create` asks for.
    package struct CreateRequest: Sendable {
        package var id: String
        package var name: String?
        package var metadata: String?
        package var limits: AccountLimits

        /// Creates a request.
        package init(id: String, name: String?, metadata: String?, limits: AccountLimits) {
            self.id = id
            self.name = name
            self.metadata = metadata
            self.limits = limits
        }
    }

    /// What `account.transfer` asks for.
    package struct TransferRequest: Sendable {
        package var from: String
        package var to: String
        package var amount: MilliSatoshi
        package var memo: String?
        package var idempotencyKey: String

        /// Creates a request.
        package init(from: String, to: String, amount: MilliSatoshi, memo: String?, idempotencyKey: String) {
            self.from = from
            self.to = to
            self.amount = amount
            self.memo = memo
            self.idempotencyKey = idempotencyKey
        }
    }

    let store: Store
    let events: EventBus
    let now: @Sendable () -> Int64

    /// A book over `store`, announcing its events on `events`.
    package init(store: Store, events: EventBus, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.events = events
        self.now = now
    }

    /// The pattern of an account id a caller may choose (docs/accounts.md).
    package static let callerIDPattern = "^[a-z0-9][a-z0-9._:/-]{0,127}$"

    /// Whether `id` matches ``callerIDPattern`` (system accounts start with `@` and never do).
    package static func isCallerID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard let first = bytes.first, bytes.count <= 128, isLowerAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || ".:_/-".utf8.contains($0) }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Creates an account; the same id with the same params returns it as a replay, other params are
    /// `account_conflict` with the account in `data.existing`.
    package func create(_ request: CreateRequest) async throws -> WriteOutcome<AccountState> {
        let fingerprint = RequestFingerprint.of([
            request.id, request.name ?? "\u{0}", request.metadata ?? "\u{0}",
            request.limits.maxPayment.map { String($0.rawValue) } ?? "-",
            request.limits.dailySpend.map { String($0.rawValue) } ?? "-",
        ])
        let record = AccountRecord(
            id: request.id, name: request.name, metadata: request.metadata, limits: request.limits, createdAt: now(),
            requestFingerprint: fingerprint)
        let inserted: Result<AccountInsertion, StoreError>
        do {
            inserted = .success(try await store.createAccount(record))
        } catch {
            inserted = .failure(error)
        }
        switch inserted {
        case .success(.created(let state)): return .firstCall(state)
        case .success(.existing(let state)): return .replay(state)
        case .failure(let error) where error.code == .accountConflict:
            let existing = try await get(request.id)
            throw DaemonError(
                .accountConflict, "account \(request.id) exists with other parameters",
                data: ["existing": .object(AccountPayloads.account(existing))])
        case .failure(let error): throw error
        }
    }

    /// The account `id`, or `account_not_found`.
    package func get(_ id: String) async throws -> AccountState {
        guard let state = try await store.account(id: id, now: now()) else { throw Self.notFound(id) }
        return state
    }

    /// Changes a caller's account; `account_not_found`, or `account_conflict` once it is closed.
    package func update(_ id: String, _ change: AccountChange) async throws -> AccountState {
        let updated: Result<AccountState?, StoreError>
        do {
            updated = .success(try await store.updateAccount(id, change, now: now()))
        } catch {
            updated = .failure(error)
        }
        guard let state = try Self.conflictMapped(updated) else { throw Self.notFound(id) }
        return state
    }

    /// Closes a caller's empty account (a closed one is returned as a replay).
    package func close(_ id: String) async throws -> WriteOutcome<AccountState> {
        let before = try await get(id)
        let closed: Result<AccountState?, StoreError>
        do {
            closed = .success(try await store.closeAccount(id, now: now()))
        } catch {
            closed = .failure(error)
        }
        guard let state = try Self.conflictMapped(closed) else { throw Self.notFound(id) }
        return before.account.status == .closed ? .replay(state) : .firstCall(state)
    }

    /// The value of a store call, its `accountConflict` as the RPC error `account_conflict`.
    private static func conflictMapped<Value>(_ result: Result<Value, StoreError>) throws -> Value {
        switch result {
        case .success(let value): return value
        case .failure(let error) where error.code == .accountConflict:
            throw DaemonError(.accountConflict, error.detail)
        case .failure(let error): throw error
        }
    }

    /// Moves money between two caller accounts, atomically checked; a repeat of the key with the same params
    /// returns the first transfer (`replayed`), with other params `idempotency_conflict` (`data.existing`).
    package func transfer(_ request: TransferRequest) async throws -> WriteOutcome<TransferRecord> {
        let at = now()
        let transferID = SecureRandom.bytes(count: 16).hex
        let record = TransferRecord(
            transferID: transferID, from: request.from, to: request.to, amount: request.amount, memo: request.memo,
            createdAt: at)
        let key = WriteKey(
            method: "account.transfer", key: request.idempotencyKey,
            fingerprint: RequestFingerprint.of([
                request.from, request.to, String(request.amount.rawValue), request.memo ?? "\u{0}",
            ]), objectID: transferID, createdAt: at)
        let outcome: Result<TransferOutcome, StoreError>
        do {
            outcome = .success(try await store.transfer(record, key: key))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(.transferred(let stored, let appended)):
            if let last = appended.last { await events.published(upTo: last.index) }
            return .firstCall(stored)
        case .success(.replayed(let stored)): return .replay(stored)
        case .success(.refused(let refusal)): throw Self.error(for: refusal)
        case .failure(let error) where error.code == .idempotencyConflict:
            guard let stored = try await store.writeKey(method: key.method, key: key.key),
                let first = try await store.transfer(id: stored.objectID)
            else { throw DaemonError(.idempotencyConflict, "the idempotency key was used for another transfer") }
            throw DaemonError(
                .idempotencyConflict, "the idempotency key was used for a transfer with other parameters",
                data: ["existing": .object(AccountPayloads.transfer(first))])
        case .failure(let error): throw error
        }
    }

    /// Refuses an account that does not exist or is closed as the receiver of an invoice.
    package static func requireReceiving(_ id: String, store: Store, now: Int64) async throws {
        // A system account exists from the schema on and is never closed (account.close refuses it): no read.
        guard !AccountRecord.isSystem(id) else { return }
        guard let state = try await store.account(id: id, now: now) else { throw notFound(id) }
        guard state.account.status != .closed else { throw error(for: .accountFrozen(id, .closed)) }
    }

    /// The RPC error of a ledger refusal.
    package static func error(for refusal: LedgerRefusal) -> DaemonError {
        switch refusal {
        case .accountNotFound(let id): notFound(id)
        case .accountFrozen(let id, let status):
            DaemonError(
                .accountFrozen, "account \(id) is \(status.rawValue)", data: ["status": .string(status.rawValue)])
        case .insufficientFunds(let available):
            DaemonError(
                .insufficientFunds, "the account's available balance does not cover the amount",
                data: ["available_msat": .integer(available)])
        case .limitExceeded(let limit, let retryAfter):
            DaemonError(
                .limitExceeded, "the account's \(limit) refuses the amount",
                data: retryAfter.map { ["limit": .string(limit), "retry_after_s": .integer($0)] }
                    ?? ["limit": .string(limit)])
        }
    }

    private static func notFound(_ id: String) -> DaemonError {
        DaemonError(.accountNotFound, "no account \(id)")
    }
}
