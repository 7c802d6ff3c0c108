import BOLT11
import Foundation
import GRDB
import Lightning
import Logging
import Secp256k1

/// The embedded Lightning simulation, t4gd's default backend.
///
/// Real invoices (BOLT #11, signed with this node's key), real state (open, paid, canceled, expired) and real
/// payments between every daemon whose dev backend opens the same ledger file: a payment moves millisatoshi
/// atomically from payer to payee, charges the configured fee, settles the payee's invoice and reveals its
/// preimage. There are no channels and no routing: a payee is reachable when it is in the ledger.
/// It refuses mainnet.
public final class DevBackend: LightningBackend {
    /// Dev network settings (`[dev]` in the configuration file).
    public struct Configuration: Sendable {
        /// The shared ledger file; daemons using the same file form one dev network.
        public var ledgerPath: String
        public var network: Network
        /// Balance a node starts with when it first joins the ledger.
        public var startingBalance: MilliSatoshi
        /// Fee charged to the payer: base plus proportional part (millionths of the amount).
        public var feeBase: MilliSatoshi
        public var feeProportionalMillionths: Int64
        public var alias: String
        /// How often the settlement stream looks for new settlements in the shared ledger.
        public var pollInterval: Duration
        /// How long a payment stays in flight before it settles.
        public var paymentLatency: DevPaymentLatency

        /// Creates a configuration.
        public init(
            ledgerPath: String, network: Network, startingBalance: MilliSatoshi = MilliSatoshi(1_000_000_000),
            feeBase: MilliSatoshi = MilliSatoshi(1_000), feeProportionalMillionths: Int64 = 1_000,
            alias: String = "t4gd-dev", pollInterval: Duration = .milliseconds(20),
            paymentLatency: DevPaymentLatency = .none
        ) {
            self.ledgerPath = ledgerPath
            self.network = network
            self.startingBalance = startingBalance
            self.feeBase = feeBase
            self.feeProportionalMillionths = feeProportionalMillionths
            self.alias = alias
            self.pollInterval = pollInterval
            self.paymentLatency = paymentLatency
        }
    }

    public let kind = "dev"
    let configuration: Configuration
    let nodeKey: PrivateKey
    let pubkey: String
    let ledger: DevLedger
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// Payments waiting for their ``Configuration/paymentLatency``.
    let inFlight = DevPaymentsInFlight()

    /// Joins (or creates) the dev network of `configuration.ledgerPath` as the node of `nodeKey`.
    ///
    /// - Throws: `networkMismatch` for mainnet, `unavailable` when the ledger cannot be opened.
    public init(
        configuration: Configuration, nodeKey: PrivateKey, logger: Logger,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) throws(BackendError) {
        guard configuration.network != .mainnet else {
            throw BackendError(.networkMismatch, "the dev backend refuses mainnet: it moves no real money")
        }
        self.configuration = configuration
        self.nodeKey = nodeKey
        self.pubkey = nodeKey.publicKey.compressed.hex
        self.logger = logger
        self.clock = clock
        ledger = try DevLedger(path: configuration.ledgerPath)
        let now = clock()
        try ledgerOperation("join the dev network") {
            try ledger.database.write { database in
                try database.execute(
                    sql: """
                        INSERT INTO nodes (pubkey, alias, balance_msat, funded_msat, created_at) VALUES (?1, ?2, ?3, ?3, ?4)
                        ON CONFLICT (pubkey) DO NOTHING
                        """,
                    arguments: [pubkey, configuration.alias, configuration.startingBalance.rawValue, now])
            }
        }
    }

    public func nodeInfo() async throws(BackendError) -> NodeInfo {
        let peers = try read("read nodes") { try Int.fetchOne($0, sql: "SELECT count(*) - 1 FROM nodes") ?? 0 }
        return NodeInfo(
            pubkey: pubkey, alias: configuration.alias, network: configuration.network,
            blockHeight: clock() / 600, synced: true, channelCount: 0, peerCount: peers)
    }

    public func channels() async throws(BackendError) -> [ChannelInfo] { [] }

    public func balance() async throws(BackendError) -> WalletBalance {
        let balance = try read("read balance") { database in
            try Int64.fetchOne(database, sql: "SELECT balance_msat FROM nodes WHERE pubkey = ?", arguments: [pubkey])
                ?? 0
        }
        return WalletBalance(balance: MilliSatoshi(balance), walletID: pubkey, walletName: configuration.alias)
    }

    public func createInvoice(_ request: InvoiceRequest) async throws(BackendError) -> CreatedInvoice {
        let preimage = request.preimage ?? Preimage.random()
        let now = clock()
        let fields = InvoiceFields(
            network: configuration.network, amountMsat: request.amount.map { UInt64($0.rawValue) },
            timestamp: UInt64(now), paymentHash: preimage.paymentHash.bytes,
            paymentSecret: SecureRandom.bytes(count: 32),
            description: request.description, descriptionHash: request.descriptionHash,
            expirySeconds: request.expirySeconds, features: [8, 14])
        let invoice: Invoice
        do {
            invoice = try fields.signed(with: nodeKey)
        } catch {
            throw BackendError(.invalidRequest, "cannot encode the invoice: \(error.code.name)")
        }
        try await write("store the invoice") { [pubkey] database in
            // Cached: parsed once per connection, not once per invoice.
            try database.cachedStatement(
                sql: """
                    INSERT INTO invoices (payment_hash, payee, amount_msat, preimage, status, expires_at)
                    VALUES (?, ?, ?, ?, 'open', ?)
                    """
            ).execute(
                arguments: [
                    preimage.paymentHash.hex, pubkey, request.amount?.rawValue, preimage.hex,
                    now + Int64(request.expirySeconds),
                ])
        }
        return CreatedInvoice(signedInProcess: invoice, preimage: preimage)
    }

    public func invoice(for paymentHash: PaymentHash) async throws(BackendError) -> InvoiceState {
        let now = clock()
        let state = try read("read the invoice") { database -> InvoiceState? in
            guard
                let row = try Row.fetchOne(
                    database, sql: "SELECT * FROM invoices WHERE payment_hash = ? AND payee = ?",
                    arguments: [paymentHash.hex, pubkey])
            else { return nil }
            return Self.state(of: row, now: now)
        }
        guard let state else { throw BackendError(.notFound, "no invoice \(paymentHash.hex) on this node") }
        return state
    }

    public func cancelInvoice(_ paymentHash: PaymentHash) async throws(BackendError) {
        let changed = try await write("cancel the invoice") { [pubkey] database in
            try database.execute(
                sql: "UPDATE invoices SET status = 'canceled' WHERE payment_hash = ? AND payee = ? AND status = 'open'",
                arguments: [paymentHash.hex, pubkey])
            return database.changesCount
        }
        if changed == 0 {
            let state = try await invoice(for: paymentHash)
            if state.status == .paid { throw BackendError(.alreadyPaid, "the invoice is already paid") }
        }
    }

    public func settlements(after settleIndex: UInt64) -> AsyncThrowingStream<InvoiceSettlement, any Error> {
        let (stream, continuation) = AsyncThrowingStream<InvoiceSettlement, any Error>.makeStream()
        let task = Task { [self] in
            var last = Int64(settleIndex)
            while !Task.isCancelled {
                do {
                    for settlement in try newSettlements(after: last) {
                        continuation.yield(settlement)
                        last = Int64(settlement.settleIndex)
                    }
                    try await Task.sleep(for: configuration.pollInterval)
                } catch {
                    continuation.finish(throwing: error)
                    return
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func newSettlements(after index: Int64) throws(BackendError) -> [InvoiceSettlement] {
        try read("read settlements") { database in
            try Row.fetchAll(
                database,
                sql: """
                    SELECT payment_hash, amount_received_msat, preimage, paid_at, settle_index FROM invoices
                    WHERE payee = ? AND settle_index > ? ORDER BY settle_index LIMIT 1000
                    """,
                arguments: [pubkey, index]
            ).compactMap { row in
                guard let hash = PaymentHash(hex: row["payment_hash"]), let preimage = Preimage(hex: row["preimage"])
                else { return nil }
                return InvoiceSettlement(
                    paymentHash: hash, amountReceived: MilliSatoshi(rawValue: row["amount_received_msat"]),
                    preimage: preimage, paidAt: row["paid_at"], settleIndex: UInt64(row["settle_index"] as Int64))
            }
        }
    }

    static func state(of row: Row, now: Int64) -> InvoiceState {
        var status = InvoiceStatus(rawValue: row["status"]) ?? .open
        if status == .open, (row["expires_at"] as Int64) <= now { status = .expired }
        return InvoiceState(
            status: status, amountReceived: (row["amount_received_msat"] as Int64?).map(MilliSatoshi.init(rawValue:)),
            preimage: status == .paid ? Preimage(hex: row["preimage"]) : nil, paidAt: row["paid_at"],
            settleIndex: (row["settle_index"] as Int64?).map { UInt64($0) })
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(BackendError) -> T {
        try ledgerOperation(operation) { try ledger.database.read(body) }
    }

    /// Runs `body` as one write of the ledger's next group commit; returns once it is durable.
    func write<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(BackendError) -> T {
        do {
            return try await ledger.writer.write(body)
        } catch {
            throw Self.ledgerError(error, operation: operation)
        }
    }

    private func ledgerOperation<T>(_ operation: String, _ body: () throws -> T) throws(BackendError) -> T {
        do {
            return try body()
        } catch {
            throw Self.ledgerError(error, operation: operation)
        }
    }

    /// A backend error as it is, anything else as the ledger being unavailable (without SQL or arguments).
    private static func ledgerError(_ error: any Error, operation: String) -> BackendError {
        (error as? BackendError) ?? BackendError(.unavailable, "dev ledger: cannot \(operation)")
    }
}
