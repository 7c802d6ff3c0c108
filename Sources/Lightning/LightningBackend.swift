import BOLT11

/// One uniform interface over the Lightning nodes and wallets t4gd drives (dev, LND, LNbits).
///
/// Every method is bounded by the backend's own deadline and throws ``BackendError``. Implementations are
/// stateless towards the daemon's store: the daemon records intents before calling them and reconciles
/// with `payment(for:)` and `invoice(for:)` after a crash or an ambiguous failure.
public protocol LightningBackend: Sendable {
    /// A short name of the backend kind: `dev`, `lnd`, `lnbits`.
    var kind: String { get }

    /// The node behind the backend.
    func nodeInfo() async throws(BackendError) -> NodeInfo
    /// The node's channels (empty for wallets without channels).
    func channels() async throws(BackendError) -> [ChannelInfo]
    /// Spendable balance.
    func balance() async throws(BackendError) -> WalletBalance
    /// Creates an invoice for which the backend holds (or was given) the preimage.
    func createInvoice(_ request: InvoiceRequest) async throws(BackendError) -> CreatedInvoice
    /// The backend's view of an invoice it issued.
    func invoice(for paymentHash: PaymentHash) async throws(BackendError) -> InvoiceState
    /// Cancels an open invoice (`unsupported` where the backend cannot).
    func cancelInvoice(_ paymentHash: PaymentHash) async throws(BackendError)
    /// Pays an invoice and waits for the outcome, at most `request.timeout` (then `.pending`).
    func pay(_ request: PaymentRequest) async throws(BackendError) -> PaymentOutcome
    /// The backend's view of an outgoing payment, or `nil` when it never saw one for this hash.
    func payment(for paymentHash: PaymentHash) async throws(BackendError) -> PaymentOutcome?
    /// Settlements of invoices issued by this backend, starting after `settleIndex` (0 for all), in order.
    /// The stream ends when the connection is lost; the caller resumes from the last index it stored.
    func settlements(after settleIndex: UInt64) -> AsyncThrowingStream<InvoiceSettlement, any Error>
    /// Releases connections; the daemon calls it once, last.
    func shutdown() async
}

extension LightningBackend {
    /// Nothing to release by default.
    public func shutdown() async {}
}

/// What a backend says about its node. `nil` where the backend cannot know (LNbits knows no node identity,
/// chain height or sync state), never a made-up value.
public struct NodeInfo: Sendable, Hashable {
    public var pubkey: String?
    public var alias: String
    public var network: Network
    public var blockHeight: Int64?
    public var synced: Bool?
    public var channelCount: Int
    public var peerCount: Int

    /// Creates node information.
    public init(
        pubkey: String?, alias: String, network: Network, blockHeight: Int64?, synced: Bool?, channelCount: Int,
        peerCount: Int
    ) {
        self.pubkey = pubkey
        self.alias = alias
        self.network = network
        self.blockHeight = blockHeight
        self.synced = synced
        self.channelCount = channelCount
        self.peerCount = peerCount
    }
}

/// One channel of the node.
public struct ChannelInfo: Sendable, Hashable {
    public var id: String
    public var peer: String
    public var capacity: MilliSatoshi
    public var localBalance: MilliSatoshi
    public var remoteBalance: MilliSatoshi
    public var active: Bool

    /// Creates channel information.
    public init(
        id: String, peer: String, capacity: MilliSatoshi, localBalance: MilliSatoshi, remoteBalance: MilliSatoshi,
        active: Bool
    ) {
        self.id = id
        self.peer = peer
        self.capacity = capacity
        self.localBalance = localBalance
        self.remoteBalance = remoteBalance
        self.active = active
    }
}

/// A wallet's spendable balance.
public struct WalletBalance: Sendable, Hashable {
    public var balance: MilliSatoshi
    public var walletID: String
    public var walletName: String

    /// Creates a balance.
    public init(balance: MilliSatoshi, walletID: String, walletName: String) {
        self.balance = balance
        self.walletID = walletID
        self.walletName = walletName
    }
}

/// What the daemon asks a backend to invoice.
public struct InvoiceRequest: Sendable, Hashable {
    /// `nil` for an any-amount invoice.
    public var amount: MilliSatoshi?
    /// Either a description or the hash of one.
    public var description: String?
    public var descriptionHash: [UInt8]?
    public var expirySeconds: UInt64
    /// A preimage chosen by the daemon; backends that cannot take one make their own.
    public var preimage: Preimage?

    /// Creates a request.
    public init(
        amount: MilliSatoshi?, description: String?, descriptionHash: [UInt8]?, expirySeconds: UInt64,
        preimage: Preimage?
    ) {
        self.amount = amount
        self.description = description
        self.descriptionHash = descriptionHash
        self.expirySeconds = expirySeconds
        self.preimage = preimage
    }
}

/// An invoice a backend created.
public struct CreatedInvoice: Sendable, Hashable {
    public var bolt11: String
    public var paymentHash: PaymentHash
    /// The preimage when the backend reveals it at creation (dev, LND); `nil` for LNbits.
    public var preimage: Preimage?
    /// The backend's add index, where it has one.
    public var addIndex: UInt64?
    /// The invoice as decoded, when an in-process backend signed it with this codec (dev); `nil` from a
    /// remote node or wallet, whose `bolt11` the daemon decodes and verifies itself.
    public var signedInProcess: Invoice?

    /// Creates the result of a remote backend.
    public init(bolt11: String, paymentHash: PaymentHash, preimage: Preimage?, addIndex: UInt64?) {
        self.bolt11 = bolt11
        self.paymentHash = paymentHash
        self.preimage = preimage
        self.addIndex = addIndex
    }

    /// Creates the result of an in-process backend that signed `invoice` itself.
    public init(signedInProcess invoice: Invoice, preimage: Preimage) {
        self.init(bolt11: invoice.bolt11, paymentHash: preimage.paymentHash, preimage: preimage, addIndex: nil)
        signedInProcess = invoice
    }
}

/// The backend's view of one invoice.
public struct InvoiceState: Sendable, Hashable {
    public var status: InvoiceStatus
    public var amountReceived: MilliSatoshi?
    public var preimage: Preimage?
    public var paidAt: Int64?
    public var settleIndex: UInt64?

    /// Creates a state.
    public init(
        status: InvoiceStatus, amountReceived: MilliSatoshi?, preimage: Preimage?, paidAt: Int64?,
        settleIndex: UInt64?
    ) {
        self.status = status
        self.amountReceived = amountReceived
        self.preimage = preimage
        self.paidAt = paidAt
        self.settleIndex = settleIndex
    }
}

/// A settled invoice, as a backend's settlement stream delivers it.
public struct InvoiceSettlement: Sendable, Hashable {
    public var paymentHash: PaymentHash
    public var amountReceived: MilliSatoshi
    public var preimage: Preimage
    public var paidAt: Int64
    /// Position in the backend's settlement order; resume after the last one stored.
    public var settleIndex: UInt64

    /// Creates a settlement.
    public init(
        paymentHash: PaymentHash, amountReceived: MilliSatoshi, preimage: Preimage, paidAt: Int64,
        settleIndex: UInt64
    ) {
        self.paymentHash = paymentHash
        self.amountReceived = amountReceived
        self.preimage = preimage
        self.paidAt = paidAt
        self.settleIndex = settleIndex
    }
}

/// What the daemon asks a backend to pay.
public struct PaymentRequest: Sendable {
    /// The decoded, signature-checked invoice.
    public var invoice: Invoice
    /// The amount to pay: the invoice's, or the caller's for an any-amount invoice.
    public var amount: MilliSatoshi
    public var maxFee: MilliSatoshi
    public var timeoutSeconds: UInt64

    /// Creates a request.
    public init(invoice: Invoice, amount: MilliSatoshi, maxFee: MilliSatoshi, timeoutSeconds: UInt64) {
        self.invoice = invoice
        self.amount = amount
        self.maxFee = maxFee
        self.timeoutSeconds = timeoutSeconds
    }
}

/// How an outgoing payment ended, or that it has not ended yet.
public enum PaymentOutcome: Sendable, Hashable {
    case pending
    case succeeded(preimage: Preimage, fee: MilliSatoshi)
    case failed(PaymentFailureReason)
}
