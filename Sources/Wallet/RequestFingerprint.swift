import Secp256k1

/// The digest of a write's parameters, stored with its idempotency key (or label) so a repeat with other
/// parameters is told apart from a true repeat. Each part is length-prefixed, so no two lists collide.
enum RequestFingerprint {
    static func of(_ parts: [String]) -> String {
        SHA256.hash(Array(parts.map { "\($0.utf8.count):\($0)" }.joined().utf8)).hex
    }
}
