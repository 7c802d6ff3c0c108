import JSONRPC
import Lightning
import Rates

/// A fiat amount converted to msat at the current rate: what an invoice keeps beside its msat amount for ever
/// (`fiat: {currency, amount, rate, sources, at}`), so the rate a payment was made at can always be shown.
struct FiatTerms: Sendable {
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
            throw DaemonError(
                .invalidAmount, "\(amount) is beyond 21 million bitcoin at \(snapshot.rate)", underlying: error)
        }
        self.amount = amount
        self.snapshot = snapshot
    }

    /// The rate to convert `currency` at now.
    ///
    /// - Throws: `rate_unavailable` when no rate source is configured or the sources make no rate now.
    static func currentRate(of currency: Currency, in rates: RateBook?) throws -> RateBook.Snapshot {
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
    static let noRateSources = DaemonError(
        .rateUnavailable, "no rate sources are configured ([rates] in the configuration)")

    /// `rate_unavailable` with the book's reason and, when waiting may help, `retry_after_s`.
    static func rateUnavailable(_ unavailable: RateBook.Unavailable) -> DaemonError {
        var data = JSONObject()
        if let seconds = unavailable.retryAfterSeconds { data["retry_after_s"] = .integer(seconds) }
        return DaemonError(.rateUnavailable, unavailable.description, data: data, underlying: unavailable)
    }
}

extension Params {
    /// `fiat: {currency, amount}`: an ISO 4217 code t4gd knows and a decimal string.
    func fiat() throws -> FiatAmount? {
        guard let value = object["fiat"], !value.isNull else { return nil }
        guard case .object(let fiat) = value else {
            throw DaemonError.invalidParams("'fiat' must be an object {currency, amount}")
        }
        if let unknown = fiat.first(where: { !["currency", "amount"].contains($0.key) }) {
            throw DaemonError.invalidParams("unknown parameter 'fiat.\(unknown.key)'")
        }
        guard let code = fiat["currency"]?.stringValue else {
            throw DaemonError.invalidParams("'fiat.currency' must be an ISO 4217 code such as \"EUR\"")
        }
        guard let currency = Currency(code: code) else {
            throw DaemonError.invalidParams("'fiat.currency' \"\(code)\" is not a currency t4gd knows")
        }
        guard let text = fiat["amount"]?.stringValue else {
            throw DaemonError.invalidParams("'fiat.amount' must be a decimal string such as \"78.50\", never a number")
        }
        do {
            return try FiatAmount(currency: currency, text: text)
        } catch {
            throw DaemonError(.invalidAmount, "'fiat.amount' \(error.description)", underlying: error)
        }
    }

    /// A currency param (`currency`), for figures converted at the current rate.
    func currency(_ name: String = "currency") throws -> Currency? {
        guard let code = try string(name) else { return nil }
        guard let currency = Currency(code: code) else {
            throw DaemonError.invalidParams("'\(name)' \"\(code)\" is not a currency t4gd knows")
        }
        return currency
    }
}
