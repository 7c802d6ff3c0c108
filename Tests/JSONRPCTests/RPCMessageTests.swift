import JSONRPC
import Testing

/// The examples of the JSON-RPC 2.0 specification (section 7), adapted where our contract differs:
/// params are named, so positional params are `invalid_params`.
@Suite struct RPCMessageTests {
    private func parse(_ line: String) -> RPCIncoming {
        RPCMessage.parse(line: Array(line.utf8))
    }

    private func reason(_ entry: RPCEntry) -> String? {
        switch entry {
        case .request: nil
        case .invalid(_, let error), .invalidNotification(_, let error): error.reason.name
        }
    }

    @Test func callWithNamedParams() {
        let incoming = parse(
            #"{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}"#)
        let expected = RPCRequest(id: 3, method: "subtract", params: ["subtrahend": 23, "minuend": 42])
        #expect(incoming == .single(.request(expected)))
    }

    @Test func callWithPositionalParamsIsInvalidParamsWithItsID() {
        guard
            case .single(.invalid(let id, let error)) = parse(
                #"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#)
        else {
            Issue.record("expected an invalid entry")
            return
        }
        #expect(id == 1)
        #expect(error.code == -32602)
        #expect(error.reason == .invalidParams)
    }

    @Test func notifications() {
        #expect(
            parse(#"{"jsonrpc": "2.0", "method": "foobar"}"#)
                == .single(.request(RPCRequest(id: nil, method: "foobar"))))
        guard
            case .single(.invalidNotification(let method, let error)) = parse(
                #"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#)
        else {
            Issue.record("expected an invalid notification")
            return
        }
        #expect(method == "update")
        #expect(error.reason == .invalidParams)
    }

    @Test func stringIDsAndMissingParams() {
        #expect(
            parse(#"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#)
                == .single(.request(RPCRequest(id: "1", method: "foobar"))))
    }

    @Test func invalidJSONIsOneParseErrorWithNullID() {
        for line in [
            #"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#,
            #"[ {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}, {"jsonrpc": "2.0", "method" ]"#,
        ] {
            guard case .single(.invalid(let id, let error)) = parse(line) else {
                Issue.record("expected a parse error for \(line)")
                continue
            }
            #expect(id == nil)
            #expect(error.code == -32700)
            #expect(error.data["reason"] == "parse_error")
        }
    }

    @Test func invalidRequestObject() {
        guard case .single(.invalid(let id, let error)) = parse(#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#)
        else {
            Issue.record("expected an invalid request")
            return
        }
        #expect(id == nil)
        #expect(error.code == -32600)
    }

    @Test func emptyBatchIsOneInvalidRequest() {
        guard case .single(.invalid(nil, let error)) = parse("[]") else {
            Issue.record("expected one invalid request")
            return
        }
        #expect(error.reason == .invalidRequest)
    }

    @Test func invalidBatchesAnswerEachElement() {
        guard case .batch(let one) = parse("[1]"), case .batch(let three) = parse("[1,2,3]") else {
            Issue.record("expected batches")
            return
        }
        #expect(one.map(reason) == ["invalid_request"])
        #expect(three.map(reason) == ["invalid_request", "invalid_request", "invalid_request"])
    }

    @Test func mixedBatch() {
        let line = """
            [
                {"jsonrpc": "2.0", "method": "sum", "params": {"values": [1,2,4]}, "id": "1"},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": {"value": 7}},
                {"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": "2"},
                {"foo": "boo"},
                {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
            ]
            """
        guard case .batch(let entries) = parse(line) else {
            Issue.record("expected a batch")
            return
        }
        #expect(entries.count == 6)
        #expect(entries[0] == .request(RPCRequest(id: "1", method: "sum", params: ["values": [1, 2, 4]])))
        #expect(entries[1] == .request(RPCRequest(id: nil, method: "notify_hello", params: ["value": 7])))
        #expect(reason(entries[3]) == "invalid_request")
        #expect(entries[5] == .request(RPCRequest(id: "9", method: "get_data")))
    }

    @Test(arguments: [
        (#"{"jsonrpc":"1.0","method":"a","id":1}"#, RPCID?.some(1)),
        (#"{"method":"a","id":"x"}"#, "x"),
        (#"{"jsonrpc":"2.0","id":2}"#, 2),
        (#"{"jsonrpc":"2.0","method":"a","params":"p","id":3}"#, 3),
        (#"{"jsonrpc":"2.0","method":"a","params":null,"id":4}"#, 4),
        (#"{"jsonrpc":"2.0","method":"a","id":1.5}"#, nil),
        (#"{"jsonrpc":"2.0","method":"a","id":null}"#, nil),
        (#"{"jsonrpc":"2.0","method":"a","id":{}}"#, nil),
        (#"{"jsonrpc":"2.0","method":"a","id":99999999999999999999}"#, nil),
        (#""just a string""#, nil),
    ])
    func invalidRequestsEchoTheIDWhenItIsValid(line: String, expectedID: RPCID?) {
        guard case .single(.invalid(let id, let error)) = parse(line) else {
            Issue.record("expected an invalid request for \(line)")
            return
        }
        #expect(id == expectedID)
        #expect(error.reason == .invalidRequest)
    }

    @Test func requestsAndNotificationsSerialize() {
        let request = RPCRequest(id: 7, method: "invoice.get", params: ["label": "a"])
        #expect(request.json.description == #"{"jsonrpc":"2.0","method":"invoice.get","params":{"label":"a"},"id":7}"#)
        #expect(
            RPCRequest(id: nil, method: "ping").json.description == #"{"jsonrpc":"2.0","method":"ping","params":{}}"#)
        let notification = RPCNotification(method: "event", params: ["index": 3])
        #expect(notification.json.description == #"{"jsonrpc":"2.0","method":"event","params":{"index":3}}"#)
        #expect(RPCNotification(json: notification.json) == notification)
        #expect(RPCNotification(json: request.json) == nil)
    }
}
