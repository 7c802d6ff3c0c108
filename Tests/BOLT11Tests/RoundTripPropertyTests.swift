import BOLT11
import Secp256k1
import TestSupport
import Testing

/// Random invoice fields covering every field kind, valid by construction.
func randomFields(_ random: inout SeededGenerator, payee: PrivateKey) -> InvoiceFields {
    let amounts: [UInt64?] = [
        nil, 1, 10, 1000, UInt64.random(in: 1...2_100_000_000_000_000_000, using: &random), 100_000_000_000,
    ]
    let hasDescription = random.chance(70)
    let text = String(
        (0..<Int.random(in: 0...300, using: &random)).map { _ in
            "aé€😀 z\n".randomElement(using: &random)!
        })
    var fields = InvoiceFields(
        network: Network.allCases.randomElement(using: &random)!,
        amountMsat: amounts.randomElement(using: &random)!,
        timestamp: UInt64.random(in: 0..<(1 << 35), using: &random),
        paymentHash: random.bytes(32),
        paymentSecret: random.chance(90) ? random.bytes(32) : nil,
        description: hasDescription ? text : nil,
        descriptionHash: hasDescription ? nil : random.bytes(32),
        payeeNodeID: random.chance(30) ? payee.publicKey.compressed : nil,
        expirySeconds: random.chance(50) ? UInt64.random(in: 0...UInt64.max >> 4, using: &random) : nil,
        minFinalCLTVExpiry: random.chance(50) ? UInt64.random(in: 0...5000, using: &random) : nil,
        features: [8, 14, 16, 99, 255].filter { _ in random.chance(50) },
        metadata: random.chance(30) ? random.bytes(Int.random(in: 0...60, using: &random)) : nil)
    if fields.paymentSecret != nil, random.chance(50) { fields.features = Array(Set(fields.features + [14])).sorted() }
    if fields.paymentSecret == nil { fields.features.removeAll { $0 == 14 } }
    for _ in 0..<Int.random(in: 0...3, using: &random) {
        let version = UInt8.random(in: 0...18, using: &random)
        let length =
            version >= 17
            ? 20 : version == 0 ? [20, 32].randomElement(using: &random)! : Int.random(in: 2...40, using: &random)
        fields.fallbacks.append(try! FallbackAddress(version: version, program: random.bytes(length)))
    }
    for _ in 0..<Int.random(in: 0...2, using: &random) {
        fields.routeHints.append(
            (0..<Int.random(in: 1...5, using: &random)).map { _ in
                RouteHop(
                    nodeID: PrivateKey.random().publicKey.compressed, shortChannelID: random.next(),
                    feeBaseMsat: UInt32.random(in: 0...UInt32.max, using: &random),
                    feeProportionalMillionths: UInt32.random(in: 0...UInt32.max, using: &random),
                    cltvExpiryDelta: UInt16.random(in: 0...UInt16.max, using: &random))
            })
    }
    if random.chance(20) { fields.unknownFields.append(UnknownField(type: 0, words: [1, 2, 3])) }
    return fields
}

@Suite struct RoundTripPropertyTests {
    @Test(arguments: 0..<8)
    func randomInvoicesRoundTrip(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        for _ in 0..<50 {
            let key = try PrivateKey(bytes: random.bytes(32))
            let fields = randomFields(&random, payee: key)
            let bolt11 = try fields.encode(signingWith: key)
            let decoded = try Invoice(bolt11: bolt11)
            #expect(decoded.fields == fields, "seed \(seed)")
            #expect(decoded.payee == key.publicKey)
            #expect(!decoded.signature.isHighS)
            #expect(try Invoice(bolt11: bolt11.uppercased()).fields == fields)
            #expect(try fields.signed(with: key) == decoded, "seed \(seed)")
        }
    }

    @Test func signingRefusesWhatDecodingWouldRefuse() throws {
        let key = PrivateKey.random()
        var fields = InvoiceFields(
            network: .regtest, amountMsat: 1, timestamp: 1, paymentHash: [UInt8](repeating: 1, count: 32),
            paymentSecret: nil, description: "ok", features: [14])
        #expect(
            performing: { try fields.signed(with: key) },
            throws: { ($0 as? BOLT11Error)?.code == .missingPaymentSecret })
        fields.features = []
        #expect(try fields.signed(with: key).warnings.map(\.code) == [.missingPaymentSecret])
        fields.descriptionHash = [UInt8](repeating: 2, count: 32)
        #expect(
            performing: { try fields.signed(with: key) },
            throws: { ($0 as? BOLT11Error)?.code == .descriptionAndHash })
    }

    @Test func invoicesLongerThanBIP173LimitDecode() throws {
        let fields = InvoiceFields(
            network: .regtest, amountMsat: 5, timestamp: 1_700_000_000, paymentHash: [UInt8](repeating: 1, count: 32),
            paymentSecret: [UInt8](repeating: 2, count: 32), description: String(repeating: "x", count: 639))
        let bolt11 = try fields.encode(signingWith: PrivateKey.random())
        #expect(bolt11.count > 1000)
        #expect(try Invoice(bolt11: bolt11).fields == fields)
    }

    @Test func encodingRefusesWhatCannotBeEncoded() throws {
        let key = PrivateKey.random()
        var fields = InvoiceFields(
            network: .mainnet, amountMsat: 1, timestamp: 1, paymentHash: [UInt8](repeating: 1, count: 32),
            paymentSecret: nil, description: String(repeating: "x", count: 640))
        #expect(throws: BOLT11Error.self) { try fields.encode(signingWith: key) }
        fields.description = "ok"
        fields.payeeNodeID = PrivateKey.random().publicKey.compressed
        #expect(
            performing: { try fields.encode(signingWith: key) },
            throws: { ($0 as? BOLT11Error)?.code == .payeeMismatch })
        fields.payeeNodeID = nil
        fields.amountMsat = 0
        #expect(
            performing: { try fields.encode(signingWith: key) },
            throws: { ($0 as? BOLT11Error)?.code == .invalidAmount })
    }
}
