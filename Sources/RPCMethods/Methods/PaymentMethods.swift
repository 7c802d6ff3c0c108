import JSONRPC
import Lightning
import Store
import Wallet

extension DaemonComponents {
    var paymentMethods: [RPCMethod] {
        [
            RPCMethod(
                "payment.send", role: .admin,
                summary: """
                    Pay a BOLT #11 invoice; never pays the same payment_hash twice. A repeat (same idempotency_key, \
                    or a payment_hash already pending or paid) returns the stored payment with replayed: true.
                    """,
                params: [
                    .required("bolt11", Schema.string, "the invoice"),
                    .optional("amount_msat", Schema.msat, "only for any-amount invoices"),
                    .optional("amount_sat", Schema.integer(1, 2_100_000_000_000_000), "or in sat"),
                    .optional("fiat", Schema.fiat, "or a fiat amount, converted at the current rate (rates.get)"),
                    .optional("max_fee_msat", Schema.integer(0, Params.maximumMsat), "default 1%, at least 10 sat"),
                    .optional("timeout_s", Schema.integer(1, 3600), "wait at most this long, then return pending"),
                    .optional(
                        "idempotency_key", Schema.string,
                        "a key that identifies this payment request in this store (all instances), kept with it"),
                    .optional("account", Schema.accountID, "the account that pays, default @treasury"),
                ],
                result: Schema.written("payment"),
                errors: [
                    "invalid_bolt11", "invoice_not_payable", "network_mismatch", "invoice_expired", "amount_required",
                    "amount_not_allowed", "invalid_amount", "self_payment", "already_paid", "insufficient_balance",
                    "no_route", "incorrect_payment_details", "payment_timeout", "payment_failed",
                    "idempotency_conflict", "rate_unavailable", "backend_unavailable", "backend_error",
                    "account_not_found", "account_frozen", "insufficient_funds", "limit_exceeded",
                ]
            ) { params, _ in
                let amount = try params.amount()
                let fiat = try params.fiat()
                guard amount == nil || fiat == nil else {
                    throw DaemonError("invalid_amount", "give an msat or sat amount or a fiat amount, not both")
                }
                let request = PaymentSender.SendRequest(
                    bolt11: try params.requiredString("bolt11", maxLength: 8192), amount: amount, fiat: fiat,
                    maxFee: try params.integer("max_fee_msat", in: 0...Params.maximumMsat).map(
                        MilliSatoshi.init(rawValue:)),
                    timeoutSeconds: try params.integer("timeout_s", in: 1...3600)
                        ?? configuration.payments.timeoutSeconds,
                    idempotencyKey: try params.string("idempotency_key", maxLength: 256),
                    account: try params.accountOrTreasury())
                return Self.written(try await payments.send(request), EventPayloads.payment)
            },
            RPCMethod(
                "payment.get", role: .readonly, summary: "The payment to a payment_hash, or of an idempotency_key.",
                params: [
                    .optional("payment_hash", Schema.hex32, "the payment hash"),
                    .optional("idempotency_key", Schema.string, "or the key its payment.send carried"),
                ],
                result: Schema.ref("payment"), errors: ["payment_not_found"]
            ) { params, _ in
                let record: PaymentRecord?
                switch (try params.paymentHash(), try params.string("idempotency_key", maxLength: 256)) {
                case (let hash?, nil): record = try await store.payment(paymentHash: hash)
                case (nil, let key?): record = try await store.payment(idempotencyKey: key)
                default: throw DaemonError.invalidParams("give exactly one of 'payment_hash' and 'idempotency_key'")
                }
                guard let record else {
                    throw DaemonError("payment_not_found", "no payment with this payment hash or idempotency key")
                }
                return .object(EventPayloads.payment(record))
            },
            RPCMethod(
                "payment.list", role: .readonly, summary: "Payments, newest first.",
                params: [.optional("status", Schema.oneOf(PaymentStatus.allCases.map(\.rawValue)), "only this status")]
                    + RPCMethod.Param.paging,
                result: Schema.page(of: "payment")
            ) { params, _ in
                let status = try params.choice("status", of: PaymentStatus.self)
                let page = try await store.payments(
                    status: status, limit: try params.limit(), cursor: try params.string("cursor"))
                return Self.page(page.items.map { .object(EventPayloads.payment($0)) }, next: page.nextCursor)
            },
        ]
    }
}
