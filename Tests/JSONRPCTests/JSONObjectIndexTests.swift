import Testing

@testable import JSONRPC

extension JSONObjectTests {
    /// Small objects find keys by comparison, larger ones through an index: both must behave alike.
    @Test(arguments: [3, JSONObject.indexThreshold, JSONObject.indexThreshold + 1, 40])
    func membersKeepTheirOrderThroughUpdatesAndRemovals(count: Int) {
        var object = JSONObject((0..<count).map { ("k\($0)", JSONValue.integer(Int64($0))) })
        #expect(object.keys == (0..<count).map { "k\($0)" })
        for index in 0..<count { #expect(object["k\(index)"] == .integer(Int64(index))) }
        #expect(object["missing"] == nil)
        #expect(object.updateValue("first", forKey: "k0") == 0)
        #expect(object.removeValue(forKey: "k1") == 1)
        object["new"] = true
        #expect(object.count == count)
        #expect(object.keys.first == "k0" && object.keys.last == "new" && !object.keys.contains("k1"))
        #expect(object["k0"] == "first" && object["new"] == true)
        for index in 2..<count { #expect(object["k\(index)"] == .integer(Int64(index))) }
        let appendedADuplicate = object.appendNew(key: "k2", value: nil)
        #expect(!appendedADuplicate)
        #expect(object == JSONObject(object.reversed().map { ($0.key, $0.value) }))
    }

    @Test func theParserRefusesADuplicateKeyInALargeObject() {
        let members = (0..<30).map { #""k\#($0)":\#($0)"# } + [#""k20":0"#]
        #expect(throws: JSONParseError.self) { try JSONValue.parse("{" + members.joined(separator: ",") + "}") }
    }
}
