import Synchronization

/// Request ids: 16 hex digits, shown in logs and in every error's `data.request_id`.
///
/// An id is a per-process counter that starts at a random value, put through a bijective mix:
/// ids never repeat within a process (until 2^64 of them), yet look unrelated to one another and
/// differ from run to run. Making one costs an atomic increment and one small string.
enum RequestID {
    private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    static func make() -> String {
        let (value, _) = counter.wrappingAdd(1, ordering: .relaxed)
        return hexDigits(mix(value))
    }

    /// splitmix64's finalizer: a bijection on `UInt64` that scatters consecutive inputs.
    static func mix(_ value: UInt64) -> UInt64 {
        var mixed = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// `value` as 16 lowercase hex digits, leading zeros included.
    static func hexDigits(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { digits in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * index)) & 0x0F
                digits[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 16
        }
    }
}
