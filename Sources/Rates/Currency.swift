/// A fiat currency by its ISO 4217 code, with the number of minor-unit digits the standard gives it (2 for
/// EUR, 0 for JPY and XOF, 3 for KWD). Only codes in ``known`` are accepted, so every amount can be checked
/// against its currency's precision.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, upper case.
    public let code: String
    /// How many digits an amount may have after the decimal point.
    public let minorDigits: Int

    /// The currency with this code (any case), or `nil` if the code is not in ``known``.
    public init?(code: String) {
        let upper = code.uppercased()
        guard upper.utf8.count == 3, let digits = Self.known[upper] else { return nil }
        self.code = upper
        self.minorDigits = digits
    }

    public var description: String { code }

    /// The currencies t4gd knows, with their ISO 4217 minor units (the currencies LNbits lists that have a
    /// price source, and those of the platforms t4gd serves: EUR, XOF, XAF among them).
    public static let known: [String: Int] = [
        "AED": 2, "ARS": 2, "AUD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0,
        "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "DZD": 2, "EGP": 2, "EUR": 2, "GBP": 2, "GHS": 2, "HKD": 2,
        "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KES": 2, "KRW": 0, "KWD": 3,
        "MAD": 2, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PHP": 2, "PKR": 2, "PLN": 2,
        "RON": 2, "RUB": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2,
        "USD": 2, "UYU": 2, "VND": 0, "XAF": 0, "XOF": 0, "ZAR": 2,
    ]
}
