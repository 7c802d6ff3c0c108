import BOLT11
import Foundation
import Secp256k1
import Testing

/// Inputs the fuzzer (fuzz/run-bolt11.sh) once found, kept in fuzz/regressions: each must be refused with the
/// error it is refused with today (not merely not crash), and every kept input must say which error that is.
@Suite struct FuzzRegressionTests {
    /// The regression inputs by file name.
    static let inputs: [String: String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../fuzz/regressions").standardizedFileURL
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return Dictionary(
            uniqueKeysWithValues: names.compactMap { name in
                (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
            })
    }()

    /// The error each input is refused with (FUZZING.md): the minimal one has two `9` (feature) fields, the first
    /// requiring unknown bit 100; the fuzzer's mutated input does not even carry a valid checksum (the fuzz target
    /// checks its fields without one).
    static let refusals: [String: BOLT11Error.Code] = [
        "duplicate-feature-fields-found-by-fuzzer": .badChecksum,
        "duplicate-feature-fields-minimal": .unknownRequiredFeature,
    ]

    @Test func everyRegressionStatesItsRefusal() {
        #expect(Set(Self.inputs.keys) == Set(Self.refusals.keys))
    }

    @Test(arguments: refusals.keys.sorted())
    func isRefusedWithItsError(_ name: String) throws {
        let input = try #require(Self.inputs[name]).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try Invoice(bolt11: input)
            Issue.record("\(name) decodes")
        } catch {
            #expect(error.code == Self.refusals[name])
        }
    }

    @Test func aRequiredBitInAnyFeatureFieldCounts() throws {
        let key = PrivateKey.random()
        var fields = InvoiceFields(
            network: .regtest, amountMsat: 1000, timestamp: 1_700_000_000,
            paymentHash: [UInt8](repeating: 1, count: 32),
            paymentSecret: [UInt8](repeating: 2, count: 32), description: "x", features: [8, 14])
        fields.unknownFields = [UnknownField(type: 5, words: [0, 2])]  // a second `9` field with bit 1 set
        #expect(try Invoice(bolt11: try fields.encode(signingWith: key)).fields.features == [1, 8, 14])
        fields.unknownFields = [UnknownField(type: 5, words: [0, 1])]  // bit 0: an unknown required feature
        #expect(
            performing: { try Invoice(bolt11: try fields.encode(signingWith: key)) },
            throws: {
                ($0 as? BOLT11Error)?.code == .unknownRequiredFeature
            })
    }

    @Test func aRequiredBitInAnEarlierFeatureFieldCounts() throws {
        let key = PrivateKey.random()
        var fields = InvoiceFields(
            network: .regtest, amountMsat: 1000, timestamp: 1_700_000_000,
            paymentHash: [UInt8](repeating: 1, count: 32),
            paymentSecret: [UInt8](repeating: 2, count: 32), description: "x", features: [])
        // Two `9` fields: first one with the unknown required bit 0, then one with the known bits 8 and 14.
        fields.unknownFields = [UnknownField(type: 5, words: [0, 1]), UnknownField(type: 5, words: [16, 8, 0])]
        #expect(
            performing: { try Invoice(bolt11: try fields.encode(signingWith: key)) },
            throws: {
                ($0 as? BOLT11Error)?.code == .unknownRequiredFeature
            })
    }
}
