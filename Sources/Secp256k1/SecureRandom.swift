/// Cryptographically secure random bytes from the operating system (`getrandom` on Linux).
public enum SecureRandom {
    /// Returns `count` random bytes, drawn eight at a time from `SystemRandomNumberGenerator` (one
    /// `getrandom` call per eight bytes on Linux, instead of one per byte).
    public static func bytes(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

extension Array where Element == UInt8 {
    /// Overwrites every byte with zero, for buffers that held secret material.
    public mutating func wipe() {
        withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            // memset_s is not in glibc; a volatile-style loop through the raw pointer is not
            // elided because the buffer escapes into this opaque closure.
            for index in 0..<buffer.count { base.storeBytes(of: 0, toByteOffset: index, as: UInt8.self) }
        }
    }
}
