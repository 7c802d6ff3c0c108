import JSONRPC
import Lightning
import Rates
import Wallet

extension DaemonComponents {
    var rateMethods: [RPCMethod] {
        [
            RPCMethod.immediate(
                "rates.get", role: .readonly,
                summary: "The exchange rate of a currency (fiat units per bitcoin) with every source's quote and age;"
                    + " every quoted currency without `currency`.",
                params: [.optional("currency", Schema.currency, "ISO 4217 code, e.g. EUR")],
                result: Schema.anyObject, errors: ["rate_unavailable"]
            ) { params, _ in
                guard let rates else { throw DaemonError.noRateSources }
                if let currency = try params.currency() {
                    guard let report = rates.report(for: currency) else {
                        throw DaemonError("rate_unavailable", "no rate source quotes \(currency.code)")
                    }
                    return .object(Self.rateObject(report, policy: rates.policy, now: now()))
                }
                return [
                    "items": .array(
                        rates.currencies.compactMap(rates.report(for:)).map {
                            .object(Self.rateObject($0, policy: rates.policy, now: now()))
                        })
                ]
            }
        ]
    }

    /// The `rates.get` object of one currency.
    static func rateObject(_ report: RateReport, policy: RatePolicy, now: Int64) -> JSONObject {
        [
            "currency": .string(report.currency.code),
            "rate": report.rate.map { .string($0.description) } ?? .null,
            "at": report.at.map(JSONValue.integer) ?? .null,
            "sources": .array(report.sourcesUsed.map(JSONValue.string)),
            "unavailable_reason": report.unavailableReason.map(JSONValue.string) ?? .null,
            "quotes": .array(
                report.lines.map { line in
                    [
                        "source": .string(line.source), "use": .string(line.use.rawValue),
                        "price": line.quote.map { .string($0.price.description) } ?? .null,
                        "fetched_at": line.quote.map { .integer($0.fetchedAt) } ?? .null,
                        "age_s": line.quote.map { .integer(max(0, now - $0.fetchedAt)) } ?? .null,
                        "error": line.failure.map { .string($0.reason) } ?? .null,
                    ]
                }),
            "max_age_s": .integer(policy.maximumAgeSeconds), "min_sources": .integer(Int64(policy.minimumSources)),
            "max_spread_bps": .integer(policy.maximumSpreadBasisPoints),
        ]
    }

    /// `fiat: {currency, amount, rate, at, estimate: true}`: `msat` converted at the current rate, for a figure
    /// shown beside an msat one (`wallet.balance` with a `currency`).
    func fiatEstimate(of msat: MilliSatoshi, in currency: Currency) throws -> JSONValue {
        let snapshot = try FiatTerms.currentRate(of: currency, in: rates)
        let value = FiatConversion.fiatValue(of: msat, at: snapshot.rate, fractionDigits: currency.minorDigits)
        return [
            "currency": .string(currency.code),
            "amount": .string((msat.rawValue < 0 ? "-" : "") + value.formatted(fractionDigits: currency.minorDigits)),
            "rate": .string(snapshot.rate.description), "at": .integer(snapshot.at), "estimate": true,
        ]
    }
}
