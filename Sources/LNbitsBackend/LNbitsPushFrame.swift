import Lightning

/// What a frame of LNbits' push channel says. LNbits sends `{"wallet_balance": sat, "payment": Payment}` for
/// each settled payment of the wallet, usually twice, and anyone who knows the key can inject any text, so
/// a frame is only a hint to poll: the settlement itself is always read back over REST. Pure.
enum LNbitsPushFrame {
    private struct Frame: Decodable {
        var payment: LNbitsPayment
    }

    /// The payment hash of the incoming payment `text` reports as settled; `nil` for anything else (outgoing
    /// payments, other states, text that is not such a frame).
    static func settledInvoice(in text: String) -> PaymentHash? {
        guard let frame = try? LNbitsJSON.decode(Frame.self, from: Array(text.utf8)),
            frame.payment.amount > 0, frame.payment.status == "success"
        else { return nil }
        return PaymentHash(hex: frame.payment.paymentHash)
    }
}
