import Foundation
import JSONRPC
import Lightning
import Proofs
import Wallet

extension DaemonComponents {
    /// The statuses a stored proof has and `proof.list` filters by (`expired` is judged by `proof.verify`).
    static let proofStatuses = ProofStatus.allCases.filter { $0 != .expired }.map(\.rawValue)

    var proofMethods: [RPCMethod] {
        [
            RPCMethod(.proofCreate) { params, _ in
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
                    kind: try params.requiredString("kind"), fields: pairs,
                    owner: try params.requiredString("owner"), terms: try Self.lifecycleTerms(params),
                    idempotencyKey: try params.string("idempotency_key"))
                let account = try await store.account(forKey: outcome.value.owner)
                return Self.written(outcome) { ProofPayloads.proof($0, account: account).objectValue ?? [:] }
            },
            RPCMethod(.proofOwnerKey) { params, _ in
                let resolved = try await proofs.owner(try params.requiredString("owner"))
                return [
                    "pubkey": .string(resolved.key.bytes.hex),
                    "owner_account": resolved.account.map { .string("account:\($0)") } ?? .null,
                ]
            },
            RPCMethod(.proofGet) { params, _ in
                let (record, _) = try await proofs.load(try params.requiredString("proof_id"))
                return ProofPayloads.proof(record, account: try await store.account(forKey: record.owner))
            },
            RPCMethod(.proofList) { params, _ in
                var filter = try Self.proofListFilter(params)
                if let owner = try params.string("owner") {
                    filter.owner = try await proofs.owner(owner, remember: false).key.bytes.hex
                }
                if let holder = try params.string("held_by") {
                    filter.heldBy = try await proofs.owner(holder, remember: false).key.bytes.hex
                }
                filter.kind = try params.string("kind")
                filter.status = try params.string("status")
                let page = try await store.proofs(
                    filter, limit: try params.limit(), cursor: try params.string("cursor"))
                var items: [JSONValue] = []
                for record in page.items {
                    items.append(ProofPayloads.proof(record, account: try await store.account(forKey: record.owner)))
                }
                return Self.page(items, next: page.nextCursor, total: page.total)
            },
            RPCMethod(.proofVerify) { params, _ in
                let consignment: Consignment
                if let value = params.object["consignment"], !value.isNull {
                    consignment = try ProofPayloads.consignment(value)
                } else {
                    consignment = try await proofs.export(proofID: try params.requiredString("proof_id"), disclose: nil)
                }
                return ProofPayloads.verification(proofs.validator().validate(consignment))
            },
            RPCMethod(.proofTransfer) { params, _ in
                var terms: ProofBook.PaymentTerms?
                if let payment = try params.members("payment") {
                    guard let amount = try payment.amount() else {
                        throw DaemonError(.amountRequired, "payment needs an amount")
                    }
                    terms = ProofBook.PaymentTerms(
                        amount: amount, description: try payment.string("description") ?? "proof transfer",
                        expirySeconds: try payment.integer("expiry_s") ?? 3600)
                }
                let signature = try params.bytes("signature")
                let outcome = try await proofs.transfer(
                    proofID: try params.requiredString("proof_id").lowercased(), to: try params.requiredString("to"),
                    payment: terms, transitionID: try params.string("transition_id"), signature: signature,
                    idempotencyKey: try params.string("idempotency_key"))
                return Self.written(outcome) { $0.objectValue ?? [:] }
            },
            RPCMethod(.proofHistory) { params, _ in
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
            RPCMethod(.proofExport) { params, _ in
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
            RPCMethod(.proofImport) { params, _ in
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
