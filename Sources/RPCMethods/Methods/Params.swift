import JSONRPC
import Lightning
import Secp256k1
import Wallet

/// A request's named params, checked against their declarations (`RPCParam`) when created: params the method
/// does not declare are refused, and so are a missing required param, a value its kind does not take and a
/// string param holding a NUL. Every refusal is a typed error (`invalid_params`, or `invalid_amount` for an
/// amount out of range) that names the parameter. The accessors then read the checked values.
struct Params: Sendable {
    let object: JSONObject
    /// The declarations the values were checked against.
    private let declared: [RPCParam]
    /// The prefix of the names in messages: `payment.` for the members of `payment`.
    private let path: String

    init(_ object: JSONObject, declared: [RPCParam], path: String = "") throws(DaemonError) {
        self.object = object
        self.declared = declared
        self.path = path
        if let unknown = object.first(where: { member in !declared.contains { $0.name == member.key } }) {
            throw .invalidParams("unknown parameter '\(path)\(unknown.key)'")
        }
        // SQLite binds text up to its first NUL and PostgreSQL refuses it: "x\u{0}a" would be stored as "x"
        // (colliding with "x\u{0}b"), so no string param may hold one, whether or not the method reads it.
        // Strings inside JSON values (metadata) are stored escaped, exactly.
        if let name = object.first(where: { $0.value.stringValue?.utf8.contains(0) == true })?.key {
            throw .invalidParams("'\(path)\(name)' must not contain the NUL character (U+0000)")
        }
        for param in declared {
            guard let value = object[param.name], !value.isNull else {
                if param.required { throw .invalidParams("'\(path)\(param.name)' is required") }
                continue
            }
            try param.kind.check(value, name: path + param.name)
        }
    }

    private func present(_ name: String) -> JSONValue? {
        guard let value = object[name], !value.isNull else { return nil }
        return value
    }

    func string(_ name: String) throws(DaemonError) -> String? {
        guard let value = present(name) else { return nil }
        guard let text = value.stringValue else { throw .invalidParams("'\(path)\(name)' must be a string") }
        return text
    }

    func requiredString(_ name: String) throws(DaemonError) -> String {
        guard let text = try string(name) else { throw .invalidParams("'\(path)\(name)' is required") }
        return text
    }

    /// A param naming a case of `T` by its raw value (its declaration lists the raw values).
    func choice<T: RawRepresentable<String>>(_ name: String, of type: T.Type) throws(DaemonError) -> T? {
        guard let text = try string(name) else { return nil }
        guard let value = T(rawValue: text) else { throw .invalidParams("'\(path)\(name)' is not a known value") }
        return value
    }

    func integer(_ name: String) throws(DaemonError) -> Int64? {
        guard let value = present(name) else { return nil }
        guard let integer = value.int64Value else { throw .invalidParams("'\(path)\(name)' must be an integer") }
        return integer
    }

    /// A JSON object param as compact text, at most 16 KiB (metadata kept verbatim).
    func objectText(_ name: String) throws(DaemonError) -> String? {
        guard let value = present(name) else { return nil }
        let text = String(decoding: value.serialized(), as: UTF8.self)
        guard text.utf8.count <= 16_384 else { throw .invalidParams("'\(path)\(name)' is larger than 16 KiB") }
        return text
    }

    func bool(_ name: String) throws(DaemonError) -> Bool? {
        guard let value = present(name) else { return nil }
        guard let flag = value.boolValue else { throw .invalidParams("'\(path)\(name)' must be a boolean") }
        return flag
    }

    /// The bytes of a hex param.
    func bytes(_ name: String) throws(DaemonError) -> [UInt8]? {
        guard let text = try string(name) else { return nil }
        guard let bytes = [UInt8](hex: text.lowercased()) else {
            throw .invalidParams("'\(path)\(name)' must be hex digits")
        }
        return bytes
    }

    func paymentHash(_ name: String = "payment_hash") throws(DaemonError) -> PaymentHash? {
        guard let text = try string(name) else { return nil }
        guard let hash = PaymentHash(hex: text.lowercased()) else {
            throw .invalidParams("'\(path)\(name)' must be 64 hex digits")
        }
        return hash
    }

    func requiredPaymentHash(_ name: String = "payment_hash") throws(DaemonError) -> PaymentHash {
        guard let hash = try paymentHash(name) else { throw .invalidParams("'\(path)\(name)' is required") }
        return hash
    }

    /// The members of an object param declared with `.members`, checked as params of their own.
    func members(_ name: String) throws(DaemonError) -> Params? {
        guard let value = present(name) else { return nil }
        guard case .members(let members) = declared.first(where: { $0.name == name })?.kind,
            let object = value.objectValue
        else { throw .invalidParams("'\(path)\(name)' must be an object") }
        return try Params(object, declared: members, path: path + name + ".")
    }

    /// At most 21 million bitcoin.
    static let maximumMsat: Int64 = 2_100_000_000_000_000_000

    /// `amount_msat` or `amount_sat` (exactly one, or neither); their declarations (`.msat`, `.sat`) keep
    /// them positive and within 21 million bitcoin.
    func amount() throws(DaemonError) -> MilliSatoshi? {
        switch (try integer("amount_msat"), try integer("amount_sat")) {
        case (.some, .some): throw DaemonError(.invalidAmount, "give amount_msat or amount_sat, not both")
        case (let msat?, nil): return MilliSatoshi(msat)
        case (nil, let sat?):
            guard let amount = MilliSatoshi(sat: sat) else {
                throw DaemonError(.invalidAmount, "amount_sat is out of range")
            }
            return amount
        case (nil, nil): return nil
        }
    }

    /// `limit` (declared 1...1000), default 100.
    func limit() throws(DaemonError) -> Int { Int(try integer("limit") ?? 100) }

    /// `timeout_s` (its range is in its declaration) as a duration.
    func timeout(default seconds: Int64) throws(DaemonError) -> Duration {
        .seconds(try integer("timeout_s") ?? seconds)
    }
}
