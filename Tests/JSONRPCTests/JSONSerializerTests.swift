import JSONRPC
import Testing

@Suite struct JSONSerializerTests {
    private func text(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }

    @Test func writesCompactJSONInInsertionOrder() {
        let value: JSONValue = ["z": 1, "a": [true, nil, "x"], "m": ["k": -2.5]]
        #expect(text(value) == #"{"z":1,"a":[true,null,"x"],"m":{"k":-2.5}}"#)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let value = JSONValue.string("\"\\/\u{08}\u{0C}\n\r\t\u{0}\u{1F}\u{7F}é😀")
        #expect(text(value) == "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u{7F}é😀\"")
    }

    @Test func neverWritesNaNOrInfinity() {
        #expect(text([.number(.nan), .number(.infinity), .number(-.infinity)]) == "[null,null,null]")
    }

    @Test(arguments: [0.1, 1.0, -0.0, 1e20, 1e-7, 123456.789, .greatestFiniteMagnitude, .leastNonzeroMagnitude])
    func numbersRoundTripExactly(number: Double) throws {
        let parsed = try JSONValue.parse(JSONValue.number(number).serialized())
        #expect(parsed == .number(number))
        #expect(parsed.doubleValue?.sign == number.sign)
    }

    @Test(arguments: [Int64.min, -1, 0, 1, Int64.max])
    func integersRoundTripExactly(integer: Int64) throws {
        #expect(try JSONValue.parse(JSONValue.integer(integer).serialized()) == .integer(integer))
    }

    @Test func documentsRoundTrip() throws {
        let texts = [
            #"{"jsonrpc":"2.0","result":{"b":[1,2.5,"\u0001é"],"a":{}},"id":"x"}"#,
            #"[[],{},"",0,-1.5e-9,true,false,null]"#,
        ]
        for original in texts {
            let value = try JSONValue.parse(original)
            let again = try JSONValue.parse(value.serialized())
            #expect(again == value)
            #expect(again.serialized() == value.serialized())
        }
    }

    @Test func descriptionIsTheJSONText() {
        #expect(JSONValue.object(["a": "b"]).description == #"{"a":"b"}"#)
        let object: JSONObject = ["k": 1]
        #expect(object.description == #"{"k":1}"#)
    }
}

@Suite struct JSONObjectTests {
    @Test func keepsInsertionOrderAndUpdatesInPlace() {
        var object: JSONObject = ["b": 1, "a": 2]
        object["c"] = 3
        object["b"] = 10
        #expect(object.keys == ["b", "a", "c"])
        #expect(object.values == [10, 2, 3])
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
        #expect(object["c"] == 3)
        #expect(object.removeValue(forKey: "missing") == nil)
        #expect(Array(object.map(\.key)) == ["b", "c"])
    }

    @Test func equalityIgnoresOrder() {
        let first: JSONObject = ["a": 1, "b": [1, 2]]
        let second: JSONObject = ["b": [1, 2], "a": 1]
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(first != ["a": 1])
        #expect(first != ["a": 1, "b": [2, 1]])
    }

    @Test func accessorsReadTheRightCase() {
        let value: JSONValue = ["n": 5, "d": 2.5, "s": "x", "b": true, "a": [1], "o": [:], "z": nil]
        #expect(value["n"]?.int64Value == 5)
        #expect(value["n"]?.intValue == 5)
        #expect(value["n"]?.doubleValue == 5)
        #expect(value["d"]?.int64Value == nil)
        #expect(value["d"]?.doubleValue == 2.5)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1] == nil)
        #expect(value["o"]?.objectValue?.isEmpty == true)
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(JSONValue.integer(1)["key"] == nil)
    }

    @Test func responsesSerializeLikeTheirJSON() {
        let responses = [
            RPCResponse(id: 7, result: ["b": [1, "\u{1}é"], "a": [:]]),
            RPCResponse(id: "x\"y", result: nil),
            RPCResponse(id: nil, error: RPCError(.parseError, message: "Parse error: \"quoted\"")),
            RPCResponse(id: 3, error: RPCError(.overloaded, retryAfter: .seconds(2), data: ["n": 1])),
        ]
        for response in responses {
            var bytes: [UInt8] = []
            response.serialize(into: &bytes)
            #expect(bytes == response.json.serialized())
        }
    }
}
