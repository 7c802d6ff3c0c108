import Rates
import Wallet

extension Params {
    /// `fiat: {currency, amount}`: an ISO 4217 code t4gd knows and a decimal string.
    func fiat() throws -> FiatAmount? {
        guard let value = object["fiat"], !value.isNull else { return nil }
        guard case .object(let fiat) = value else {
            throw DaemonError.invalidParams("'fiat' must be an object {currency, amount}")
        }
        if let unknown = fiat.first(where: { !["currency", "amount"].contains($0.key) }) {
            throw DaemonError.invalidParams("unknown parameter 'fiat.\(unknown.key)'")
        }
        guard let code = fiat["currency"]?.stringValue else {
            throw DaemonError.invalidParams("'fiat.currency' must be an ISO 4217 code such as \"EUR\"")
        }
        guard let currency = Currency(code: code) else {
            throw DaemonError.invalidParams("'fiat.currency' \"\(code)\" is not a currency t4gd knows")
        }
        guard let text = fiat["amount"]?.stringValue else {
            throw DaemonError.invalidParams("'fiat.amount' must be a decimal string such as \"78.50\", never a number")
        }
        do {
            return try FiatAmount(currency: currency, text: text)
        } catch {
            throw DaemonError("invalid_amount", "'fiat.amount' \(error.description)")
        }
    }

    /// A currency param (`currency`), for figures converted at the current rate.
    func currency(_ name: String = "currency") throws -> Currency? {
        guard let code = try string(name) else { return nil }
        guard let currency = Currency(code: code) else {
            throw DaemonError.invalidParams("'\(name)' \"\(code)\" is not a currency t4gd knows")
        }
        return currency
    }
}
