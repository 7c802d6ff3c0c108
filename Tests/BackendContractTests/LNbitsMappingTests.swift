import Foundation
import Lightning
import Testing

@testable import LNbitsBackend

/// LNbits' wire values and errors, mapped by value (no network).
@Suite struct LNbitsMappingTests {
    @Test func readsLNbitsTimestamps() {
        #expect(LNbitsTimestamp.microseconds("1970-01-01T00:00:00+00:00") == 0)
        #expect(LNbitsTimestamp.microseconds("2026-11-25T16:35:53.482142+00:00") == 1_795_624_553_482_142)
        #expect(LNbitsTimestamp.microseconds("2026-11-25T16:35:53.482142") == 1_795_624_553_482_142)
        #expect(LNbitsTimestamp.microseconds("2026-11-25T17:35:53.482142+01:00") == 1_795_624_553_482_142)
        #expect(LNbitsTimestamp.microseconds("2026-11-25 16:35:53Z") == 1_795_624_553_000_000)
        #expect(LNbitsTimestamp.microseconds("2026-11-25T16:35:53.5") == 1_795_624_553_500_000)
        #expect(LNbitsTimestamp.microseconds("2000-02-29T00:00:00") == 951_782_400_000_000)
        #expect(LNbitsTimestamp.microseconds("2026-11-25") == nil)
        #expect(LNbitsTimestamp.microseconds("2026-13-25T16:35:53") == nil)
        #expect(LNbitsTimestamp.microseconds("2026-11-25T16:35:53+0100") == nil)
    }

    @Test(
        arguments: [
            (
                520, #"{"detail":"Insufficient balance.","status":"failed"}"#,
                PaymentOutcome.failed(.insufficientBalance)
            ),
            (
                520,
                #"{"detail":"You must reserve at least (2  sat) to cover potential routing fees.","status":"failed"}"#,
                .failed(.insufficientBalance)
            ),
            (
                520, #"{"detail":"Payment failed: Only internal invoices can be used!","status":"failed"}"#,
                .failed(.noRoute)
            ),
            (520, #"{"detail":"Payment failed: something else","status":"failed"}"#, .failed(.backendError)),
            (520, #"{"detail":"Payment failed: still thinking","status":"pending"}"#, .pending),
            (500, #"{"detail":"Unexpected error! ID: 1"}"#, .pending),
            (504, "Gateway Timeout", .pending),
        ] as [(UInt, String, PaymentOutcome)])
    func mapsPaymentFailures(status: UInt, body: String, expected: PaymentOutcome) throws {
        #expect(try LNbitsErrorMapping.payment(status: status, body: Array(body.utf8)).get() == expected)
    }

    @Test(
        arguments: [
            (520, #"{"detail":"Internal invoice already paid.","status":"failed"}"#, BackendError.Code.alreadyPaid),
            (520, #"{"detail":"Payment already paid.","status":"success"}"#, .alreadyPaid),
            (520, #"{"detail":"Payment is still pending.","status":"pending"}"#, .inFlight),
            (520, #"{"detail":"Bolt11 decoding failed.","status":"failed"}"#, .invalidRequest),
            (520, #"{"detail":"Amountless invoices not supported.","status":"failed"}"#, .unsupported),
            (403, #"{"detail":"Invoice (or Admin) key required."}"#, .unauthorized),
            (401, #"{"detail":"No Api Key provided."}"#, .unauthorized),
            (404, #"{"detail":"Wallet not found."}"#, .unauthorized),
            (404, #"{"detail":"Payment does not exist."}"#, .notFound),
            (429, #"{"error":"Rate limit exceeded: 200 per 1 minute"}"#, .unavailable),
            (
                400, #"{"detail":[{"loc":["body"],"msg":"field required","type":"value_error.missing"}]}"#,
                .invalidRequest
            ),
            (500, #"{"detail":"Unexpected error! ID: 1"}"#, .failure),
        ] as [(UInt, String, BackendError.Code)])
    func mapsErrors(status: UInt, body: String, expected: BackendError.Code) {
        #expect(LNbitsErrorMapping.error(status: status, body: Array(body.utf8)).code == expected)
        switch LNbitsErrorMapping.payment(status: status, body: Array(body.utf8)) {
        case .failure(let error): #expect(error.code == expected)
        case .success(let outcome): #expect(status == 500 && outcome == .pending, "\(body) should be an error")
        }
    }

    @Test func mapsInvoiceStatesAndSettlements() {
        let preimage = Preimage.random()
        func payment(_ status: String, amount: Int64 = 21_000, updated: String = "2026-11-25T16:35:53.482142+00:00")
            -> LNbitsPayment
        {
            LNbitsPayment(
                checkingId: nil, paymentHash: preimage.paymentHash.hex, walletId: nil, amount: amount, fee: -3,
                bolt11: nil, status: status, expiry: "2026-11-25T17:35:53", preimage: preimage.hex, time: nil,
                createdAt: nil, updatedAt: updated)
        }
        let before: Int64 = 1_795_624_000
        let after: Int64 = 1_795_700_000
        #expect(LNbitsStateMapping.invoiceState(of: payment("pending"), preimage: nil, now: before).status == .open)
        #expect(LNbitsStateMapping.invoiceState(of: payment("pending"), preimage: nil, now: after).status == .expired)
        #expect(LNbitsStateMapping.invoiceState(of: payment("failed"), preimage: nil, now: before).status == .canceled)
        #expect(LNbitsStateMapping.invoiceState(of: payment("pending"), preimage: nil, now: before).preimage == nil)
        #expect(
            LNbitsStateMapping.invoiceState(of: payment("success"), preimage: nil, now: after)
                == InvoiceState(
                    status: .paid, amountReceived: MilliSatoshi(21_000), preimage: preimage, paidAt: 1_795_624_553,
                    settleIndex: 1_795_624_553_482_142))
        #expect(
            LNbitsStateMapping.outcome(of: payment("success", amount: -21_000), preimage: nil)
                == .succeeded(preimage: preimage, fee: MilliSatoshi(3)))
        #expect(LNbitsStateMapping.settlement(of: payment("success", amount: -21_000)) == nil)
        #expect(LNbitsStateMapping.settlement(of: payment("pending")) == nil)
        #expect(LNbitsStateMapping.settlement(of: payment("success"))?.settleIndex == 1_795_624_553_482_142)
    }

    @Test func theCursorDeliversEachSettlementOnceInOrder() {
        func paid(_ micros: Int, _ preimage: Preimage) -> LNbitsPayment {
            LNbitsPayment(
                checkingId: nil, paymentHash: preimage.paymentHash.hex, walletId: nil, amount: 1_000, fee: 0,
                bolt11: nil, status: "success", expiry: nil, preimage: preimage.hex, time: nil, createdAt: nil,
                updatedAt: "2026-11-25T16:35:53.\(String(format: "%06d", micros))+00:00")
        }
        let (one, two, three) = (Preimage.random(), Preimage.random(), Preimage.random())
        let base: UInt64 = 1_795_624_553_000_000
        var cursor = LNbitsSettlementCursor(after: base + 1)
        let page = [paid(3, three), paid(2, two), paid(1, one)]
        #expect(cursor.reachesBack(page, pageSize: 3))
        #expect(!cursor.reachesBack([paid(3, three), paid(2, two)], pageSize: 2))
        #expect(cursor.advance(over: page).map(\.settleIndex) == [base + 2, base + 3])
        #expect(cursor.last == base + 3)
        #expect(cursor.advance(over: page).isEmpty)
        #expect(cursor.advance(over: [paid(9, two)]).isEmpty, "a paid invoice touched again is not delivered twice")
        #expect(cursor.last == base + 9)
    }
}

extension LNbitsMappingTests {
    @Test func anInvoiceMayBeLNbitsOwnUntilItsSigningKeyIsKnown() {
        var keys = LNbitsSigningKeys()
        let fakeWallet = [UInt8](repeating: 2, count: 33)
        let otherNode = [UInt8](repeating: 3, count: 33)
        #expect(keys.mayHaveSigned(otherNode), "no key known: any invoice may be LNbits' own")
        keys.learn(fakeWallet)
        #expect(keys.mayHaveSigned(fakeWallet))
        #expect(!keys.mayHaveSigned(otherNode))
        keys.learn(otherNode)
        #expect(keys.mayHaveSigned(otherNode), "a funding source with two keys")
    }
}
