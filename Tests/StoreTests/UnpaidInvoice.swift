import Lightning
import Store

extension InvoiceRecord {
    /// An open invoice of `amount` msat credited to `account` when paid, created at `at`, for the ledger tests.
    static func unpaid(
        _ amount: Int64, account: String, description: String = "top-up", at: Int64, preimage: Preimage = .random()
    ) -> InvoiceRecord {
        InvoiceRecord(
            paymentHash: preimage.paymentHash, bolt11: "lnbcrt1", label: nil, amount: MilliSatoshi(amount),
            description: description, descriptionHash: nil, expirySeconds: 3600, status: .open, createdAt: at,
            expiresAt: at + 3600, preimage: preimage, metadata: nil, requestFingerprint: "f", account: account)
    }
}
