import Lightning

/// The columns a final payment outcome writes: status, preimage, fee and failure reason.
package struct PaymentCompletion: Sendable {
    package var status: PaymentStatus
    package var preimage: String?
    package var fee: Int64?
    package var reason: String?

    /// The completion of `outcome`; `nil` for `.pending` (nothing to record).
    package init?(_ outcome: PaymentOutcome) {
        switch outcome {
        case .pending: return nil
        case .succeeded(let paid, let fee):
            (status, preimage, self.fee, reason) = (.succeeded, paid.hex, fee.rawValue, nil)
        case .failed(let failure): (status, preimage, fee, reason) = (.failed, nil, nil, failure.rawValue)
        }
    }
}
