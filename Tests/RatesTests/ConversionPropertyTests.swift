import Lightning
import Rates
import TestSupport
import Testing

@Suite struct ConversionPropertyTests {
    /// A random amount of `currency` as text, with up to its minor digits.
    static func randomAmount(_ currency: Currency, _ generator: inout SeededGenerator) -> String {
        let whole = UInt64.random(in: 0...(generator.chance(20) ? 999_999_999_999_999 : 99_999), using: &generator)
        let digits = Int.random(in: 0...currency.minorDigits, using: &generator)
        guard digits > 0 else { return whole == 0 ? "1" : String(whole) }
        let fraction = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
        return "\(whole).\(fraction)"
    }

    /// A random plausible bitcoin price with up to six decimals.
    static func randomRate(_ generator: inout SeededGenerator) -> ExactDecimal {
        let units = UInt128(UInt64.random(in: 1...999_999_999_999_999_999, using: &generator))
        return ExactDecimal(units: units, scale: Int.random(in: 0...6, using: &generator))
    }

    @Test func theMsatAmountIsTheExactCeiling() throws {
        var generator = SeededGenerator(state: 0x5eed_f1a7)
        let currencies = ["EUR", "JPY", "KWD", "XOF", "USD"].compactMap { Currency(code: $0) }
        var checked = 0
        for _ in 0..<20_000 {
            let currency = currencies.randomElement(using: &generator)!
            let amount = try FiatAmount(currency: currency, text: Self.randomAmount(currency, &generator))
            let rate = Self.randomRate(&generator)
            guard let msat = try? FiatConversion.msat(for: amount.value, at: rate) else { continue }
            // ceil(x) is the one integer m with m - 1 < x <= m, where x = A * 10^11 * 10^r / (R * 10^a).
            let scale = max(amount.value.scale, rate.scale)
            let a = amount.value.units(atScale: scale)!
            let r = rate.units(atScale: scale)!
            let target = a * 100_000_000_000
            #expect(UInt128(msat.rawValue) * r >= target, "\(amount) at \(rate)")
            #expect(UInt128(msat.rawValue - 1) * r < target, "\(amount) at \(rate)")
            checked += 1
        }
        #expect(checked > 15_000)
    }

    @Test func knownConversions() throws {
        let euro = Currency(code: "eur")!
        let rate = ExactDecimal("85000")!
        // 78.50 EUR at 85,000 EUR/BTC = 0.000923529411... BTC = 92,352,941.17... msat, rounded up.
        #expect(
            try FiatConversion.msat(for: FiatAmount(currency: euro, text: "78.50").value, at: rate).rawValue
                == 92_352_942)
        // 85 EUR at 85,000 is exactly 1 mBTC: no rounding.
        #expect(
            try FiatConversion.msat(for: FiatAmount(currency: euro, text: "85").value, at: rate).rawValue
                == 100_000_000)
        #expect(throws: FiatConversion.Problem.zeroRate) {
            try FiatConversion.msat(for: ExactDecimal("1")!, at: ExactDecimal("0")!)
        }
        // 1e15 EUR at 1 EUR per bitcoin is far beyond 21 million bitcoin.
        #expect(throws: FiatConversion.Problem.beyondMaximum) {
            try FiatConversion.msat(for: ExactDecimal("999999999999999")!, at: ExactDecimal("1")!)
        }
    }

    @Test func aRecordedAmountReproducesFromItsRecordedRate() throws {
        var generator = SeededGenerator(state: 42)
        let euro = Currency(code: "EUR")!
        for _ in 0..<2_000 {
            let amount = try FiatAmount(currency: euro, text: Self.randomAmount(euro, &generator))
            let rate = Self.randomRate(&generator)
            guard let msat = try? FiatConversion.msat(for: amount.value, at: rate) else { continue }
            // What is stored is text; reading the text back converts to the same msat.
            let storedAmount = try FiatAmount(currency: euro, text: amount.text)
            let storedRate = try #require(ExactDecimal(rate.description))
            #expect(try FiatConversion.msat(for: storedAmount.value, at: storedRate) == msat)
            #expect(storedAmount == amount)
        }
    }

    @Test func amountsAreRefusedByName() {
        let euro = Currency(code: "EUR")!
        let yen = Currency(code: "JPY")!
        #expect(throws: FiatAmount.Problem.tooManyDecimals(allowed: 2)) {
            try FiatAmount(currency: euro, text: "1.005")
        }
        #expect(throws: FiatAmount.Problem.tooManyDecimals(allowed: 0)) { try FiatAmount(currency: yen, text: "1.5") }
        #expect(throws: FiatAmount.Problem.negative) { try FiatAmount(currency: euro, text: "-5") }
        #expect(throws: FiatAmount.Problem.zero) { try FiatAmount(currency: euro, text: "0.00") }
        #expect(throws: FiatAmount.Problem.tooLarge) { try FiatAmount(currency: euro, text: "1000000000000000") }
        for text in ["", "1e3", "1,5", " 1", "1.", ".5", "+1", "0x10", "١"] {
            #expect(throws: FiatAmount.Problem.notDecimal, "\(text)") { try FiatAmount(currency: euro, text: text) }
        }
        #expect(Currency(code: "XXX") == nil)
        #expect(Currency(code: "EURO") == nil)
    }

    @Test func decimalTextRoundTrips() {
        var generator = SeededGenerator(state: 7)
        for _ in 0..<5_000 {
            let value = ExactDecimal(
                units: UInt128(UInt64.random(in: 0...UInt64.max, using: &generator)),
                scale: Int.random(in: 0...12, using: &generator))
            #expect(ExactDecimal(value.description) == value)
        }
        #expect(ExactDecimal(shortestRepresentationOf: 85123.45)?.description == "85123.45")
        #expect(ExactDecimal(shortestRepresentationOf: 1e20)?.description == "100000000000000000000")
        #expect(ExactDecimal(shortestRepresentationOf: 1.5e-7)?.description == "0.00000015")
        #expect(ExactDecimal(shortestRepresentationOf: -1) == nil)
        #expect(ExactDecimal(shortestRepresentationOf: .nan) == nil)
        #expect(ExactDecimal("78.50")?.description == "78.5")
        // The widest values compare without trapping: 24 digits against 18 decimals.
        let wide = ExactDecimal("999999999999999999999999")!
        let fine = ExactDecimal("0.000000000000000001")!
        #expect(fine < wide)
        #expect(!(wide < fine))
        #expect(
            FiatConversion.fiatValue(of: MilliSatoshi(100_000_000), at: ExactDecimal("85000")!, fractionDigits: 2)
                == ExactDecimal("85")!)
        #expect(
            FiatConversion.fiatValue(of: MilliSatoshi(92_352_942), at: ExactDecimal("85000")!, fractionDigits: 2)
                .formatted(fractionDigits: 2) == "78.50")
    }
}
