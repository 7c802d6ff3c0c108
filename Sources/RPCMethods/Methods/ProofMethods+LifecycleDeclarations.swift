import JSONRPC

extension RPCMethod.Declaration {
    static let proofRedeem = Self(
        "proof.redeem", role: .spend,
        summary: """
            Redeem (burn) a proof, optionally co-signed by a redeemer (a gate); nothing can follow. Keys \
            this daemon holds sign at once; an external owner or redeemer gets the redemption to sign \
            (signature_required, sighash, signers) and signs in a second call (redemption_id + \
            owner_signature and/or redeemer_signature).
            """,
        params: [proofID, .optional("redeemer", .owner, "the key that co-signs the redemption")]
            + secondStepParams(id: "redemption_id", signature: "redeemer_signature", of: "redemption")
            + [
                .optional(
                    "owner_signature", .signature,
                    "second step: the external owner's BIP340 signature of the redemption id")
            ],
        result: Schema.anyObject,
        errors: [
            .proofNotFound, .transferPending, .doubleTransfer, .proofRevoked, .invalidProofSignature,
            .transitionNotFound,
        ]
    )

    static let proofAttest = Self(
        "proof.attest", role: .spend,
        summary: """
            Attest a proof as one of its genesis attesters; a key this daemon holds signs at once, an \
            external attester signs in a second call (attestation_id + signature).
            """,
        params: [proofID, .required("attester", .owner, "the attester: 'account:<id>' or its x-only key")]
            + secondStepParams(id: "attestation_id", signature: "signature", of: "attestation"),
        result: Schema.anyObject,
        errors: [.proofNotFound, .notAttester, .invalidProofSignature, .transitionNotFound],
        example: ["proof_id": .string(Example.hex(bytes: 32)), "attester": "account:notary"]
    )

    static let proofRevoke = Self(
        "proof.revoke", role: .spend,
        summary: "Revoke a proof this daemon issued as revocable; it can no longer move or be redeemed.",
        params: [proofID], result: Schema.anyObject,
        errors: [.proofNotFound, .notRevocable, .proofRevoked]
    )

    /// The params of the second call of an external signer: the id of the record to sign and the signature.
    private static func secondStepParams(id: String, signature: String, of record: String) -> [RPCParam] {
        [
            .optional(id, .hex32, "second step: the \(record) to sign"),
            .optional(
                signature, .signature, "second step: the external key's BIP340 signature of the \(record) id"),
        ]
    }
}
