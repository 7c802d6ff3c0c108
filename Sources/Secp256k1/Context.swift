import CSecp256k1

/// The single libsecp256k1 context shared by every operation of this module.
///
/// The context is created once, randomized against side-channel attacks, and never mutated
/// afterwards. libsecp256k1 documents every operation on a context as thread-safe except
/// `secp256k1_context_randomize`, `_clone` and `_destroy`, which only run in `init`.
final class Context: @unchecked Sendable {
    static let shared = Context()

    let pointer: OpaquePointer

    private init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1: context creation failed")
        }
        var seed = SecureRandom.bytes(count: 32)
        defer { seed.wipe() }
        guard secp256k1_context_randomize(context, seed) == 1 else {
            fatalError("libsecp256k1: context randomization failed")
        }
        pointer = context
    }
}
