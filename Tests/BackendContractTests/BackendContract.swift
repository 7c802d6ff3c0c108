import BOLT11
import Foundation
import Lightning
import Testing

/// The behaviours every backend promises, run in sequence against one ``ContractSubject``.
enum BackendContract {
    /// Runs every step; records issues through `#expect` and throws on the first step that cannot go on.
    /// Returns the preimages revealed, for checks that none was logged.
    @discardableResult
    static func run(_ subject: ContractSubject) async throws -> [Preimage] {
        let a = subject.payer
        let b = subject.payee
        #expect(try await b.nodeInfo().network == subject.network)
        #expect(try await a.nodeInfo().network == subject.network)

        // B invoices; the invoice decodes natively with the right amount, hash and payee.
        let first = try await b.createInvoice(request(21_000, "contract 1"))
        let decoded = try Invoice(bolt11: first.bolt11)
        #expect(decoded.fields.amountMsat == 21_000)
        #expect(decoded.fields.paymentHash == first.paymentHash.bytes)
        #expect(decoded.fields.network == subject.network)
        if let key = subject.payeeKey { #expect(decoded.payee.compressed.hex == key) }
        #expect((first.preimage != nil) == subject.revealsPreimage)
        if let preimage = first.preimage { #expect(preimage.paymentHash == first.paymentHash) }
        #expect(try await b.invoice(for: first.paymentHash).status == .open)

        // A pays it: money moves, B's invoice is paid with the preimage, A's payment succeeded.
        let payerBefore = try await a.balance().balance
        let payeeBefore = try await b.balance().balance
        guard case .succeeded(let preimage, let fee) = try await pay(a, first.bolt11) else {
            Issue.record("\(subject.name): the payment did not succeed")
            return []
        }
        #expect(preimage.paymentHash == first.paymentHash)
        if let known = first.preimage { #expect(preimage == known) }
        let paid = try await b.invoice(for: first.paymentHash)
        #expect(paid.status == .paid)
        #expect(paid.preimage == preimage)
        #expect(paid.amountReceived == MilliSatoshi(21_000))
        #expect(try await a.balance().balance == payerBefore - MilliSatoshi(21_000) - fee)
        #expect(try await b.balance().balance == payeeBefore + MilliSatoshi(21_000))
        #expect(try await a.payment(for: first.paymentHash) == .succeeded(preimage: preimage, fee: fee))
        #expect(try await b.payment(for: first.paymentHash) == nil)

        // B's settlement stream yields it with the invoice's settle index, and resumes after that index.
        let firstIndex = try #require(paid.settleIndex, "\(subject.name): a paid invoice has a settle index")
        let backlog = try await settlements(b.settlements(after: 0), until: first.paymentHash)
        #expect(backlog.last?.settleIndex == firstIndex)
        #expect(backlog.last?.preimage == preimage)
        #expect(backlog.last?.amountReceived == MilliSatoshi(21_000))
        let second = try await b.createInvoice(request(22_000, "contract 2"))
        try await expectPaid(a, second)
        let resumed = try await settlements(b.settlements(after: firstIndex), until: second.paymentHash)
        let revealed = [preimage] + resumed.map(\.preimage)
        #expect(resumed.map(\.paymentHash) == [second.paymentHash])
        let secondIndex = try #require(resumed.last?.settleIndex)
        #expect(secondIndex > firstIndex)

        // A live stream sees a settlement that happens while it is open: the stream is open once it delivered
        // its backlog (the second settlement), and only then is the third invoice paid.
        let third = try await b.createInvoice(request(23_000, "contract 3"))
        let delivered = try await settlements(b.settlements(after: firstIndex), until: third.paymentHash) {
            if $0.paymentHash == second.paymentHash { try await expectPaid(a, third) }
        }
        #expect(delivered.map(\.paymentHash) == [second.paymentHash, third.paymentHash])

        // Paying again, paying one's own invoice, paying more than one has.
        await expectError(.alreadyPaid) { try await pay(a, first.bolt11) }
        let own = try await b.createInvoice(request(1_000, "own"))
        await expectError(.selfPayment) { try await pay(b, own.bolt11) }
        let payerNow = try await a.balance().balance
        let tooBig = try await b.createInvoice(request((payerNow.sat + 1_000) * 1000, "too big"))
        #expect(try await pay(a, tooBig.bolt11, maxFee: 10_000_000) == .failed(.insufficientBalance))
        #expect(try await a.balance().balance == payerNow)

        // Unknown hashes.
        let unknown = Preimage.random().paymentHash
        await expectError(.notFound) { try await b.invoice(for: unknown) }
        #expect(try await a.payment(for: unknown) == nil)

        // Cancel.
        let doomed = try await b.createInvoice(request(5_000, "doomed"))
        if subject.cancels {
            try await b.cancelInvoice(doomed.paymentHash)
            #expect(try await b.invoice(for: doomed.paymentHash).status == .canceled)
            await expectError(.alreadyPaid) { try await b.cancelInvoice(first.paymentHash) }
        } else {
            await expectError(.unsupported) { try await b.cancelInvoice(doomed.paymentHash) }
        }
        return revealed
    }

    /// An invoice request for `msat` with a description.
    static func request(_ msat: Int64, _ description: String) -> InvoiceRequest {
        InvoiceRequest(
            amount: MilliSatoshi(msat), description: description, descriptionHash: nil, expirySeconds: 3600,
            preimage: nil)
    }

    /// Pays `bolt11` from `payer`, by default with a 10 s wait and a 10 sat fee limit.
    static func pay(
        _ payer: any LightningBackend, _ bolt11: String, timeoutSeconds: UInt64 = 10, maxFee: Int64 = 10_000
    ) async throws -> PaymentOutcome {
        let invoice = try Invoice(bolt11: bolt11)
        return try await payer.pay(
            PaymentRequest(
                invoice: invoice, amount: MilliSatoshi(Int64(invoice.fields.amountMsat ?? 0)),
                maxFee: MilliSatoshi(maxFee), timeoutSeconds: timeoutSeconds))
    }

    /// Pays `invoice` from `payer` and expects the payment to succeed with the invoice's preimage (not merely to
    /// have ended: a failure is not a payment).
    static func expectPaid(
        _ payer: any LightningBackend, _ invoice: CreatedInvoice, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let outcome = try await pay(payer, invoice.bolt11)
        guard case .succeeded(let preimage, _) = outcome else {
            Issue.record("the payment ended \(outcome), not succeeded", sourceLocation: sourceLocation)
            return
        }
        #expect(preimage.paymentHash == invoice.paymentHash, sourceLocation: sourceLocation)
    }

    /// The settlements of `stream` up to and including the one for `hash`; fails after `timeout`. `onEach` runs
    /// as each settlement arrives, before the next is read (e.g. to pay an invoice once the stream is open).
    static func settlements(
        _ stream: AsyncThrowingStream<InvoiceSettlement, any Error>, until hash: PaymentHash,
        timeout: Duration = .seconds(15),
        onEach: @escaping @Sendable (InvoiceSettlement) async throws -> Void = { _ in }
    ) async throws -> [InvoiceSettlement] {
        try await withThrowingTaskGroup(of: [InvoiceSettlement]?.self) { group in
            group.addTask {
                var seen: [InvoiceSettlement] = []
                for try await settlement in stream {
                    seen.append(settlement)
                    try await onEach(settlement)
                    if settlement.paymentHash == hash { return seen }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard case let seen?? = try await group.next() else {
                throw BackendError(.timeout, "no settlement for \(hash) within \(timeout)")
            }
            return seen
        }
    }

    /// Expects `body` to throw a ``BackendError`` with `code`.
    static func expectError(
        _ code: BackendError.Code, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> some Any
    ) async {
        do {
            let value = try await body()
            Issue.record("expected \(code), got \(value)", sourceLocation: sourceLocation)
        } catch let error as BackendError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }
}
