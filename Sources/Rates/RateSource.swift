import Foundation
import JSONRPC

/// A public price API: where to ask for the price of one bitcoin in a currency, and where the price sits in
/// its JSON answer. `{currency}` in the URL or the path stands for the code in lower case, `{CURRENCY}` in upper
/// case (`https://api.kraken.com/0/public/Ticker?pair=XBT{CURRENCY}`, `result.XXBTZ{CURRENCY}.c.0`).
public struct RateSource: Hashable, Sendable {
    /// Its name, as metrics, logs and `rates.get` show it.
    public var name: String
    /// The URL template (https, or http for a source on this machine).
    public var url: String
    /// A dotted path to the price: object keys, and array indexes as numbers.
    public var path: String
    /// The currencies it quotes.
    public var currencies: [Currency]
    /// A PEM file of the CA that signs its certificate, when that is not a public CA.
    public var caFile: String?

    /// A source.
    public init(name: String, url: String, path: String, currencies: [Currency], caFile: String? = nil) {
        self.name = name
        self.url = url
        self.path = path
        self.currencies = currencies
        self.caFile = caFile
    }

    /// The URL to ask for `currency`.
    public func url(for currency: Currency) -> String { Self.substitute(url, currency) }

    /// Finds the price for `currency` in an answer's body.
    ///
    /// - Throws: ``AnswerProblem`` naming what is wrong, never echoing the body.
    public func price(in body: [UInt8], for currency: Currency) throws(AnswerProblem) -> ExactDecimal {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            throw AnswerProblem("the answer is not JSON")
        }
        let path = Self.substitute(self.path, currency)
        var value = document
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch value {
            case .object(let object):
                guard let next = object[String(component)] else { throw AnswerProblem("no value at \(path)") }
                value = next
            case .array(let array):
                guard let index = Int(component), array.indices.contains(index) else {
                    throw AnswerProblem("no value at \(path)")
                }
                value = array[index]
            default: throw AnswerProblem("no value at \(path)")
            }
        }
        let price: ExactDecimal? =
            switch value {
            case .string(let text): ExactDecimal(text)
            case .integer(let integer): integer >= 0 ? ExactDecimal(units: UInt128(integer), scale: 0) : nil
            case .number(let number): ExactDecimal(shortestRepresentationOf: number)
            default: nil
            }
        guard let price else { throw AnswerProblem("the value at \(path) is not a non-negative number") }
        return price
    }

    /// What is wrong with a source's answer.
    public struct AnswerProblem: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    private static func substitute(_ template: String, _ currency: Currency) -> String {
        template.replacingOccurrences(of: "{currency}", with: currency.code.lowercased())
            .replacingOccurrences(of: "{CURRENCY}", with: currency.code)
    }
}
