import CHashShim
import CSecp256k1

/// SHA-256 and the hash constructions built on it (BIP340 tagged hashes, HMAC).
public enum SHA256 {
    /// The SHA-256 digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        withContiguousBytes(bytes) { input in
            [UInt8](unsafeUninitializedCapacity: 32) { digest, initialized in
                t4g_sha256(input.baseAddress, input.count, digest.baseAddress)
                initialized = 32
            }
        }
    }

    /// SHA256(SHA256(bytes)), as used by Base58Check.
    public static func doubleHash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        hash(hash(bytes))
    }

    /// The BIP340 tagged hash `SHA256(SHA256(tag) || SHA256(tag) || message)`.
    public static func taggedHash(tag: String, _ message: some Sequence<UInt8>) -> [UInt8] {
        let tagBytes = Array(tag.utf8)
        let messageBytes = Array(message)
        return [UInt8](unsafeUninitializedCapacity: 32) { digest, initialized in
            let result = secp256k1_tagged_sha256(
                Context.shared.pointer, digest.baseAddress!, tagBytes, tagBytes.count, messageBytes, messageBytes.count)
            precondition(result == 1, "secp256k1_tagged_sha256 cannot fail")
            initialized = 32
        }
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under `key`.
    public static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = block.map { $0 ^ 0x36 }
        var outer = block.map { $0 ^ 0x5c }
        defer {
            block.wipe()
            inner.wipe()
            outer.wipe()
        }
        return hash(outer + hash(inner + message))
    }
}

/// Calls `body` with the bytes of `sequence` in contiguous memory, copying only when the
/// sequence does not already store them contiguously.
func withContiguousBytes<R>(_ sequence: some Sequence<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let result = sequence.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    return Array(sequence).withUnsafeBytes(body)
}
