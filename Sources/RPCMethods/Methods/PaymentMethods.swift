import JSONRPC
import Lightning
import Store
import Wallet

extension DaemonComponents {
    var paymentMethods: [RPCMethod] {
        [
            RPCMethod(.paymentSend) { params, _ in
                let amount = try params.amount()
                let fiat = try params.fiat()
                guard amount == nil || fiat == nil else {
                    throw DaemonError(.invalidAmount, "give an msat or sat amount or a fiat amount, not both")
                }
                let request = PaymentSender.SendRequest(
                    bolt11: try params.requiredString("bolt11"), amount: amount, fiat: fiat,
                    maxFee: try params.integer("max_fee_msat").map(MilliSatoshi.init(rawValue:)),
                    timeoutSeconds: try params.integer("timeout_s") ?? configuration.payments.timeoutSeconds,
                    idempotencyKey: try params.string("idempotency_key"), account: try params.accountOrTreasury())
                return Self.written(try await payments.send(request), EventPayloads.payment)
            },
            RPCMethod(.paymentGet) { params, _ in
                let record: PaymentRecord?
                switch (try params.paymentHash(), try params.string("idempotency_key")) {
                case (let hash?, nil): record = try await store.payment(paymentHash: hash)
                case (nil, let key?): record = try await store.payment(idempotencyKey: key)
                default: throw DaemonError.invalidParams("give exactly one of 'payment_hash' and 'idempotency_key'")
                }
                guard let record else {
                    throw DaemonError(.paymentNotFound, "no payment with this payment hash or idempotency key")
                }
                return .object(EventPayloads.payment(record))
            },
            RPCMethod(.paymentList) { params, _ in
                let status = try params.choice("status", of: PaymentStatus.self)
                let page = try await store.payments(
                    status: status, account: try await listedAccount(params), limit: try params.limit(),
                    cursor: try params.string("cursor"))
                return Self.page(page.items.map { .object(EventPayloads.payment($0)) }, next: page.nextCursor)
            },
        ]
    }
}
