import JSONRPC

extension RPCMethod.Declaration {
    static let proofID = RPCParam.required("proof_id", .hex32, "the proof (contract) id")
    static let idempotencyKey = RPCParam.optional(
        "idempotency_key", .key,
        "a key that identifies this request for this method in this store (all instances); a repeat returns the"
            + " first result with replayed: true")

    static let proofCreate = Self(
        "proof.create", role: .spend, summary: "Issue a proof signed by this daemon's identity.",
        params: [
            .required("kind", .string(maxLength: 64), "e.g. mentoring_session, purchase"),
            .required(
                "fields", .object(["type": "object", "additionalProperties": Schema.string]), "name → text"),
            .required("owner", .owner, "the first owner: 'account:<id>' or an x-only public key (hex)"),
            idempotencyKey,
            .optional("expires_at", .unixSeconds, "Unix seconds from which the proof is expired"),
            .optional("revocable", .boolean, "whether this daemon (the issuer) may revoke it"),
            .optional(
                "attesters", .array(items: Schema.hex32),
                "x-only keys that must all attest before the proof is complete"
            ),
        ],
        result: Schema.written("proof"), errors: [.idempotencyConflict],
        example: [
            "kind": "purchase", "fields": ["item": "course", "price": "49 EUR"], "owner": "account:alice",
            "idempotency_key": "purchase-981",
        ]
    )

    static let proofOwnerKey = Self(
        "proof.owner_key", role: .invoice,
        summary: """
            The x-only public key of an owner reference, e.g. the key this daemon holds for account:<id>; \
            registers that account key (so it needs a role that may write).
            """,
        params: [.required("owner", .owner, "'account:<id>' or an x-only public key (hex)")],
        result: Schema.object([("pubkey", Schema.hex32), ("owner_account", ["type": ["string", "null"]])]),
        example: ["owner": "account:alice"]
    )

    static let proofGet = Self(
        "proof.get", role: .readonly, summary: "A proof held by this daemon.", params: [proofID],
        result: Schema.ref("proof"), errors: [.proofNotFound]
    )

    static let proofList = Self(
        "proof.list", role: .readonly,
        summary: """
            Proofs, newest first, by owner, every key that ever held them, kind, status, issuer, issue time \
            and the value of a field; `total` counts the whole filtered range.
            """,
        params: [
            .optional("owner", .owner, "only this owner"),
            .optional("held_by", .owner, "only proofs this key or account ever owned (issued or moved to it)"),
            .optional("kind", .text, "only this kind"),
            .optional("status", .choice(DaemonComponents.proofStatuses), "only this status"),
            .optional("issuer", .hex32, "only proofs of this issuer (x-only key)"),
            .optional(
                "field",
                .members([
                    .required("name", .text, "the field's name"), .required("value", .text, "the field's value"),
                ]),
                "only proofs with this field value (fields the daemon knows: it issued the proof or received it"
                    + " disclosed)"),
            .optional(
                "issued_from", .unixSeconds, "only proofs issued at or after this time (genesis issued_at, Unix s)"),
            .optional(
                "issued_to", .unixSeconds, "only proofs issued at or before this time (genesis issued_at, Unix s)"),
        ] + RPCParam.paging,
        result: Schema.page(of: "proof", counted: true),
        example: ["owner": "account:alice", "status": "active", "limit": 20]
    )

    static let proofVerify = Self(
        "proof.verify", role: .readonly,
        summary: "Validate a stored proof (proof_id) or a consignment; lists every failed rule by name.",
        params: [
            .optional("proof_id", .hex32, "a stored proof"),
            .optional("consignment", .object(Schema.anyObject), "or a consignment document"),
        ],
        result: Schema.ref("verification"), errors: [.proofNotFound],
        example: ["proof_id": .string(Example.hex(bytes: 32))]
    )

    static let proofTransfer = Self(
        "proof.transfer", role: .spend,
        summary: """
            Transfer a proof to a new owner; with `payment`, bound to an invoice the daemon creates and \
            completed when it is paid. External owners sign in a second call (transition_id + signature), \
            whose answer carries the invoice. A repeat, or a transfer to the current owner, returns the \
            current state with replayed: true.
            """,
        params: [
            proofID, .required("to", .owner, "the new owner: 'account:<id>' or an x-only public key (hex)"),
            .optional(
                "payment",
                .members([
                    .optional("amount_msat", .msat, "the invoice's amount"),
                    .optional("amount_sat", .sat, "or in sat"),
                    .optional(
                        "description", .string(maxLength: 639), "the invoice's description, default 'proof transfer'"),
                    .optional("expiry_s", .integer(1...31_536_000), "seconds until the invoice expires, default 3600"),
                ]),
                "bind the transfer to this invoice"),
            .optional("transition_id", .hex32, "second step: the transition to sign"),
            .optional("signature", .signature, "second step: BIP340 signature"),
            idempotencyKey,
        ],
        result: ["allOf": [Schema.anyObject, Schema.object([("replayed", Schema.boolean)])]],
        errors: [
            .proofNotFound, .transferPending, .doubleTransfer, .invalidProofSignature, .transitionNotFound,
            .idempotencyConflict, .amountRequired, .invalidAmount,
        ],
        example: [
            "proof_id": .string(Example.hex(bytes: 32)), "to": "account:bob",
            "payment": ["amount_msat": 49_000_000, "description": "course resale"],
        ]
    )

    static let proofHistory = Self(
        "proof.history", role: .readonly, summary: "The proof's chain: genesis and every transition.",
        params: [proofID],
        result: Schema.object([
            ("proof_id", Schema.hex32), ("issuer", Schema.hex32), ("initial_owner", Schema.hex32),
            ("initial_owner_account", ["type": ["string", "null"]]), ("issued_at", Schema.integer(0, Int64.max)),
            (
                "transitions",
                Schema.array(
                    Schema.object([
                        ("transition_id", Schema.hex32), ("sequence", Schema.integer(0, Int64.max)),
                        ("previous_id", Schema.hex32), ("new_owner", Schema.hex32),
                        ("new_owner_account", ["type": ["string", "null"]]),
                        ("payment_hash", ["type": ["string", "null"]]), ("created_at", Schema.integer(0, Int64.max)),
                        ("state", Schema.oneOf(["pending", "final", "canceled"])),
                    ]))
            ),
            ("redemption", ["type": ["object", "null"]]), ("revoked_at", ["type": ["integer", "null"]]),
        ]),
        errors: [.proofNotFound]
    )

    static let proofExport = Self(
        "proof.export", role: .readonly,
        summary: "The consignment of a proof, disclosing the chosen fields (default all).",
        params: [proofID, .optional("disclose", .array(items: Schema.string), "field names to reveal")],
        result: ["type": "object", "properties": ["consignment": Schema.anyObject]], errors: [.proofNotFound],
        example: ["proof_id": .string(Example.hex(bytes: 32)), "disclose": ["item"]]
    )

    static let proofImport = Self(
        "proof.import", role: .spend,
        summary:
            "Validate a received consignment and store it; refuses one that conflicts with a stored chain;"
            + " one that adds nothing to the stored chain is answered with replayed: true.",
        params: [.required("consignment", .object(Schema.anyObject), "the consignment document")],
        result: Schema.object([
            ("proof", Schema.ref("proof")), ("verification", Schema.ref("verification")), ("replayed", Schema.boolean),
        ]),
        errors: [.proofInvalid, .doubleTransfer]
    )
}
