import ArgumentParser
import JSONRPC

extension ProofCommand {
    struct Redeem: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Redeem (burn) a proof, optionally co-signed by a redeemer such as a gate; nothing can follow.",
            discussion:
                """
                An external owner or redeemer first gets a sighash and the signers it lacks, then calls again with \
                --redemption-id and --owner-signature and/or --redeemer-signature.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The proof id.") var proofID: String
        @Option(help: "The co-signing redeemer: account:<id> or an x-only key.") var redeemer: String?
        @Option(help: "Second step: the redemption id to complete.") var redemptionID: String?
        @Option(help: "Second step: the redeemer's BIP340 signature of the sighash (hex).") var redeemerSignature:
            String?
        @Option(help: "Second step: the external owner's BIP340 signature of the sighash (hex).") var ownerSignature:
            String?

        func run() async throws {
            var params: JSONObject = ["proof_id": .string(proofID)]
            if let redeemer { params["redeemer"] = .string(redeemer) }
            if let redemptionID { params["redemption_id"] = .string(redemptionID) }
            if let redeemerSignature { params["redeemer_signature"] = .string(redeemerSignature) }
            if let ownerSignature { params["owner_signature"] = .string(ownerSignature) }
            try await connection.run("proof.redeem", params)
        }
    }

    struct Attest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attest a proof as one of its attesters.",
            discussion:
                "An external attester first gets a sighash, then calls again with --attestation-id and --signature."
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The proof id.") var proofID: String
        @Option(help: "The attester: account:<id> or an x-only key.") var attester: String
        @Option(help: "Second step: the attestation id to complete.") var attestationID: String?
        @Option(help: "Second step: the attester's BIP340 signature of the sighash (hex).") var signature: String?

        func run() async throws {
            var params: JSONObject = ["proof_id": .string(proofID), "attester": .string(attester)]
            if let attestationID { params["attestation_id"] = .string(attestationID) }
            if let signature { params["signature"] = .string(signature) }
            try await connection.run("proof.attest", params)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a proof this daemon issued as revocable.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The proof id.") var proofID: String
        func run() async throws { try await connection.run("proof.revoke", ["proof_id": .string(proofID)]) }
    }
}
