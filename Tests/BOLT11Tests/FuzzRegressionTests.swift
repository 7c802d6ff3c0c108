import BOLT11
import Foundation
import Secp256k1
import Testing

/// Inputs the fuzzer (fuzz/run-bolt11.sh) once found, kept in fuzz/regressions: each must decode without a
/// crash, and whatever decodes must round-trip through encode and decode unchanged.
@Suite struct FuzzRegressionTests {
    static let inputs: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../fuzz/regressions").standardizedFileURL
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }()

    @Test func regressionsAreThere() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test(arguments: inputs)
    func decodesConsistently(_ input: String) throws {
        guard let invoice = try? Invoice(bolt11: input.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        let key = try PrivateKey(bytes: [UInt8](repeating: 7, count: 32))
        var fields = invoice.fields
        fields.payeeNodeID = nil
        #expect(try Invoice(bolt11: try fields.encode(signingWith: key)).fields == fields)
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
