import Rates
import TOML

extension ConfigurationFile {
    /// The keys of `[rates]`; each `[[rates.source]]` table takes ``rateSourceKeys``.
    static let rateKeys: Set<String> = [
        "poll_interval_s", "timeout_s", "max_age_s", "min_sources", "max_spread_bps", "source",
    ]
    static let rateSourceKeys: Set<String> = ["name", "url", "path", "currencies", "ca_file"]

    /// Reads `[rates]` and its `[[rates.source]]` tables.
    static func applyRates(_ table: TOMLTable, to c: inout DaemonConfiguration) throws(Problem) {
        func integer(_ name: String, _ range: ClosedRange<Int64>) throws(Problem) -> Int64? {
            guard let value = try read("rates.\(name)", { try table.integer(name) }) else { return nil }
            guard range.contains(value) else {
                throw Problem(
                    key: "rates.\(name)", message: "must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return value
        }
        var rates = c.rates
        rates.pollIntervalSeconds = try integer("poll_interval_s", 1...86_400) ?? rates.pollIntervalSeconds
        rates.timeoutSeconds = try integer("timeout_s", 1...120) ?? rates.timeoutSeconds
        rates.policy.maximumAgeSeconds = try integer("max_age_s", 10...604_800) ?? rates.policy.maximumAgeSeconds
        rates.policy.minimumSources = Int(try integer("min_sources", 1...100) ?? Int64(rates.policy.minimumSources))
        rates.policy.maximumSpreadBasisPoints =
            try integer("max_spread_bps", 0...10_000) ?? rates.policy.maximumSpreadBasisPoints
        let sources: [TOMLTable] = try read("rates.source") { try table.tableArray("source") } ?? []
        for index in sources.indices {
            rates.sources.append(try rateSource(sources[index], key: "rates.source[\(index)]"))
        }
        var names: Set<String> = []
        for source in rates.sources where !names.insert(source.name).inserted {
            throw Problem(key: "rates.source", message: "two sources are named \"\(source.name)\"")
        }
        for currency in Set(rates.sources.flatMap(\.currencies)) {
            let count = rates.sources.filter { $0.currencies.contains(currency) }.count
            guard count >= rates.policy.minimumSources else {
                throw Problem(
                    key: "rates.min_sources",
                    message: "is \(rates.policy.minimumSources), but only \(count) source(s) quote \(currency.code)")
            }
        }
        c.rates = rates
    }

    private static func rateSource(_ table: TOMLTable, key: String) throws(Problem) -> RateSource {
        if let unknown = table.unknownKeys(allowed: rateSourceKeys).first {
            throw Problem(key: "\(key).\(unknown)", message: "unknown key")
        }
        func required(_ name: String) throws(Problem) -> String {
            guard let value = try read("\(key).\(name)", { try table.string(name) }), !value.isEmpty else {
                throw Problem(key: "\(key).\(name)", message: "is required")
            }
            return value
        }
        let name = try required("name")
        let url = try required("url")
        let loopback = [
            "http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/", "http://[::1]",
        ]
        guard url.hasPrefix("https://") || loopback.contains(where: url.hasPrefix) else {
            throw Problem(key: "\(key).url", message: "must be an https:// URL (http:// only to this machine)")
        }
        var currencies: [Currency] = []
        for code in try read("\(key).currencies", { try table.stringArray("currencies") }) ?? [] {
            guard let currency = Currency(code: code) else {
                throw Problem(key: "\(key).currencies", message: "\"\(code)\" is not an ISO 4217 code t4gd knows")
            }
            currencies.append(currency)
        }
        guard !currencies.isEmpty else { throw Problem(key: "\(key).currencies", message: "must list a currency") }
        return RateSource(
            name: name, url: url, path: try required("path"), currencies: currencies,
            caFile: try read("\(key).ca_file", { try table.string("ca_file") }))
    }
}
