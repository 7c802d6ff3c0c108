import Proofs
import Secp256k1

/// A proof issued with five fields and moved `length` times, each time to a new owner, built once from
/// fixed keys; and every BIP340 signature its consignment carries, for the bare baseline.
public struct ProofChain: Sendable {
    /// One signature a validator verifies: the signer's x-only key, the 32-byte message, the signature.
    public struct Signature: Sendable {
        public let publicKey: [UInt8]
        public let message: [UInt8]
        public let signature: [UInt8]
    }

    /// Issue time of every benchmark proof, Unix seconds.
    public static let issuedAt: UInt64 = 1_714_550_400
    /// The issuer of every benchmark proof.
    public static let issuer = key(0)
    /// The fields of every benchmark proof (those of the sample mentoring session in docs/proofs.md).
    public static let fields: [Field] = [
        try! Field(name: "mentor", value: "Alice Martin"),
        try! Field(name: "mentee", value: "Bob Okafor"),
        try! Field(name: "topic", value: "Opening Lightning channels"),
        try! Field(name: "date", value: "2024-05-01"),
        try! Field(name: "duration_min", value: "60"),
    ]

    /// The whole chain, disclosing every field.
    public let consignment: Consignment
    /// The issuer's signature, then each transition's, in chain order.
    public let signatures: [Signature]

    /// Issues a proof to owner 1 and moves it to owners 2, 3, … `length + 1`.
    public init(length: Int) {
        let owners = (1...(length + 1)).map(Self.key)
        var proof = try! Proof.issue(
            kind: .mentoringSession, fields: Self.fields, owner: owners[0].xOnlyPublicKey, issuer: Self.issuer,
            network: .regtest, issuedAt: Self.issuedAt)
        var signatures = [
            Signature(
                publicKey: proof.genesis.issuer.bytes, message: proof.id.bytes, signature: proof.issuerSignature.bytes)
        ]
        signatures.reserveCapacity(length + 1)
        for step in 0..<length {
            let transition = try! proof.makeTransition(
                to: owners[step + 1].xOnlyPublicKey, createdAt: Self.issuedAt + UInt64(step + 1))
            let signature = owners[step].signSchnorr(message: transition.sighash)
            try! proof.append(transition, signature: signature)
            signatures.append(
                Signature(
                    publicKey: owners[step].xOnlyPublicKey.bytes, message: transition.sighash,
                    signature: signature.bytes))
        }
        consignment = try! proof.export()
        self.signatures = signatures
    }

    /// The consignment as it was when it held only its first `count` transitions.
    public func prefix(_ count: Int) -> Consignment {
        Consignment(
            genesis: consignment.genesis, issuerSignature: consignment.issuerSignature,
            transitions: Array(consignment.transitions.prefix(count)), disclosedFields: consignment.disclosedFields)
    }

    /// The benchmark key number `index`: SHA-256 of a fixed text (a valid secret key for every index used).
    public static func key(_ index: Int) -> PrivateKey {
        try! PrivateKey(bytes: SHA256.hash(Array("t4gd proof benchmark key \(index)".utf8)))
    }
}
