import Foundation
import Proofs
import Secp256k1

/// Keys, fields and chains shared by the proof tests.
enum Fixtures {
    static let issuerKey = key(0x01)
    static let mentorKey = key(0x02)
    static let menteeKey = key(0x03)
    static let strangerKey = key(0x04)

    static var issuer: XOnlyPublicKey { issuerKey.xOnlyPublicKey }
    static var mentor: XOnlyPublicKey { mentorKey.xOnlyPublicKey }
    static var mentee: XOnlyPublicKey { menteeKey.xOnlyPublicKey }
    static var stranger: XOnlyPublicKey { strangerKey.xOnlyPublicKey }

    static let issuedAt: UInt64 = 1_714_550_400
    static let validator = ProofValidator(trustedIssuers: [issuer], network: .regtest)

    /// The secret key whose 32 bytes all equal `byte`.
    static func key(_ byte: UInt8) -> PrivateKey {
        try! PrivateKey(bytes: [UInt8](repeating: byte, count: 32))
    }

    /// 32 bytes all equal to `byte`.
    static func bytes(_ byte: UInt8) -> [UInt8] {
        [UInt8](repeating: byte, count: 32)
    }

    /// The fields of the sample mentoring session, in the order given to `issue`.
    static let sessionFields: [Field] = [
        try! Field(name: "mentor", value: "Alice Martin"),
        try! Field(name: "mentee", value: "Bob Okafor"),
        try! Field(name: "topic", value: "Opening Lightning channels"),
        try! Field(name: "date", value: "2024-05-01"),
        try! Field(name: "duration_min", value: "60"),
    ]

    /// A source that salts field number i (in `sessionFields` order, else 0x1f) with 0x11 + i and signs with
    /// auxiliary randomness 0xa1.
    static let fixedRandomness = Randomness { purpose in
        switch purpose {
        case .salt(let name):
            let index = sessionFields.firstIndex { $0.name == name } ?? 14
            return bytes(0x11 + UInt8(index))
        case .auxiliary:
            return bytes(0xa1)
        }
    }

    /// The sample session proof, issued by `issuerKey` to the mentor.
    static func sessionProof(issuer: PrivateKey = issuerKey) -> Proof {
        try! Proof.issue(
            kind: .mentoringSession, fields: sessionFields, owner: mentor, issuer: issuer, network: .regtest,
            issuedAt: issuedAt, randomness: fixedRandomness)
    }

    /// A proof moved `length` times, alternately to the mentee and back to the mentor.
    static func chain(length: Int) -> Proof {
        var proof = sessionProof()
        for step in 0..<length {
            let (signer, next) = step % 2 == 0 ? (mentorKey, mentee) : (menteeKey, mentor)
            let transition = try! proof.makeTransition(to: next, createdAt: issuedAt + UInt64(step + 1))
            try! proof.append(transition, signature: signer.signSchnorr(message: transition.sighash))
        }
        return proof
    }

    /// `transition` signed by `signer`.
    static func signed(_ transition: Transition, by signer: PrivateKey, preimage: Preimage? = nil) -> SignedTransition {
        SignedTransition(
            transition: transition, signature: signer.signSchnorr(message: transition.sighash), preimage: preimage)
    }
}

extension Consignment {
    /// The same consignment with other transitions.
    func replacing(transitions: [SignedTransition]) -> Consignment {
        Consignment(
            genesis: genesis, issuerSignature: issuerSignature, transitions: transitions,
            disclosedFields: disclosedFields)
    }

    /// The same consignment with other disclosed fields.
    func replacing(disclosedFields: [SaltedField]) -> Consignment {
        Consignment(
            genesis: genesis, issuerSignature: issuerSignature, transitions: transitions,
            disclosedFields: disclosedFields)
    }
}

extension Transition {
    /// A copy with some parts changed (a new id follows).
    func with(
        proofID: ProofID? = nil, previous: Hash256? = nil, sequence: UInt64? = nil, paymentHash: Hash256?? = nil
    ) -> Transition {
        Transition(
            version: version, proofID: proofID ?? self.proofID, previous: previous ?? self.previous,
            sequence: sequence ?? self.sequence, newOwner: newOwner, paymentHash: paymentHash ?? self.paymentHash,
            createdAt: createdAt)
    }
}

extension Fixtures {
    static let preimage = try! Preimage(bytes: bytes(0x44))

    /// `consignment` as JSON, changed by `edit` on its parsed object, decoded again.
    static func edited(_ consignment: Consignment, _ edit: (inout [String: Any]) -> Void) throws -> Consignment {
        try Consignment(json: editedJSON(consignment, edit))
    }

    /// `consignment` as JSON, changed by `edit` on its parsed object.
    static func editedJSON(_ consignment: Consignment, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: consignment.json()) as! [String: Any]
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Sets `value` at `key` of the object at index `index` of the array at `arrayKey`.
    mutating func set(_ arrayKey: String, _ index: Int, _ key: String, _ value: Any) {
        var array = self[arrayKey] as! [[String: Any]]
        array[index][key] = value
        self[arrayKey] = array
    }

    /// Sets `value` at `key` of the nested object at `objectKey`.
    mutating func set(_ objectKey: String, _ key: String, _ value: Any) {
        var object = self[objectKey] as! [String: Any]
        object[key] = value
        self[objectKey] = object
    }
}
