import ArgumentParser
import Foundation
import JSONRPC

/// `t4gctl proof ...`: proof contracts.
struct ProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof", abstract: "Proof contracts: issue, transfer, verify, disclose, export, import.",
        subcommands: [
            Create.self, Get.self, List.self, Verify.self, Transfer.self, History.self, Export.self, Import.self,
            OwnerKey.self, Attest.self, Redeem.self, Revoke.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a proof signed by the daemon's identity.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Kind, e.g. mentoring_session or purchase.") var kind: String
        @Option(help: "First owner: account:<id> or an x-only key.") var owner: String
        @Option(name: .customLong("field"), help: "A field as name=value (repeatable).") var fields: [String] = []
        @Option(help: "A key identifying this request, for safe retries.") var idempotencyKey: String?
        @Option(help: "Unix seconds from which the proof is expired.") var expiresAt: Int64?
        @Flag(help: "The issuer may revoke the proof.") var revocable = false
        @Option(name: .customLong("attester"), help: "A key that must attest the proof (repeatable).")
        var attesters: [String] = []

        func run() async throws {
            var object = JSONObject()
            for field in fields {
                guard let equals = field.firstIndex(of: "=") else {
                    CommandOutput.printError(
                        reason: "invalid_params", message: "--field wants name=value", asJSON: connection.json)
                    throw ExitCode(ExitCodes.invalidInput)
                }
                object[String(field[..<equals])] = .string(String(field[field.index(after: equals)...]))
            }
            var params: JSONObject = ["kind": .string(kind), "owner": .string(owner), "fields": .object(object)]
            if let idempotencyKey { params["idempotency_key"] = .string(idempotencyKey) }
            if let expiresAt { params["expires_at"] = .integer(expiresAt) }
            if revocable { params["revocable"] = true }
            if !attesters.isEmpty { params["attesters"] = .array(attesters.map(JSONValue.string)) }
            try await connection.run("proof.create", params)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A proof held by the daemon.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The proof id.") var proofID: String
        func run() async throws { try await connection.run("proof.get", ["proof_id": .string(proofID)]) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Proofs, newest first.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOptions
        @Option(help: "Only this owner (account:<id> or key).") var owner: String?
        @Option(help: "Only proofs this account or key ever owned (issued or transferred to it).") var heldBy: String?
        @Option(help: "Only proofs issued at or after these Unix seconds.") var issuedFrom: Int64?
        @Option(help: "Only proofs issued at or before these Unix seconds.") var issuedTo: Int64?
        @Option(help: "Only this kind.") var kind: String?
        @Option(help: "active, transfer_pending, incomplete, redeemed or revoked.") var status: String?
        @Option(help: "Only proofs of this issuer (x-only key).") var issuer: String?
        @Option(help: "Only proofs with this field value, as name=value.") var field: String?

        func run() async throws {
            var params = page.params
            if let owner { params["owner"] = .string(owner) }
            if let heldBy { params["held_by"] = .string(heldBy) }
            if let issuedFrom { params["issued_from"] = .integer(issuedFrom) }
            if let issuedTo { params["issued_to"] = .integer(issuedTo) }
            if let kind { params["kind"] = .string(kind) }
            if let status { params["status"] = .string(status) }
            if let issuer { params["issuer"] = .string(issuer) }
            if let field {
                let equals = field.firstIndex(of: "=") ?? field.endIndex
                let value = equals == field.endIndex ? "" : String(field[field.index(after: equals)...])
                params["field"] = ["name": .string(String(field[..<equals])), "value": .string(value)]
            }
            try await connection.run("proof.list", params)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a stored proof or a consignment file.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "A proof id, or the path of a consignment JSON file.") var proof: String

        func run() async throws {
            if FileManager.default.fileExists(atPath: proof) {
                try await connection.run(
                    "proof.verify", ["consignment": try readConsignment(proof, json: connection.json)])
            } else {
                try await connection.run("proof.verify", ["proof_id": .string(proof)])
            }
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transfer a proof; with --amount-msat, against an invoice the daemon creates.",
            discussion: "An external owner first gets a sighash, then calls again with --transition-id and --signature."
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The proof id.") var proofID: String
        @Option(help: "New owner: account:<id> or an x-only key.") var to: String
        @Option(help: "Bind the transfer to an invoice of this amount.") var amountMsat: Int64?
        @Option(help: "Description of that invoice.") var description: String?
        @Option(help: "Expiry of that invoice, in seconds.") var expiry: Int64?
        @Option(help: "Second step: the transition id to complete.") var transitionID: String?
        @Option(help: "Second step: the owner's BIP340 signature of the sighash (hex).") var signature: String?
        @Option(help: "A key identifying this request, for safe retries.") var idempotencyKey: String?

        func run() async throws {
            var params: JSONObject = ["proof_id": .string(proofID), "to": .string(to)]
            if let amountMsat {
                var payment: JSONObject = ["amount_msat": .integer(amountMsat)]
                if let description { payment["description"] = .string(description) }
                if let expiry { payment["expiry_s"] = .integer(expiry) }
                params["payment"] = .object(payment)
            }
            if let transitionID { params["transition_id"] = .string(transitionID) }
            if let signature { params["signature"] = .string(signature) }
            if let idempotencyKey { params["idempotency_key"] = .string(idempotencyKey) }
            try await connection.run("proof.transfer", params)
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The proof's chain of transitions.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The proof id.") var proofID: String
        func run() async throws { try await connection.run("proof.history", ["proof_id": .string(proofID)]) }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a proof's consignment (JSON).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The proof id.") var proofID: String
        @Option(name: .customLong("disclose"), help: "Field to reveal (repeatable; default all).") var disclose:
            [String] = []

        func run() async throws {
            var params: JSONObject = ["proof_id": .string(proofID)]
            if !disclose.isEmpty { params["disclose"] = .array(disclose.map(JSONValue.string)) }
            let result = try await connection.call("proof.export", params)
            print(String(decoding: (result["consignment"] ?? .null).serialized(), as: UTF8.self))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate and store a received consignment file.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The consignment JSON file.") var path: String

        func run() async throws {
            try await connection.run("proof.import", ["consignment": try readConsignment(path, json: connection.json)])
        }
    }

    struct OwnerKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "owner-key", abstract: "The public key behind account:<id> on this daemon.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "account:<id>") var owner: String
        func run() async throws { try await connection.run("proof.owner_key", ["owner": .string(owner)]) }
    }
}

/// Reads a consignment JSON file; exits with the invalid-input code when it is not a JSON object.
func readConsignment(_ path: String, json: Bool) throws -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path), let value = try? JSONValue.parse(Array(data)),
        value.objectValue != nil
    else {
        CommandOutput.printError(reason: "invalid_params", message: "\(path) is not a JSON consignment", asJSON: json)
        throw ExitCode(ExitCodes.invalidInput)
    }
    return value
}
