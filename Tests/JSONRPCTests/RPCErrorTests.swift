import JSONRPC
import Testing

@Suite struct RPCErrorTests {
    @Test func errorResponseShape() {
        var error = RPCError(.invalidBolt11, data: ["cause": "invalid_checksum", "reason": "ignored"])
        error.data["request_id"] = "00112233aabbccdd"
        let response = RPCResponse(id: "a", error: error)
        #expect(
            response.json.description
                == #"{"jsonrpc":"2.0","error":{"code":302,"message":"Invalid BOLT11 invoice","data":{"reason":"invalid_bolt11","cause":"invalid_checksum","request_id":"00112233aabbccdd"}},"id":"a"}"#
        )
        #expect(error.requestID == "00112233aabbccdd")
    }

    @Test func resultResponseShapeAndNullID() {
        #expect(
            RPCResponse(id: 1, result: ["ok": true]).json.description
                == #"{"jsonrpc":"2.0","result":{"ok":true},"id":1}"#)
        let parseError = RPCResponse(id: nil, error: RPCError(.parseError))
        #expect(parseError.json["id"] == .null)
        #expect(parseError.json["error"]?["code"] == -32700)
    }

    @Test func retryAfterIsWholeSecondsRoundedUp() {
        #expect(RPCError(.overloaded, retryAfter: .seconds(2)).retryAfterSeconds == 2)
        #expect(RPCError(.backendUnavailable, retryAfter: .milliseconds(1500)).retryAfterSeconds == 2)
        #expect(RPCError(.rateLimited, retryAfter: .zero).retryAfterSeconds == 1)
        #expect(RPCError(.overloaded, retryAfter: .seconds(1)).data.keys == ["reason", "retry_after_s"])
    }

    @Test func customMessageKeepsCodeAndReason() {
        let error = RPCError(.invalidParams, message: "amount_msat must be an integer")
        #expect(error.code == -32602)
        #expect(error.message == "amount_msat must be an integer")
        #expect(error.description == "invalid_params (-32602): amount_msat must be an integer")
    }

    @Test func responsesDecodeFromTheWire() throws {
        let error = RPCError(.proofInvalid, data: ["failed_rules": ["owner_signature"]])
        for response in [
            RPCResponse(id: 5, result: [1, 2]), RPCResponse(id: "x", error: error), RPCResponse(id: nil, error: error),
        ] {
            #expect(RPCResponse(json: try JSONValue.parse(response.json.serialized())) == response)
        }
        #expect(RPCResponse(json: ["jsonrpc": "2.0", "result": 1]) == nil)
        #expect(
            RPCResponse(json: ["jsonrpc": "2.0", "result": 1, "error": ["code": 1, "message": "m"], "id": 1]) == nil)
    }

    @Test func unknownReasonsFromTheWireKeepNameAndCode() throws {
        let json: JSONValue = ["code": 450, "message": "Newer failure", "data": ["reason": "newer_failure"]]
        let error = try #require(RPCError(json: json))
        #expect(error.reason.name == "newer_failure")
        #expect(error.reason.code == 450)
        #expect(error.reason.area == .payment)
        #expect(RPCErrorReason.named("newer_failure") == nil)
    }

    @Test func catalogIsConsistent() {
        let all = RPCErrorReason.all
        #expect(Set(all.map(\.name)).count == all.count)
        #expect(Set(all.map(\.code)).count == all.count)
        for reason in all {
            #expect(reason.area.codes.contains(reason.code), "\(reason.name) is outside the \(reason.area) band")
            #expect(RPCErrorReason.named(reason.name) == reason)
            #expect(!reason.message.isEmpty && !reason.summary.isEmpty)
            #expect(reason.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" })
        }
        #expect(
            all.filter(\.carriesRetryAfter).map(\.name)
                == ["overloaded", "rate_limited", "rate_unavailable", "backend_unavailable", "limit_exceeded"])
        #expect(all.map(\.area) == all.map(\.area).sorted { $0.codes.lowerBound < $1.codes.lowerBound })
        let applicationCodes = all.filter { $0.area != .standard }.map(\.code)
        #expect(applicationCodes == applicationCodes.sorted())
    }

    @Test func contractReasonsExist() {
        let required = [
            "unauthorized", "invoice_not_found", "label_conflict", "invalid_bolt11", "network_mismatch",
            "invoice_expired", "amount_required", "amount_not_allowed", "already_paid", "payment_in_flight",
            "insufficient_balance", "no_route", "self_payment", "proof_not_found", "proof_invalid", "not_owner",
            "transfer_pending", "double_transfer", "backend_unavailable", "backend_error", "overloaded",
            "shutting_down",
        ]
        for name in required {
            #expect(RPCErrorReason.named(name) != nil, "missing \(name)")
        }
        #expect(RPCErrorReason.invalidBolt11.dataFields == ["cause"])
        #expect(RPCErrorReason.proofInvalid.dataFields == ["failed_rules"])
        #expect(RPCErrorReason.backendUnavailable.dataFields == ["retry_after_s"])
    }
}
