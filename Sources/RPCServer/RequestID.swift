/// Request ids: 16 random hex digits, shown in logs and in every error's `data.request_id`.
enum RequestID {
    static func make() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
