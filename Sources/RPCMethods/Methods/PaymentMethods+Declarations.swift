import JSONRPC
import Lightning

extension RPCMethod.Declaration {
    static let paymentSend = Self(
        "payment.send", role: .spend,
        summary: """
            Pay a BOLT #11 invoice; never pays the same payment_hash twice. A repeat (same idempotency_key, \
            or a payment_hash already pending or paid) returns the stored payment with replayed: true. \
            An invoice this daemon issued for another account is settled inside the ledger (fee 0), after the \
            backend canceled it so it cannot also be paid over Lightning.
            """,
        params: [
            .required("bolt11", .string(maxLength: 8192), "the invoice"),
            .optional("amount_msat", .msat, "only for any-amount invoices"),
            .optional("amount_sat", .sat, "or in sat"),
            .optional("fiat", .object(Schema.fiat), "or a fiat amount, converted at the current rate (rates.get)"),
            .optional("max_fee_msat", .integer(0...Params.maximumMsat), "default 1%, at least 10 sat"),
            .optional("timeout_s", .integer(1...3600), "wait at most this long, then return pending"),
            .optional(
                "idempotency_key", .key,
                "a key that identifies this payment request in this store (all instances), kept with it"),
            .optional("account", .ownAccount, "the account that pays, default @treasury"),
        ],
        result: Schema.written("payment"),
        errors: [
            .invalidBolt11, .invoiceNotPayable, .networkMismatch, .invoiceExpired, .amountRequired, .amountNotAllowed,
            .invalidAmount, .selfPayment, .alreadyPaid, .insufficientBalance, .noRoute, .incorrectPaymentDetails,
            .paymentTimeout, .paymentFailed, .idempotencyConflict, .rateUnavailable, .backendUnavailable,
            .backendError, .accountNotFound, .accountFrozen, .insufficientFunds, .limitExceeded,
        ],
        example: ["bolt11": .string(Example.bolt11), "idempotency_key": "payout-7", "timeout_s": 30]
    )

    static let paymentGet = Self(
        "payment.get", role: .readonly, summary: "The payment to a payment_hash, or of an idempotency_key.",
        params: [
            .optional("payment_hash", .hex32, "the payment hash"),
            .optional("idempotency_key", .key, "or the key its payment.send carried"),
        ],
        result: Schema.ref("payment"), errors: [.paymentNotFound],
        example: ["idempotency_key": "payout-7"]
    )

    static let paymentList = Self(
        "payment.list", role: .readonly, summary: "Payments, newest first.",
        params: [
            .optional("status", .choice(PaymentStatus.allCases.map(\.rawValue)), "only this status"),
            .accountFilter,
        ] + RPCParam.paging,
        result: Schema.page(of: "payment"), errors: [.accountNotFound],
        example: ["status": "succeeded", "limit": 10]
    )
}
