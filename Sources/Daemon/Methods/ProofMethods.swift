import Foundation
import JSONRPC
import Lightning
import Proofs

extension DaemonComponents {
    /// The statuses `proof.list` filters by.
    static let proofStatuses = ["active", "transfer_pending"]

    var proofMethods: [RPCMethod] {
        let proofID = RPCMethod.Param.required("proof_id", Schema.hex32, "the proof (contract) id")
        let owner: JSONValue = ["type": "string", "description": "'account:<id>' or an x-only public key (hex)"]
        return [
            RPCMethod(
                "proof.create", role: .admin, summary: "Issue a proof signed by this daemon's identity.",
                params: [
                    .required("kind", Schema.string, "e.g. mentoring_session, purchase"),
                    .required("fields", ["type": "object", "additionalProperties": Schema.string], "name → text"),
                    .required("owner", owner, "the first owner"),
                ],
                result: Schema.ref("proof"), errors: ["invalid_params"]
            ) { params, _ in
                guard let fields = params.object["fields"]?.objectValue else {
                    throw DaemonError.invalidParams("'fields' must be an object of strings")
                }
                let pairs = try fields.keys.map { name in
                    guard let value = fields[name]?.stringValue else {
                        throw DaemonError.invalidParams("field '\(name)' must be a string")
                    }
                    return (name, value)
                }
                let record = try await proofs.create(
                    kind: try params.requiredString("kind", maxLength: 64), fields: pairs,
                    owner: try params.requiredString("owner"))
                return ProofPayloads.proof(record, account: try await store.account(forKey: record.owner))
            },
            RPCMethod(
                "proof.owner_key", role: .invoice,
                summary: """
                    The x-only public key of an owner reference, e.g. the key this daemon holds for account:<id>; \
                    registers that account key (so it needs a role that may write).
                    """,
                params: [.required("owner", owner, "'account:<id>' or a key")],
                result: Schema.object([("pubkey", Schema.hex32), ("owner_account", ["type": ["string", "null"]])])
            ) { params, _ in
                let resolved = try await proofs.owner(try params.requiredString("owner"))
                return [
                    "pubkey": .string(resolved.key.bytes.hex),
                    "owner_account": resolved.account.map { .string("account:\($0)") } ?? .null,
                ]
            },
            RPCMethod(
                "proof.get", role: .readonly, summary: "A proof held by this daemon.", params: [proofID],
                result: Schema.ref("proof"), errors: ["proof_not_found"]
            ) { params, _ in
                let (record, _) = try await proofs.load(try params.requiredString("proof_id"))
                return ProofPayloads.proof(record, account: try await store.account(forKey: record.owner))
            },
            RPCMethod(
                "proof.list", role: .readonly, summary: "Proofs, newest first, by owner, kind and status.",
                params: [
                    .optional("owner", owner, "only this owner"), .optional("kind", Schema.string, "only this kind"),
                    .optional("status", Schema.oneOf(Self.proofStatuses), "only this status"),
                ] + RPCMethod.Param.paging,
                result: Schema.page(of: "proof")
            ) { params, _ in
                var ownerKey: String?
                if let owner = try params.string("owner") {
                    ownerKey = try await proofs.owner(owner, remember: false).key.bytes.hex
                }
                let page = try await store.proofs(
                    owner: ownerKey, kind: try params.string("kind"),
                    status: try params.choice("status", of: Self.proofStatuses),
                    limit: try params.limit(), cursor: try params.string("cursor"))
                var items: [JSONValue] = []
                for record in page.items {
                    items.append(ProofPayloads.proof(record, account: try await store.account(forKey: record.owner)))
                }
                return Self.page(items, next: page.nextCursor)
            },
            RPCMethod(
                "proof.verify", role: .readonly,
                summary: "Validate a stored proof (proof_id) or a consignment; lists every failed rule by name.",
                params: [
                    .optional("proof_id", Schema.hex32, "a stored proof"),
                    .optional("consignment", Schema.anyObject, "or a consignment document"),
                ],
                result: Schema.ref("verification"), errors: ["proof_not_found"]
            ) { params, _ in
                let consignment: Consignment
                if let value = params.object["consignment"], !value.isNull {
                    consignment = try ProofPayloads.consignment(value)
                } else {
                    consignment = try await proofs.export(proofID: try params.requiredString("proof_id"), disclose: nil)
                }
                return ProofPayloads.verification(proofs.validator().validate(consignment))
            },
            RPCMethod(
                "proof.transfer", role: .admin,
                summary: """
                    Transfer a proof to a new owner; with `payment`, bound to an invoice the daemon creates and \
                    completed when it is paid. External owners sign in a second call (transition_id + signature).
                    """,
                params: [
                    proofID, .required("to", owner, "the new owner"),
                    .optional(
                        "payment",
                        Schema.object([
                            ("amount_msat", Schema.msat), ("description", Schema.string),
                            ("expiry_s", Schema.integer(1, 31_536_000)),
                        ]), "bind the transfer to this invoice"),
                    .optional("transition_id", Schema.hex32, "second step: the transition to sign"),
                    .optional(
                        "signature", ["type": "string", "pattern": "^[0-9a-f]{128}$"], "second step: BIP340 signature"),
                ],
                result: Schema.anyObject,
                errors: [
                    "proof_not_found", "transfer_pending", "double_transfer", "invalid_proof_signature",
                    "transition_not_found",
                ]
            ) { params, _ in
                var terms: ProofBook.PaymentTerms?
                if let payment = params.object["payment"], !payment.isNull {
                    guard let object = payment.objectValue else {
                        throw DaemonError.invalidParams("'payment' must be an object")
                    }
                    let inner = try Params(object, allowed: ["amount_msat", "amount_sat", "description", "expiry_s"])
                    guard let amount = try inner.amount() else {
                        throw DaemonError("amount_required", "payment needs an amount")
                    }
                    terms = ProofBook.PaymentTerms(
                        amount: amount,
                        description: try inner.string("description", maxLength: 639) ?? "proof transfer",
                        expirySeconds: try inner.integer("expiry_s", in: 1...31_536_000) ?? 3600)
                }
                let signature = try params.string("signature").map { text in
                    guard let bytes = [UInt8](hex: text), bytes.count == 64 else {
                        throw DaemonError.invalidParams("'signature' must be 128 hex digits")
                    }
                    return bytes
                }
                return try await proofs.transfer(
                    proofID: try params.requiredString("proof_id").lowercased(), to: try params.requiredString("to"),
                    payment: terms, transitionID: try params.string("transition_id"), signature: signature)
            },
            RPCMethod(
                "proof.history", role: .readonly, summary: "The proof's chain: genesis and every transition.",
                params: [proofID], result: Schema.anyObject, errors: ["proof_not_found"]
            ) { params, _ in
                let (record, proof) = try await proofs.load(try params.requiredString("proof_id"))
                let rows = try await store.proofTransitions(proofID: record.proofID)
                return [
                    "proof_id": .string(record.proofID), "issuer": .string(record.issuer),
                    "initial_owner": .string(proof.genesis.owner.bytes.hex),
                    "issued_at": .integer(Int64(proof.genesis.issuedAt)),
                    "transitions": .array(
                        rows.map { row in
                            [
                                "transition_id": .string(row.transitionID), "sequence": .integer(row.sequence),
                                "previous_id": .string(row.previousID), "new_owner": .string(row.newOwner),
                                "payment_hash": row.paymentHash.map(JSONValue.string) ?? .null,
                                "created_at": .integer(row.createdAt), "state": .string(row.state.rawValue),
                            ]
                        }),
                ]
            },
            RPCMethod(
                "proof.export", role: .readonly,
                summary: "The consignment of a proof, disclosing the chosen fields (default all).",
                params: [proofID, .optional("disclose", Schema.array(Schema.string), "field names to reveal")],
                result: ["type": "object", "properties": ["consignment": Schema.anyObject]], errors: ["proof_not_found"]
            ) { params, _ in
                var disclose: [String]?
                if let value = params.object["disclose"], !value.isNull {
                    guard let names = value.arrayValue?.compactMap(\.stringValue),
                        names.count == value.arrayValue?.count
                    else { throw DaemonError.invalidParams("'disclose' must be a list of field names") }
                    disclose = names
                }
                let consignment = try await proofs.export(
                    proofID: try params.requiredString("proof_id"), disclose: disclose)
                return ["consignment": try JSONValue.parse(Array(consignment.json()))]
            },
            RPCMethod(
                "proof.import", role: .admin,
                summary:
                    "Validate a received consignment and store it; refuses one that conflicts with a stored chain.",
                params: [.required("consignment", Schema.anyObject, "the consignment document")],
                result: Schema.anyObject, errors: ["proof_invalid", "double_transfer"]
            ) { params, _ in
                guard let value = params.object["consignment"] else {
                    throw DaemonError.invalidParams("'consignment' is required")
                }
                let (record, result) = try await proofs.importConsignment(try ProofPayloads.consignment(value))
                return [
                    "proof": ProofPayloads.proof(record, account: try await store.account(forKey: record.owner)),
                    "verification": ProofPayloads.verification(result),
                ]
            },
        ]
    }
}
