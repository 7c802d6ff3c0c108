import Testing

@testable import RPCServer

@Suite struct RequestIDTests {
    @Test func idsAreSixteenLowercaseHexDigitsAndDistinct() {
        let ids = (0..<10_000).map { _ in RequestID.make() }
        #expect(ids.allSatisfy { $0.utf8.count == 16 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        #expect(Set(ids).count == ids.count)
    }

    @Test func hexDigitsKeepLeadingZeros() {
        #expect(RequestID.hexDigits(0) == "0000000000000000")
        #expect(RequestID.hexDigits(0xAB) == "00000000000000ab")
        #expect(RequestID.hexDigits(.max) == "ffffffffffffffff")
    }

    @Test func consecutiveCountersMixToUnrelatedIds() {
        let mixed = (0..<1_000).map { RequestID.mix(UInt64($0)) }
        #expect(Set(mixed).count == mixed.count)
        #expect(zip(mixed, mixed.dropFirst()).allSatisfy { ($0 ^ $1).nonzeroBitCount > 8 })
    }
}
