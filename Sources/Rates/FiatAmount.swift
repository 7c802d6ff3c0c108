/// An amount of fiat money as a caller gives it: a currency and a positive decimal with no more fraction
/// digits than the currency has (`78.50` EUR, `1500` XOF). Never a binary floating-point number.
public struct FiatAmount: Hashable, Sendable, CustomStringConvertible {
    /// Why an amount is refused.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// Not plain decimal text (a sign, an exponent, spaces, letters, an empty string).
        case notDecimal
        /// A negative amount.
        case negative
        /// More fraction digits than the currency has.
        case tooManyDecimals(allowed: Int)
        /// Zero.
        case zero
        /// More than ``FiatAmount/maximumIntegerDigits`` digits before the point.
        case tooLarge

        public var description: String {
            switch self {
            case .notDecimal: "must be a decimal string such as \"78.50\""
            case .negative: "must be positive"
            case .tooManyDecimals(let allowed):
                allowed == 0 ? "must be a whole number in this currency" : "has more than \(allowed) decimals"
            case .zero: "must be more than zero"
            case .tooLarge: "is beyond 21 million bitcoin at any rate"
            }
        }
    }

    /// The most digits before the decimal point.
    public static let maximumIntegerDigits = 15

    /// The currency.
    public let currency: Currency
    /// The amount, exact.
    public let value: ExactDecimal

    /// Reads `text` as an amount of `currency`.
    public init(currency: Currency, text: String) throws(Problem) {
        if text.hasPrefix("-") { throw .negative }
        guard let (value, writtenScale) = ExactDecimal.parse(text) else { throw .notDecimal }
        guard writtenScale <= currency.minorDigits else { throw .tooManyDecimals(allowed: currency.minorDigits) }
        guard !value.isZero else { throw .zero }
        guard value.units / UInt128.powerOfTen(value.scale)! < UInt128.powerOfTen(Self.maximumIntegerDigits)! else {
            throw .tooLarge
        }
        self.currency = currency
        self.value = value
    }

    /// The amount written with exactly the currency's minor digits (`"78.50"`).
    public var text: String { value.formatted(fractionDigits: currency.minorDigits) }

    public var description: String { "\(text) \(currency.code)" }
}
