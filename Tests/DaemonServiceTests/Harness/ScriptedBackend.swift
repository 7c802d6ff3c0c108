import BOLT11
import Lightning
import Secp256k1
import Synchronization

/// A `LightningBackend` whose answers a test sets: what `pay` answers for each payment hash (at once, an error,
/// or only when the test releases it, as a slow node does), and what `payment(for:)` knows when the daemon
/// reconciles, and what `cancelInvoice` throws. Invoices it creates are real BOLT #11 invoices signed with its node
/// key at the test clock's time; it can also issue invoices of a remote node for the daemon to pay.
final class ScriptedBackend: LightningBackend {
    /// How `pay` answers for one payment hash.
    enum PayScript: Sendable {
        /// Answers at once.
        case answer(PaymentOutcome)
        /// Throws at once.
        case fail(BackendError)
        /// Waits until the test calls ``release(_:with:)``; meanwhile `payment(for:)` says `.pending`.
        case held
    }

    private struct State {
        var scripts: [PaymentHash: PayScript] = [:]
        /// The preimages of the remote invoices this backend issued, which a successful payment reveals.
        var remotePreimages: [PaymentHash: Preimage] = [:]
        /// Every `pay` call, in order.
        var payCalls: [PaymentHash] = []
        var payCallWaiters: [(hash: PaymentHash, continuation: CheckedContinuation<Void, Never>)] = []
        var held: [PaymentHash: CheckedContinuation<PaymentOutcome, Never>] = [:]
        /// What `payment(for:)` answers; a hash that is absent was never seen.
        var known: [PaymentHash: PaymentOutcome] = [:]
        var invoiceCalls = 0
        /// What `cancelInvoice` throws for a hash; a hash that is absent is canceled.
        var cancelErrors: [PaymentHash: BackendError] = [:]
        /// Every `cancelInvoice` call, in order.
        var cancelCalls: [PaymentHash] = []
    }

    let kind = "scripted"
    let network: Network
    /// This node's key: it signs the invoices of `createInvoice`.
    let nodeKey = PrivateKey.random()
    /// Another node's key: it signs the invoices this daemon pays.
    private let remoteKey = PrivateKey.random()
    private let now: @Sendable () -> Int64
    private let state = Mutex(State())

    /// A backend on `network` that dates its invoices by `now`.
    init(network: Network, now: @escaping @Sendable () -> Int64) {
        self.network = network
        self.now = now
    }

    // MARK: Scripting

    /// Sets how `pay` answers for `hash`; without a script it succeeds at once with fee 1 sat.
    func script(_ hash: PaymentHash, _ script: PayScript) {
        state.withLock { $0.scripts[hash] = script }
    }

    /// Sets what `payment(for:)` answers for `hash`: `nil` for a payment the node never saw.
    func knows(_ hash: PaymentHash, _ outcome: PaymentOutcome?) {
        state.withLock { $0.known[hash] = outcome }
    }

    /// Ends a held `pay` call for `hash` with `outcome`.
    func release(_ hash: PaymentHash, with outcome: PaymentOutcome) {
        let continuation = state.withLock { state in
            state.known[hash] = outcome
            return state.held.removeValue(forKey: hash)
        }
        continuation?.resume(returning: outcome)
    }

    /// How many times `pay` was called for `hash`.
    func payCount(_ hash: PaymentHash) -> Int {
        state.withLock { $0.payCalls.count(where: { $0 == hash }) }
    }

    /// Sets what `cancelInvoice` throws for `hash`: `nil` to cancel it.
    func scriptCancel(_ hash: PaymentHash, throwing error: BackendError?) {
        state.withLock { $0.cancelErrors[hash] = error }
    }

    /// How many times `cancelInvoice` was called for `hash`.
    func cancelCount(_ hash: PaymentHash) -> Int {
        state.withLock { $0.cancelCalls.count(where: { $0 == hash }) }
    }

    /// How many invoices `createInvoice` made.
    var invoiceCount: Int { state.withLock { $0.invoiceCalls } }

    /// Returns once `pay` has been called for `hash` (at once when it already was).
    func waitForPayCall(_ hash: PaymentHash) async {
        await withCheckedContinuation { continuation in
            let called = state.withLock { state in
                guard !state.payCalls.contains(hash) else { return true }
                state.payCallWaiters.append((hash, continuation))
                return false
            }
            if called { continuation.resume() }
        }
    }

    /// A remote node's invoice for `amount`, valid for `expirySeconds` from the test clock's now; paying it
    /// succeeds with its preimage unless scripted otherwise.
    func remoteInvoice(amount: MilliSatoshi?, expirySeconds: UInt64 = 3_600) throws -> (
        bolt11: String, hash: PaymentHash, preimage: Preimage
    ) {
        let preimage = Preimage.random()
        let invoice = try signedInvoice(
            preimage: preimage, amount: amount, description: "scripted", descriptionHash: nil,
            expirySeconds: expirySeconds, key: remoteKey)
        state.withLock { $0.remotePreimages[preimage.paymentHash] = preimage }
        return (invoice.bolt11, preimage.paymentHash, preimage)
    }

    // MARK: LightningBackend

    func nodeInfo() async throws(BackendError) -> NodeInfo {
        NodeInfo(
            pubkey: nodeKey.publicKey.compressed.hex, alias: "scripted", network: network, blockHeight: nil,
            synced: true, channelCount: 0, peerCount: 0)
    }

    func channels() async throws(BackendError) -> [ChannelInfo] { [] }

    func balance() async throws(BackendError) -> WalletBalance {
        WalletBalance(balance: MilliSatoshi(1_000_000_000), walletID: "scripted", walletName: "scripted")
    }

    func createInvoice(_ request: InvoiceRequest) async throws(BackendError) -> CreatedInvoice {
        let preimage = request.preimage ?? Preimage.random()
        let invoice: Invoice
        do {
            invoice = try signedInvoice(
                preimage: preimage, amount: request.amount, description: request.description,
                descriptionHash: request.descriptionHash, expirySeconds: request.expirySeconds, key: nodeKey)
        } catch {
            throw BackendError(.invalidRequest, "cannot encode the invoice: \(error.code.name)")
        }
        state.withLock { $0.invoiceCalls += 1 }
        return CreatedInvoice(signedInProcess: invoice, preimage: preimage)
    }

    func invoice(for paymentHash: PaymentHash) async throws(BackendError) -> InvoiceState {
        throw BackendError(.notFound, "the scripted backend keeps no invoice states")
    }

    func cancelInvoice(_ paymentHash: PaymentHash) async throws(BackendError) {
        let error = state.withLock { state in
            state.cancelCalls.append(paymentHash)
            return state.cancelErrors[paymentHash]
        }
        if let error { throw error }
    }

    func pay(_ request: PaymentRequest) async throws(BackendError) -> PaymentOutcome {
        guard let hash = PaymentHash(bytes: request.invoice.fields.paymentHash) else {
            throw BackendError(.invalidRequest, "no payment hash")
        }
        let (script, waiters) = state.withLock { state in
            state.payCalls.append(hash)
            let woken = state.payCallWaiters.filter { $0.hash == hash }.map(\.continuation)
            state.payCallWaiters.removeAll { $0.hash == hash }
            let script = state.scripts[hash] ?? .answer(Self.success(state.remotePreimages[hash]))
            if case .held = script { state.known[hash] = .pending }
            return (script, woken)
        }
        for waiter in waiters { waiter.resume() }
        switch script {
        case .answer(let outcome):
            state.withLock { $0.known[hash] = outcome }
            return outcome
        case .fail(let error):
            throw error
        case .held:
            return await withCheckedContinuation { continuation in
                let outcome = state.withLock { state -> PaymentOutcome? in
                    // Released before this call parked: answer what the test released it with.
                    guard state.known[hash] == .pending else { return state.known[hash] }
                    state.held[hash] = continuation
                    return nil
                }
                if let outcome { continuation.resume(returning: outcome) }
            }
        }
    }

    func payment(for paymentHash: PaymentHash) async throws(BackendError) -> PaymentOutcome? {
        state.withLock { $0.known[paymentHash] }
    }

    /// A test hands settlements to the harness's invoice book itself (`invoices.settle`); this stream ends at once.
    func settlements(after settleIndex: UInt64) -> AsyncThrowingStream<InvoiceSettlement, any Error> {
        AsyncThrowingStream { $0.finish() }
    }

    // MARK: Invoices

    private func signedInvoice(
        preimage: Preimage, amount: MilliSatoshi?, description: String?, descriptionHash: [UInt8]?,
        expirySeconds: UInt64, key: PrivateKey
    ) throws(BOLT11Error) -> Invoice {
        try InvoiceFields(
            network: network, amountMsat: amount.map { UInt64($0.rawValue) }, timestamp: UInt64(now()),
            paymentHash: preimage.paymentHash.bytes, paymentSecret: SecureRandom.bytes(count: 32),
            description: description, descriptionHash: descriptionHash, expirySeconds: expirySeconds,
            features: [8, 14]
        ).signed(with: key)
    }

    /// A payment that succeeded with `preimage` (a fresh one when unknown) and a fee of 1 sat.
    private static func success(_ preimage: Preimage?) -> PaymentOutcome {
        .succeeded(preimage: preimage ?? Preimage.random(), fee: MilliSatoshi(1_000))
    }
}
