import BackendHTTP
import Lightning
import Testing

@testable import LNDBackend

/// LND's wire values and errors, mapped by value (no network).
@Suite struct LNDMappingTests {
    @Test func splitsStreamedLinesAcrossChunks() throws {
        var buffer = JSONLineBuffer(maxLineLength: 64)
        #expect(try buffer.append(Array(#"{"result":{"a":1}}"#.utf8)) == [])
        #expect(try buffer.append(Array("\n\n{\"res".utf8)) == [Array(#"{"result":{"a":1}}"#.utf8)])
        #expect(try buffer.append(Array("ult\":2}\r\n".utf8)) == [Array("{\"result\":2}\r".utf8)])
        #expect(try buffer.append(Array("{\"x\":3}".utf8)) == [])
        #expect(buffer.finish() == Array("{\"x\":3}".utf8))
        #expect(throws: JSONLineBuffer.LineTooLong.self) { try buffer.append([UInt8](repeating: 65, count: 65)) }
    }

    @Test func base64FlavoursRoundTrip() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xfe, 0x00, 0x3e, 0x3f]
        #expect(Base64.standard(bytes) == "+//+AD4/")
        #expect(Base64.urlSafe(bytes) == "-__-AD4_")
        #expect(Base64.decode("-__-AD4_") == bytes)
        #expect(Base64.decode("+//+AD4/") == bytes)
        #expect(Base64.decode("AQ") == [1])
        #expect(Base64.decode("not base64!") == nil)
    }

    @Test func readsInt64sAsStringsOrNumbers() throws {
        let invoice = try LNDJSON.decode(
            LNDInvoice.self, from: Array(#"{"value_msat":"21000","settle_index":7,"state":"OPEN","unknown":1}"#.utf8))
        #expect(invoice.valueMsat?.value == 21_000)
        #expect(invoice.settleIndex?.value == 7)
        let body = try LNDJSON.encode(
            LNDSendPaymentRequest(
                paymentRequest: "lnbcrt1", amtMsat: nil, feeLimitMsat: LNDInt(5), timeoutSeconds: 30,
                noInflightUpdates: false))
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains(#""fee_limit_msat":"5""#))
        #expect(text.contains(#""no_inflight_updates":false"#))
        #expect(!text.contains("amt_msat"))
    }

    @Test(
        arguments: [
            (
                500, 2, "verification failed: signature mismatch after caveat verification",
                BackendError.Code.unauthorized
            ),
            (500, 2, "expected 1 macaroon, got 0", .unauthorized),
            (500, 2, "permission denied", .unauthorized),
            (500, 2, "encoding/hex: invalid byte: U+0067 'g'", .unauthorized),
            (500, 2, "wallet locked, unlock it to enable full RPC access", .unavailable),
            (409, 6, "invoice is already paid", .alreadyPaid),
            (409, 6, "payment is in transition", .inFlight),
            (409, 6, "payment already exists", .inFlight),
            (500, 2, "self-payments not allowed", .selfPayment),
            (404, 5, "unable to locate invoice", .notFound),
            (404, 5, "payment isn't initiated", .notFound),
            (500, 2, "unable to locate invoice", .notFound),
            (500, 2, "expiry of 3.1536001e+07 seconds greater than max expiry of 3.1536e+07 seconds", .invalidRequest),
            (500, 2, "invoice already settled", .alreadyPaid),
            (500, 2, "invoice not for current active network 'regtest'", .invalidRequest),
            (400, 3, "proto: (line 1:2): unknown field \"foo\"", .invalidRequest),
            (504, 4, "context deadline exceeded", .timeout),
            (500, 2, "boom", .failure),
        ] as [(UInt, Int, String, BackendError.Code)])
    func mapsErrors(status: UInt, code: Int, message: String, expected: BackendError.Code) {
        #expect(LNDErrorMapping.classify(status: status, code: code, message: message).code == expected)
        let wrapped = Array(
            #"{"error":{"code":\#(code),"message":"\#(message.replacingOccurrences(of: "\"", with: "\\\""))","details":[]}}"#
                .utf8)
        #expect(LNDErrorMapping.error(status: status, body: wrapped).code == expected)
        let unary = Array(
            #"{"code":\#(code),"message":"\#(message.replacingOccurrences(of: "\"", with: "\\\""))","details":[]}"#.utf8
        )
        #expect(LNDErrorMapping.error(status: status, body: unary).code == expected)
    }

    @Test func onlyLNDsExactAnswerMeansAnUnknownPayment() {
        #expect(LNDErrorMapping.isUnknownPayment(code: 5, message: "payment isn't initiated"))
        #expect(!LNDErrorMapping.isUnknownPayment(code: 5, message: "Not Found"))
        #expect(!LNDErrorMapping.isUnknownPayment(code: nil, message: "<html>404 Not Found</html>"))
        #expect(!LNDErrorMapping.isUnknownPayment(code: 2, message: "payment isn't initiated"))
    }

    @Test func readsUInt64sBeyondInt64() throws {
        let invoice = try LNDJSON.decode(
            LNDInvoice.self, from: Array(#"{"settle_index":"18446744073709551615","state":"SETTLED"}"#.utf8))
        #expect(invoice.settleIndex?.value == UInt64.max)
        let balance = try LNDJSON.decode(
            LNDChannelBalance.self, from: Array(#"{"local_balance":{"sat":"9223372036854775808","msat":"0"}}"#.utf8))
        #expect(balance.localBalance?.sat?.value == 9_223_372_036_854_775_808)
        #expect(throws: DecodingError.self) {
            try LNDJSON.decode(LNDInvoice.self, from: Array(#"{"settle_index":"-1"}"#.utf8))
        }
    }

    @Test func errorTextsCarryNoHexSecrets() {
        let macaroon = "0201036c6e6402f801030a10b1d2a3c4e5f60718293a4b5c6d7e8f"
        let error = LNDErrorMapping.classify(status: 500, code: 2, message: "cannot use macaroon \(macaroon)")
        #expect(error.code == .unauthorized)
        #expect(!error.description.contains(macaroon))
        #expect(!error.description.contains(macaroon.prefix(16)))
        #expect(SecretRedaction.redacted("short ab12 stays") == "short ab12 stays")
        #expect(SecretRedaction.redacted(String(repeating: "x", count: 300)).count == 201)
    }

    @Test func mapsPaymentsAndFailureReasons() {
        let preimage = Preimage.random()
        func payment(_ status: String, reason: String = "FAILURE_REASON_NONE", preimage: String? = nil) -> LNDPayment {
            LNDPayment(
                paymentHash: nil, paymentPreimage: preimage ?? String(repeating: "0", count: 64), status: status,
                feeMsat: LNDInt(7), failureReason: reason)
        }
        #expect(
            LNDStateMapping.outcome(of: payment("SUCCEEDED", preimage: preimage.hex))
                == .succeeded(preimage: preimage, fee: MilliSatoshi(7)))
        #expect(LNDStateMapping.outcome(of: payment("SUCCEEDED", preimage: "zz")) == nil)
        #expect(LNDStateMapping.outcome(of: payment("IN_FLIGHT")) == .pending)
        #expect(LNDStateMapping.outcome(of: payment("INITIATED")) == .pending)
        let reasons: [(String, PaymentFailureReason)] = [
            ("FAILURE_REASON_NO_ROUTE", .noRoute), ("FAILURE_REASON_INSUFFICIENT_BALANCE", .insufficientBalance),
            ("FAILURE_REASON_INCORRECT_PAYMENT_DETAILS", .incorrectPaymentDetails),
            ("FAILURE_REASON_TIMEOUT", .timeout), ("FAILURE_REASON_ERROR", .backendError),
            ("FAILURE_REASON_CANCELED", .backendError),
        ]
        for (name, reason) in reasons {
            #expect(LNDStateMapping.outcome(of: payment("FAILED", reason: name)) == .failed(reason))
        }
        #expect(LNDStateMapping.network("testnet4") == .testnet)
        #expect(LNDStateMapping.network("simnet") == nil)
    }

    @Test func mapsInvoiceStates() {
        let preimage = Preimage.random()
        func invoice(_ state: String, created: Int64 = 1_000, settleIndex: UInt64 = 0) -> LNDInvoice {
            LNDInvoice(
                rHash: Base64.standard(preimage.paymentHash.bytes), rPreimage: Base64.standard(preimage.bytes),
                valueMsat: LNDInt(5_000), creationDate: LNDInt(created), settleDate: LNDInt(1_010),
                expiry: LNDInt(100), settleIndex: LNDUInt(settleIndex), amtPaidMsat: LNDInt(5_000), state: state)
        }
        #expect(LNDStateMapping.state(of: invoice("OPEN"), now: 1_050).status == .open)
        #expect(LNDStateMapping.state(of: invoice("OPEN"), now: 1_100).status == .expired)
        #expect(LNDStateMapping.state(of: invoice("ACCEPTED"), now: 1_050).status == .open)
        #expect(LNDStateMapping.state(of: invoice("CANCELED"), now: 1_050).status == .canceled)
        #expect(LNDStateMapping.state(of: invoice("CANCELED"), now: 1_200).status == .expired)
        let paid = LNDStateMapping.state(of: invoice("SETTLED", settleIndex: 3), now: 9_999)
        #expect(
            paid
                == InvoiceState(
                    status: .paid, amountReceived: MilliSatoshi(5_000), preimage: preimage,
                    paidAt: 1_010, settleIndex: 3))
        #expect(LNDStateMapping.state(of: invoice("OPEN"), now: 1_050).preimage == nil)
        #expect(
            LNDStateMapping.settlement(of: invoice("SETTLED", settleIndex: 3))
                == InvoiceSettlement(
                    paymentHash: preimage.paymentHash, amountReceived: MilliSatoshi(5_000), preimage: preimage,
                    paidAt: 1_010, settleIndex: 3))
        #expect(LNDStateMapping.settlement(of: invoice("OPEN")) == nil)
    }
}
