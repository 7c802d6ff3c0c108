import Lightning

/// Exact conversions between fiat amounts and millisatoshi at a rate (fiat units per bitcoin), in integers.
public enum FiatConversion {
    /// Millisatoshi in one bitcoin.
    public static let msatPerBitcoin: UInt128 = 100_000_000_000
    /// At most 21 million bitcoin, as everywhere in t4gd.
    public static let maximumMsat: Int64 = 2_100_000_000_000_000_000

    /// Why a conversion has no answer.
    public enum Problem: Error, Hashable, Sendable {
        /// The rate is zero.
        case zeroRate
        /// The result is above 21 million bitcoin.
        case beyondMaximum
    }

    /// The msat that `amount` buys at `rate`, rounded up to the next msat: exactly
    /// `ceil(amount * 10^11 / rate)`. Rounding up means an invoice never asks for less than the fiat amount.
    public static func msat(for amount: ExactDecimal, at rate: ExactDecimal) throws(Problem) -> MilliSatoshi {
        guard !rate.isZero else { throw .zeroRate }
        // amount = A / 10^a, rate = R / 10^r: msat = A * 10^(11 + r) / (R * 10^a).
        let (numerator, denominator) = try fraction(amount, rate)
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let msat = remainder == 0 ? quotient : quotient + 1
        guard msat <= UInt128(maximumMsat) else { throw .beyondMaximum }
        return MilliSatoshi(Int64(msat))
    }

    /// `amount * 10^11` over `rate` as integers, after cancelling the common power of ten.
    private static func fraction(_ amount: ExactDecimal, _ rate: ExactDecimal) throws(Problem) -> (UInt128, UInt128) {
        let exponent = 11 + rate.scale - amount.scale
        if exponent >= 0 {
            guard let factor = UInt128.powerOfTen(exponent) else { throw .beyondMaximum }
            let (numerator, overflow) = amount.units.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw .beyondMaximum }
            return (numerator, rate.units)
        }
        guard let factor = UInt128.powerOfTen(-exponent) else { throw .beyondMaximum }
        let (denominator, overflow) = rate.units.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .beyondMaximum }
        return (amount.units, denominator)
    }

    /// The fiat value of `msat` at `rate`, rounded half up to `fractionDigits` decimals (an estimate for
    /// balances, never used to charge anyone).
    public static func fiatValue(of msat: MilliSatoshi, at rate: ExactDecimal, fractionDigits: Int) -> ExactDecimal {
        // value = msat * R / (10^11 * 10^r), scaled to 10^-d: msat * R * 10^d / 10^(11 + r).
        let magnitude = UInt128(msat.rawValue.magnitude)
        let divisor = UInt128.powerOfTen(11 + rate.scale)!
        let (product, overflow) = magnitude.multipliedReportingOverflow(by: rate.units)
        precondition(!overflow, "msat below 2^63 times a rate below 10^42 fits in UInt128")
        let whole = product.quotientAndRemainder(dividingBy: divisor)
        // Keep the fraction digits exactly: (whole.remainder * 10^d + divisor / 2) / divisor.
        let scaled = whole.remainder * UInt128.powerOfTen(fractionDigits)! + divisor / 2
        let units = whole.quotient * UInt128.powerOfTen(fractionDigits)! + scaled / divisor
        return ExactDecimal(units: units, scale: fractionDigits)
    }
}
