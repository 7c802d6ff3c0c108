import JSONRPC

extension RPCMethod.Declaration {
    static let ratesGet = Self(
        "rates.get", role: .readonly,
        summary: "The exchange rate of a currency (fiat units per bitcoin) with every source's quote and age;"
            + " every quoted currency without `currency`.",
        params: [.optional("currency", .currency, "ISO 4217 code, e.g. EUR")],
        result: Schema.anyObject, errors: [.rateUnavailable],
        example: ["currency": "EUR"]
    )
}
