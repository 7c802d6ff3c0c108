import BOLT11
import BareBaseline
import Secp256k1

/// Distinct signed invoices of realistic shape, generated once per process with a fixed seed, and
/// for each the inputs of the bare baseline (signed bytes, signature, secret key).
public struct InvoiceCorpus: Sendable {
    public struct Entry: Sendable {
        /// The encoded invoice.
        public let bolt11: String
        /// The fields it encodes.
        public let fields: InvoiceFields
        /// The key that signed it.
        public let key: PrivateKey
        /// That key's 32 secret bytes, for the bare signing baseline.
        public let secret: [UInt8]
        /// `hrp ‖ data words packed into bytes`: what BOLT #11 hashes and signs.
        public let signedData: [UInt8]
        /// The 65 signature bytes: r‖s‖recovery id.
        public let signature: [UInt8]
    }

    /// Invoices per corpus; every benchmark iteration processes all of them.
    public static let count = 10_000
    /// Encoded lengths the generator keeps.
    public static let lengths = 250...450

    /// The generator seed of the benchmark corpus.
    public static let seed: UInt64 = 0x7467_6431
    /// The corpus every benchmark uses.
    public static let shared = InvoiceCorpus(count: count, seed: seed)

    public let entries: [Entry]

    /// Generates `count` invoices from `seed`.
    public init(count: Int, seed: UInt64) {
        var random = SplitMix64(state: seed)
        var entries = [Entry]()
        entries.reserveCapacity(count)
        while entries.count < count {
            let secret = random.bytes(32)
            guard let key = try? PrivateKey(bytes: secret) else { continue }
            let fields = Self.randomFields(&random)
            guard let bolt11 = try? fields.encode(signingWith: key), Self.lengths.contains(bolt11.utf8.count) else {
                continue
            }
            let (signedData, signature) = Self.split(bolt11)
            entries.append(
                Entry(
                    bolt11: bolt11, fields: fields, key: key, secret: secret, signedData: signedData,
                    signature: signature))
        }
        self.entries = entries
    }

    /// Checks that every invoice decodes to its fields and that the bare baseline recovers the same key
    /// from the same bytes, so that both sides of the comparison do the same cryptographic work.
    public func validate(with bare: BareSecp256k1) {
        for entry in entries {
            let publicKey = entry.key.publicKey
            guard let invoice = try? Invoice(bolt11: entry.bolt11), invoice.fields == entry.fields,
                invoice.payee == publicKey
            else { fatalError("corpus invoice does not decode to its fields: \(entry.bolt11)") }
            guard
                bare.recoveredPublicKey(signedData: entry.signedData, signature: entry.signature)
                    == publicKey.compressed
            else { fatalError("bare recovery disagrees with the codec: \(entry.bolt11)") }
        }
    }

    /// Lengths of the encoded invoices: minimum, median, maximum.
    public var lengthSummary: (minimum: Int, median: Int, maximum: Int) {
        let sorted = entries.map(\.bolt11.utf8.count).sorted()
        return (sorted.first ?? 0, sorted[sorted.count / 2], sorted.last ?? 0)
    }

    private static let vocabulary = [
        "coffee", "espresso", "order", "#4711", "invoice", "for", "the", "donation", "tip", "podcast", "episode",
        "sats", "membership", "month", "ticket", "conference", "2026", "book", "shipping", "pizza", "thanks!",
        "Zahlung", "café", "renewal", "VPS", "hosting", "API", "credits", "boost",
    ]

    private static func randomFields(_ random: inout SplitMix64) -> InvoiceFields {
        let network: Network =
            random.chance(85) ? .mainnet : [.testnet, .signet, .regtest].randomElement(using: &random)!
        let amountMsat: UInt64? =
            random.chance(15)
            ? nil
            : UInt64.random(in: 1...2_000_000, using: &random) * [1, 1000, 1000, 1000, 100_000].randomElement(
                using: &random)!
        let hasDescription = random.chance(85)
        let description = (0..<Int.random(in: 1...12, using: &random)).map { _ in
            vocabulary.randomElement(using: &random)!
        }.joined(separator: " ")
        let hasSecret = random.chance(97)
        var fields = InvoiceFields(
            network: network, amountMsat: amountMsat,
            timestamp: UInt64.random(in: 1_700_000_000...1_790_000_000, using: &random),
            paymentHash: random.bytes(32), paymentSecret: hasSecret ? random.bytes(32) : nil,
            description: hasDescription ? description : nil,
            descriptionHash: hasDescription ? nil : random.bytes(32),
            expirySeconds: random.chance(60) ? [600, 3600, 86_400, 604_800].randomElement(using: &random)! : nil,
            minFinalCLTVExpiry: random.chance(80) ? [18, 40, 80, 144].randomElement(using: &random)! : nil,
            features: hasSecret ? ([[8, 14, 16], [9, 15, 17], [8, 14, 16, 48]].randomElement(using: &random)!) : [8])
        if random.chance(35) {
            let hops = random.chance(85) ? 1 : 2
            fields.routeHints.append(
                (0..<hops).map { _ in
                    RouteHop(
                        nodeID: PrivateKey.random(using: &random).publicKey.compressed,
                        shortChannelID: UInt64.random(in: 700_000...900_000, using: &random) << 40
                            | UInt64.random(in: 0...3000, using: &random) << 16
                            | UInt64.random(in: 0...3, using: &random),
                        feeBaseMsat: [0, 1000, 1].randomElement(using: &random)!,
                        feeProportionalMillionths: UInt32.random(in: 0...2500, using: &random),
                        cltvExpiryDelta: [40, 80, 144].randomElement(using: &random)!)
                })
        }
        if random.chance(5) { fields.fallbacks.append(try! FallbackAddress(version: 0, program: random.bytes(20))) }
        if random.chance(5) { fields.metadata = random.bytes(Int.random(in: 8...32, using: &random)) }
        return fields
    }

    /// Splits an invoice into its signed bytes (`hrp ‖ packed data words`, zero-padded) and its 65
    /// signature bytes, independently of the BOLT11 module's internals.
    private static func split(_ bolt11: String) -> (signedData: [UInt8], signature: [UInt8]) {
        let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
        let bytes = Array(bolt11.utf8)
        let separator = bytes.lastIndex(of: UInt8(ascii: "1"))!
        let words = bytes[(separator + 1)...].dropLast(6).map { UInt8(alphabet.firstIndex(of: $0)!) }
        let signatureWords = 104
        return (
            Array(bytes[..<separator]) + pack(words.dropLast(signatureWords)), pack(words.suffix(signatureWords))
        )
    }

    private static func pack(_ words: some Collection<UInt8>) -> [UInt8] {
        var bytes = [UInt8]()
        var accumulator: UInt32 = 0
        var bits = 0
        for word in words {
            accumulator = accumulator << 5 | UInt32(word)
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        if bits > 0 { bytes.append(UInt8(truncatingIfNeeded: accumulator << UInt32(8 - bits))) }
        return bytes
    }
}

/// SplitMix64: a small deterministic generator, so that every run benchmarks the same corpus.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }
}

extension PrivateKey {
    /// A key from the generator's bytes (retrying the rare invalid ones).
    static func random(using random: inout SplitMix64) -> PrivateKey {
        while true {
            if let key = try? PrivateKey(bytes: random.bytes(32)) { return key }
        }
    }
}
