import Foundation
import JSONRPC
import Lightning
import Proofs
import Wallet

extension DaemonComponents {
    /// The statuses a stored proof has and `proof.list` filters by (`expired` is judged by `proof.verify`).
    static let proofStatuses = ProofStatus.allCases.filter { $0 != .expired }.map(\.rawValue)

    var proofMethods: [RPCMethod] {
        let proofID = RPCMethod.Param.required("proof_id", Schema.hex32, "the proof (contract) id")
        let owner: JSONValue = ["type": "string", "description": "'account:<id>' or an x-only public key (hex)"]
        let idempotencyKey = RPCMethod.Param.optional(
            "idempotency_key", Schema.string,
            "a key that identifies this request for this method in this store (all instances); a repeat returns the"
                + " first result with replayed: true")
        return [
            RPCMethod(
                "proof.create", role: .admin, summary: "Issue a proof signed by this daemon's identity.",
                params: [
                    .required("kind", Schema.string, "e.g. mentoring_session, purchase"),
                    .required("fields", ["type": "object", "additionalProperties": Schema.string], "name → text"),
                    .required("owner", owner, "the first owner"), idempotencyKey,
                ] + Self.lifecycleTermParams,
                result: Schema.written("proof"), errors: ["invalid_params", "idempotency_conflict"]
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
                let outcome = try await proofs.create(
                    kind: try params.requiredString("kind", maxLength: 64), fields: pairs,
                    owner: try params.requiredString("owner"), terms: try Self.lifecycleTerms(params),
                    idempotencyKey: try params.string("idempotency_key", maxLength: 256))
                let account = try await store.account(forKey: outcome.value.owner)
                return Self.written(outcome) { ProofPayloads.proof($0, account: account).objectValue ?? [:] }
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
                "proof.list", role: .readonly,
                summary: """
                    Proofs, newest first, by owner, every key that ever held them, kind, status, issuer, issue time \
                    and the value of a field; `total` counts the whole filtered range.
                    """,
                params: [
                    .optional("owner", owner, "only this owner"),
                    .optional("held_by", owner, "only proofs this key or account ever owned (issued or moved to it)"),
                    .optional("kind", Schema.string, "only this kind"),
                    .optional("status", Schema.oneOf(Self.proofStatuses), "only this status"),
                ] + Self.proofListFilterParams + RPCMethod.Param.paging,
                result: Schema.page(of: "proof", counted: true)
            ) { params, _ in
                var filter = try Self.proofListFilter(params)
                if let owner = try params.string("owner") {
                    filter.owner = try await proofs.owner(owner, remember: false).key.bytes.hex
                }
                if let holder = try params.string("held_by") {
                    filter.heldBy = try await proofs.owner(holder, remember: false).key.bytes.hex
                }
                filter.kind = try params.string("kind")
                filter.status = try params.choice("status", of: Self.proofStatuses)
                let page = try await store.proofs(
                    filter, limit: try params.limit(), cursor: try params.string("cursor"))
                var items: [JSONValue] = []
                for record in page.items {
                    items.append(ProofPayloads.proof(record, account: try await store.account(forKey: record.owner)))
                }
                return Self.page(items, next: page.nextCursor, total: page.total)
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
                    completed when it is paid. External owners sign in a second call (transition_id + signature), \
                    whose answer carries the invoice. A repeat, or a transfer to the current owner, returns the \
                    current state with replayed: true.
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
                    idempotencyKey,
                ],
                result: ["allOf": [Schema.anyObject, Schema.object([("replayed", Schema.boolean)])]],
                errors: [
                    "proof_not_found", "transfer_pending", "double_transfer", "invalid_proof_signature",
                    "transition_not_found", "idempotency_conflict",
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
                let outcome = try await proofs.transfer(
                    proofID: try params.requiredString("proof_id").lowercased(), to: try params.requiredString("to"),
                    payment: terms, transitionID: try params.string("transition_id"), signature: signature,
                    idempotencyKey: try params.string("idempotency_key", maxLength: 256))
                return Self.written(outcome) { $0.objectValue ?? [:] }
            },
            RPCMethod(
                "proof.history", role: .readonly, summary: "The proof's chain: genesis and every transition.",
                params: [proofID], result: Schema.anyObject, errors: ["proof_not_found"]
            ) { params, _ in
                let (record, proof) = try await proofs.load(try params.requiredString("proof_id"))
                let rows = try await store.proofTransitions(proofID: record.proofID)
                var transitions: [JSONValue] = []
                for row in rows {
                    transitions.append([
                        "transition_id": .string(row.transitionID), "sequence": .integer(row.sequence),
                        "previous_id": .string(row.previousID), "new_owner": .string(row.newOwner),
                        "new_owner_account": try await accountReference(row.newOwner),
                        "payment_hash": row.paymentHash.map(JSONValue.string) ?? .null,
                        "created_at": .integer(row.createdAt), "state": .string(row.state.rawValue),
                    ])
                }
                let initialOwner = proof.genesis.owner.bytes.hex
                return [
                    "proof_id": .string(record.proofID), "issuer": .string(record.issuer),
                    "initial_owner": .string(initialOwner),
                    "initial_owner_account": try await accountReference(initialOwner),
                    "issued_at": .integer(Int64(proof.genesis.issuedAt)), "transitions": .array(transitions),
                    "redemption": proof.redemption.map { ProofPayloads.redemption($0.redemption) } ?? .null,
                    "revoked_at": proof.revocation.map { .integer(Int64(clamping: $0.revocation.revokedAt)) } ?? .null,
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
                    "Validate a received consignment and store it; refuses one that conflicts with a stored chain;"
                    + " one that adds nothing to the stored chain is answered with replayed: true.",
                params: [.required("consignment", Schema.anyObject, "the consignment document")],
                result: Schema.anyObject, errors: ["proof_invalid", "double_transfer"]
            ) { params, _ in
                guard let value = params.object["consignment"] else {
                    throw DaemonError.invalidParams("'consignment' is required")
                }
                let (record, result, replayed) = try await proofs.importConsignment(
                    try ProofPayloads.consignment(value))
                return [
                    "proof": ProofPayloads.proof(record, account: try await store.account(forKey: record.owner)),
                    "verification": ProofPayloads.verification(result), "replayed": .bool(replayed),
                ]
            },
        ]
    }
}
