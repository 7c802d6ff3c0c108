import Foundation
import Proofs
import Secp256k1
import Testing

/// A small deterministic generator (SplitMix64), so a failing case can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}

@Suite struct LifecyclePropertyTests {
    typealias L = LifecycleFixtures
    static let owners = [Fixtures.mentorKey, Fixtures.menteeKey, Fixtures.strangerKey]

    /// A proof issued with random terms and taken through up to eight random lifecycle steps (transfers,
    /// paid and unpaid payment-bound transfers, attestations, redemption, revocation); steps the proof
    /// refuses are skipped.
    static func randomLifecycle(_ random: inout SeededGenerator) -> Proof {
        let attesters = [L.buyer, L.merchant].filter { _ in Bool.random(using: &random) }
        var proof = L.termsProof(
            expiresAt: Bool.random(using: &random) ? L.expiresAt : nil, revocable: Bool.random(using: &random),
            attesters: attesters)
        var ownerKey = Fixtures.mentorKey
        var time = Fixtures.issuedAt
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            time += 10
            switch Int.random(in: 0..<6, using: &random) {
            case 0, 1:
                let next = owners.randomElement(using: &random)!
                let paid = Int.random(in: 0..<3, using: &random)
                let hash = paid == 0 ? nil : Fixtures.preimage.paymentHash
                guard
                    let transition = try? proof.makeTransition(
                        to: next.xOnlyPublicKey, paymentHash: hash, createdAt: time)
                else { continue }
                try! proof.append(transition, signature: ownerKey.signSchnorr(message: transition.sighash))
                if paid != 2 {
                    if hash != nil { try! proof.attachPreimage(Fixtures.preimage) }
                    ownerKey = next
                }
            case 2:
                guard let attester = proof.missingAttesters.first else { continue }
                let key = attester == L.buyer ? L.buyerKey : L.merchantKey
                let attestation = try! proof.makeAttestation(by: attester, attestedAt: time)
                try! proof.attest(attestation, signature: key.signSchnorr(message: attestation.sighash))
            case 3:
                let gate = Bool.random(using: &random) ? L.gateKey : nil
                guard let redemption = try? proof.makeRedemption(redeemer: gate?.xOnlyPublicKey, redeemedAt: time)
                else { continue }
                try! proof.redeem(
                    redemption, ownerSignature: ownerKey.signSchnorr(message: redemption.sighash),
                    redeemerSignature: gate?.signSchnorr(message: redemption.sighash))
            case 4:
                guard let revocation = try? proof.makeRevocation(revokedAt: time) else { continue }
                try! proof.revoke(revocation, signature: Fixtures.issuerKey.signSchnorr(message: revocation.id.bytes))
            default:
                _ = try? proof.cancelPendingTransfer()
            }
        }
        return proof
    }

    @Test func randomLifecyclesValidateToTheSameStatusOnBothSides() throws {
        var random = SeededGenerator(seed: 20)
        var statuses = Set<ProofStatus>()
        for _ in 0..<200 {
            let proof = Self.randomLifecycle(&random)
            let now = [nil, L.expiresAt - 1, L.expiresAt].randomElement(using: &random)!
            let received = try Consignment(json: proof.export().json())
            let result = Fixtures.validator.validate(received, at: now)
            #expect(result.failures == [])
            #expect(result.status == proof.status(at: now))
            #expect(result.owner == proof.owner)
            #expect(Set(result.missingAttesters) == Set(proof.missingAttesters))
            #expect(Proof(received).status(at: now) == proof.status(at: now))
            statuses.insert(result.status)
        }
        #expect(statuses == Set(ProofStatus.allCases))
    }

    /// Every byte of a version 2 document, changed to another value, makes it fail: decoding throws a named
    /// ``ProofError`` or validation reports a named rule.
    @Test func everyFlippedByteOfAVersion2DocumentFailsByName() throws {
        var random = SeededGenerator(seed: 7)
        let documents = [
            try L.everything().export().json(), try L.attested(L.termsProof(), by: L.buyerKey).export().json(),
        ]
        for document in documents {
            #expect(Fixtures.validator.validate(try Consignment(json: document)).isValid)
            for index in document.indices {
                var flipped = document
                flipped[index] ^= UInt8.random(in: 1...255, using: &random)
                do {
                    let result = Fixtures.validator.validate(try Consignment(json: flipped))
                    #expect(
                        !result.failures.isEmpty, "byte \(index) flipped: \(String(decoding: flipped, as: UTF8.self))")
                } catch {
                    #expect(!error.code.name.isEmpty)
                }
            }
        }
    }
}
