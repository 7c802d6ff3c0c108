import JSONRPC
import Lightning
import Rates

/// A fiat amount converted to msat at the current rate: what an invoice keeps beside its msat amount for ever
/// (`fiat: {currency, amount, rate, sources, at}`), so the rate a payment was made at can always be shown.
package struct FiatTerms: Sendable {
    let amount: FiatAmount
    let snapshot: RateBook.Snapshot
    /// `ceil(amount * 10^11 / rate)`.
    let msat: MilliSatoshi

    /// Converts `amount` at the current rate of `rates`.
    ///
    /// - Throws: `rate_unavailable` when there is no usable rate (or no rate sources at all); `invalid_amount`
    ///   when the amount is beyond 21 million bitcoin at that rate.
    init(converting amount: FiatAmount, with rates: RateBook?) throws {
        let snapshot = try Self.currentRate(of: amount.currency, in: rates)
        do {
            msat = try FiatConversion.msat(for: amount.value, at: snapshot.rate)
        } catch {
            throw DaemonError("invalid_amount", "\(amount) is beyond 21 million bitcoin at \(snapshot.rate)")
        }
        self.amount = amount
        self.snapshot = snapshot
    }

    /// The rate to convert `currency` at now.
    ///
    /// - Throws: `rate_unavailable` when no rate source is configured or the sources make no rate now.
    package static func currentRate(of currency: Currency, in rates: RateBook?) throws -> RateBook.Snapshot {
        guard let rates else { throw DaemonError.noRateSources }
        do {
            return try rates.rate(for: currency)
        } catch {
            throw DaemonError.rateUnavailable(error)
        }
    }

    /// The object recorded with the invoice, as compact JSON text.
    var recordText: String {
        let object: JSONValue = [
            "currency": .string(amount.currency.code), "amount": .string(amount.text),
            "rate": .string(snapshot.rate.description), "sources": .array(snapshot.sources.map(JSONValue.string)),
            "at": .integer(snapshot.at),
        ]
        return String(decoding: object.serialized(), as: UTF8.self)
    }
}

extension DaemonError {
    /// `rate_unavailable`: t4gd has no `[[rates.source]]`.
    package static let noRateSources = DaemonError(
        "rate_unavailable", "no rate sources are configured ([rates] in the configuration)")

    /// `rate_unavailable` with the book's reason and, when waiting may help, `retry_after_s`.
    static func rateUnavailable(_ unavailable: RateBook.Unavailable) -> DaemonError {
        var data = JSONObject()
        if let seconds = unavailable.retryAfterSeconds { data["retry_after_s"] = .integer(seconds) }
        return DaemonError("rate_unavailable", unavailable.description, data: data)
    }
}
