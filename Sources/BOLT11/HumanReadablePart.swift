/// The human-readable part of an invoice: `ln` + currency prefix + optional amount.
struct HumanReadablePart: Equatable {
    let network: Network
    let amountMsat: UInt64?

    /// Millisatoshi per unit of each multiplier letter; `p` (0.1 msat) is handled apart.
    private static let multipliers: [UInt8: UInt64] = [
        UInt8(ascii: "m"): 100_000_000, UInt8(ascii: "u"): 100_000, UInt8(ascii: "n"): 100,
    ]
    private static let msatPerBitcoin: UInt64 = 100_000_000_000
    /// 21 million bitcoin: no invoice can ask for more.
    static let maximumMsat: UInt64 = 21_000_000 * msatPerBitcoin

    /// Parses a lowercase human-readable part.
    init(parsing hrp: [UInt8]) throws(BOLT11Error) {
        guard hrp.count >= 2, hrp[0] == UInt8(ascii: "l"), hrp[1] == UInt8(ascii: "n") else {
            throw BOLT11Error(.invalidHRP, "human-readable part does not start with 'ln'")
        }
        let isLetter = { (byte: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let rest = hrp[2...]
        let prefixEnd = rest.firstIndex { !isLetter($0) } ?? rest.endIndex
        let prefix = String(decoding: rest[..<prefixEnd], as: UTF8.self)
        guard let network = Network(invoicePrefix: prefix) else {
            throw BOLT11Error(.unknownNetwork, "unknown currency prefix '\(prefix)'")
        }
        self.network = network
        let amount = rest[prefixEnd...]
        guard let first = amount.first else {
            amountMsat = nil
            return
        }
        guard isDigit(first) else { throw BOLT11Error(.invalidAmount, "amount does not start with a digit") }
        let digitsEnd = amount.firstIndex { !isDigit($0) } ?? amount.endIndex
        let digits = amount[..<digitsEnd]
        let suffix = amount[digitsEnd...]
        guard suffix.count <= 1 else { throw BOLT11Error(.invalidAmount, "amount has trailing characters") }
        guard first != UInt8(ascii: "0") else {
            throw BOLT11Error(.amountLeadingZero, "amount has a leading zero")
        }
        let msat: UInt64
        switch suffix.first {
        case UInt8(ascii: "p"):
            // Pico-bitcoin is a tenth of a millisatoshi: the last digit must be 0 and is dropped before
            // parsing, so that amounts near 21 million bitcoin do not overflow.
            guard digits.last == UInt8(ascii: "0") else {
                throw BOLT11Error(.subMillisatoshiAmount, "pico-bitcoin amount is not a whole millisatoshi")
            }
            msat = try Self.decimal(digits.dropLast())
        case nil:
            msat = try Self.multiply(try Self.decimal(digits), by: Self.msatPerBitcoin)
        case let letter?:
            guard let perUnit = Self.multipliers[letter] else {
                throw BOLT11Error(.invalidMultiplier, "'\(Character(Unicode.Scalar(letter)))' is not a multiplier")
            }
            msat = try Self.multiply(try Self.decimal(digits), by: perUnit)
        }
        guard msat <= Self.maximumMsat else { throw BOLT11Error(.invalidAmount, "amount exceeds 21 million bitcoin") }
        amountMsat = msat
    }

    private static func decimal(_ digits: ArraySlice<UInt8>) throws(BOLT11Error) -> UInt64 {
        var value: UInt64 = 0
        for digit in digits {
            value = try multiply(value, by: 10)
            let (sum, overflow) = value.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflow else { throw BOLT11Error(.invalidAmount, "amount overflows") }
            value = sum
        }
        return value
    }

    private static func multiply(_ value: UInt64, by factor: UInt64) throws(BOLT11Error) -> UInt64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw BOLT11Error(.invalidAmount, "amount overflows") }
        return product
    }

    init(network: Network, amountMsat: UInt64?) {
        self.network = network
        self.amountMsat = amountMsat
    }

    /// The shortest encoding: the largest multiplier that represents the amount exactly.
    var encoded: [UInt8] {
        var text = "ln" + network.invoicePrefix
        if let msat = amountMsat {
            if msat % Self.msatPerBitcoin == 0 {
                text += "\(msat / Self.msatPerBitcoin)"
            } else if let (letter, perUnit) = Self.multipliers.sorted(by: { $0.value > $1.value })
                .first(where: { msat % $0.value == 0 })
            {
                text += "\(msat / perUnit)" + String(Character(Unicode.Scalar(letter)))
            } else {
                text += "\(msat)0p"
            }
        }
        return Array(text.utf8)
    }
}
