import JSONRPC
import Lightning
import Wallet

/// Typed, strict access to a request's named params: every problem is an `invalid_params` error that names
/// the parameter; params the method does not know are refused, and so is a string param holding a NUL.
struct Params: Sendable {
    let object: JSONObject

    init(_ object: JSONObject, allowed: [String]) throws {
        self.object = object
        if let unknown = object.first(where: { !allowed.contains($0.key) }) {
            throw DaemonError.invalidParams("unknown parameter '\(unknown.key)'")
        }
        // SQLite binds text up to its first NUL and PostgreSQL refuses it: "x\u{0}a" would be stored as "x"
        // (colliding with "x\u{0}b"), so no string param may hold one, whether or not the method reads it.
        // Strings inside JSON values (metadata) are stored escaped, exactly.
        if let name = object.first(where: { $0.value.stringValue?.utf8.contains(0) == true })?.key {
            throw DaemonError.invalidParams("'\(name)' must not contain the NUL character (U+0000)")
        }
    }

    private func present(_ name: String) -> JSONValue? {
        guard let value = object[name], !value.isNull else { return nil }
        return value
    }

    func string(_ name: String, maxLength: Int = 65_536) throws -> String? {
        guard let value = present(name) else { return nil }
        guard let text = value.stringValue else { throw DaemonError.invalidParams("'\(name)' must be a string") }
        guard text.utf8.count <= maxLength else {
            throw DaemonError.invalidParams("'\(name)' is longer than \(maxLength) bytes")
        }
        return text
    }

    /// A string param that must be one of `choices`.
    func choice(_ name: String, of choices: [String]) throws -> String? {
        guard let text = try string(name) else { return nil }
        guard choices.contains(text) else {
            throw DaemonError.invalidParams("'\(name)' must be one of: \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// A param naming a case of `T` by its raw value.
    func choice<T: CaseIterable & RawRepresentable<String>>(_ name: String, of type: T.Type) throws -> T? {
        try choice(name, of: T.allCases.map(\.rawValue)).flatMap(T.init(rawValue:))
    }

    func requiredString(_ name: String, maxLength: Int = 65_536) throws -> String {
        guard let text = try string(name, maxLength: maxLength) else {
            throw DaemonError.invalidParams("'\(name)' is required")
        }
        return text
    }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = present(name) else { return nil }
        guard let integer = value.int64Value else {
            throw DaemonError.invalidParams(
                "'\(name)' must be an integer (got a non-integer or an out-of-range number)")
        }
        guard range.contains(integer) else {
            throw DaemonError.invalidParams("'\(name)' must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return integer
    }

    /// A JSON object param as compact text, at most 16 KiB (metadata kept verbatim).
    func objectText(_ name: String) throws -> String? {
        guard let value = present(name) else { return nil }
        guard case .object = value else { throw DaemonError.invalidParams("'\(name)' must be an object") }
        let text = String(decoding: value.serialized(), as: UTF8.self)
        guard text.utf8.count <= 16_384 else { throw DaemonError.invalidParams("'\(name)' is larger than 16 KiB") }
        return text
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = present(name) else { return nil }
        guard let flag = value.boolValue else { throw DaemonError.invalidParams("'\(name)' must be a boolean") }
        return flag
    }

    func paymentHash(_ name: String = "payment_hash") throws -> PaymentHash? {
        guard let text = try string(name) else { return nil }
        guard let hash = PaymentHash(hex: text.lowercased()) else {
            throw DaemonError.invalidParams("'\(name)' must be 64 hex digits")
        }
        return hash
    }

    func requiredPaymentHash(_ name: String = "payment_hash") throws -> PaymentHash {
        guard let hash = try paymentHash(name) else { throw DaemonError.invalidParams("'\(name)' is required") }
        return hash
    }

    /// At most 21 million bitcoin.
    static let maximumMsat: Int64 = 2_100_000_000_000_000_000

    /// `amount_msat` or `amount_sat` (exactly one, or neither): a positive integer amount.
    func amount() throws -> MilliSatoshi? {
        let msat = try integer("amount_msat", in: Int64.min...Int64.max)
        let sat = try integer("amount_sat", in: Int64.min...Int64.max)
        switch (msat, sat) {
        case (.some, .some): throw DaemonError("invalid_amount", "give amount_msat or amount_sat, not both")
        case (let value?, nil): return try Self.positive(value, "amount_msat")
        case (nil, let value?):
            guard let amount = MilliSatoshi(sat: value) else {
                throw DaemonError("invalid_amount", "amount_sat is out of range")
            }
            return try Self.positive(amount.rawValue, "amount_sat")
        case (nil, nil): return nil
        }
    }

    private static func positive(_ msat: Int64, _ name: String) throws -> MilliSatoshi {
        guard msat > 0, msat <= maximumMsat else {
            throw DaemonError("invalid_amount", "\(name) must be positive and at most 21 million bitcoin")
        }
        return MilliSatoshi(msat)
    }

    /// `limit` (1...1000, default 100).
    func limit() throws -> Int { Int(try integer("limit", in: 1...1000) ?? 100) }

    /// `timeout_s` (0...86400) as a duration.
    func timeout(default seconds: Int64) throws -> Duration {
        .seconds(try integer("timeout_s", in: 0...86_400) ?? seconds)
    }
}
