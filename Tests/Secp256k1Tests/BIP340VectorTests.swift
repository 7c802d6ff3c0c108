import Foundation
import Secp256k1
import TestSupport
import Testing

/// One row of BIP340's `test-vectors.csv`.
struct BIP340Vector: CustomTestStringConvertible, Sendable {
    let index: Int
    let secretKey: [UInt8]?
    let publicKey: [UInt8]
    let auxiliaryRandomness: [UInt8]?
    let message: [UInt8]
    let signature: [UInt8]
    let isValid: Bool
    let comment: String

    var testDescription: String { "BIP340 #\(index) \(comment)" }

    /// A row that does not parse: its line number and why.
    struct MalformedRow: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "test-vectors.csv line \(line): \(reason)" }
    }

    /// The rows of `shared/testdata/bip340/test-vectors.csv`, header skipped.
    static func load() throws -> [BIP340Vector] {
        let url = sharedTestData("bip340/test-vectors.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return try lines.enumerated().map { offset, line in try parse(line, lineNumber: offset + 2) }
    }

    private static func parse(_ line: Substring, lineNumber: Int) throws -> BIP340Vector {
        let columns = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func bytes(_ column: Int) throws -> [UInt8] {
            guard let value = [UInt8](hex: columns[column]) else {
                throw MalformedRow(line: lineNumber, reason: "column \(column) is not hex")
            }
            return value
        }
        guard columns.count >= 8, let index = Int(columns[0]), ["TRUE", "FALSE"].contains(columns[6]) else {
            throw MalformedRow(line: lineNumber, reason: "not index,key,pubkey,aux,message,signature,result,comment")
        }
        return BIP340Vector(
            index: index, secretKey: columns[1].isEmpty ? nil : try bytes(1), publicKey: try bytes(2),
            auxiliaryRandomness: columns[3].isEmpty ? nil : try bytes(3), message: try bytes(4),
            signature: try bytes(5), isValid: columns[6] == "TRUE", comment: columns[7...].joined(separator: ","))
    }

    /// What BIP340 verification of this row gives: a key or signature that does not parse fails verification.
    var verifies: Bool {
        guard let key = try? XOnlyPublicKey(bytes: publicKey), let signature = try? SchnorrSignature(bytes: signature)
        else { return false }
        return key.isValidSignature(signature, message: message)
    }
}

/// Every vector of the final BIP340 file (`shared/testdata/bip340/test-vectors.csv`, bitcoin/bips 7fe0b034):
/// each signing vector (0-3; 15-18 sign messages of 0, 1, 17 and 100 bytes) signs to exactly its recorded
/// signature, and every row's verification result is the recorded one.
@Suite struct BIP340VectorTests {
    static let loaded = Result { try BIP340Vector.load() }
    static let vectors = (try? loaded.get()) ?? []

    @Test func allNineteenVectorsOfTheFinalFileAreLoaded() throws {
        let vectors = try Self.loaded.get()
        #expect(vectors.map(\.index) == Array(0...18))
        #expect(vectors.filter { $0.secretKey != nil }.map(\.index) == [0, 1, 2, 3, 15, 16, 17, 18])
        #expect(vectors.filter { 15...18 ~= $0.index }.map(\.message.count) == [0, 1, 17, 100])
    }

    @Test(arguments: vectors)
    func verificationGivesTheRecordedResult(_ vector: BIP340Vector) {
        #expect(vector.verifies == vector.isValid)
    }

    @Test(arguments: vectors.filter { $0.secretKey != nil })
    func signsToExactlyTheRecordedSignature(_ vector: BIP340Vector) throws {
        let key = try PrivateKey(bytes: try #require(vector.secretKey))
        #expect(key.xOnlyPublicKey.bytes == vector.publicKey)
        let signature = key.signSchnorr(message: vector.message, auxiliaryRandomness: vector.auxiliaryRandomness)
        #expect(signature.bytes == vector.signature)
        #expect(key.xOnlyPublicKey.isValidSignature(signature, message: vector.message))
        #expect(!key.xOnlyPublicKey.isValidSignature(signature, message: vector.message + [0]))
    }

    @Test func rejectsKeysOffTheCurve() {
        #expect(throws: Secp256k1Error(.invalidPublicKey)) {
            try XOnlyPublicKey(bytes: [UInt8](hex: "eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34")!)
        }
    }

    @Test func signsMessagesOfAnyLength() throws {
        let key = PrivateKey.random()
        for length in [0, 1, 17, 100] {
            let message = [UInt8](repeating: 7, count: length)
            #expect(key.xOnlyPublicKey.isValidSignature(key.signSchnorr(message: message), message: message))
        }
    }
}
