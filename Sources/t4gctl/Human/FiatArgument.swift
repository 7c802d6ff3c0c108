import ArgumentParser
import JSONRPC

/// A fiat amount on the command line: `78.50EUR`, `78.50 EUR` or `EUR78.50` (the daemon checks the currency
/// and the decimals); sent as `fiat: {currency, amount}`, the amount kept as the text given, never a float.
struct FiatArgument: ExpressibleByArgument, Sendable {
    let currency: String
    let amount: String

    init?(argument: String) {
        let text = argument.filter { $0 != " " }
        let letters = text.prefix(while: \.isLetter)
        let digits = letters.isEmpty ? text.prefix(while: { !$0.isLetter }) : text.dropFirst(letters.count)
        let code = letters.isEmpty ? text.dropFirst(digits.count) : letters
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }), !digits.isEmpty,
            digits.allSatisfy({ $0.isASCIIDigit || $0 == "." })
        else { return nil }
        currency = code.uppercased()
        amount = String(digits)
    }

    /// The `fiat` param.
    var param: JSONValue { ["currency": .string(currency), "amount": .string(amount)] }
}
