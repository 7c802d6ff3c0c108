/// The keys that signed invoices of this LNbits, as far as the backend has seen them: LNbits' funding source
/// signs the invoices of every wallet it serves with its node's key (FakeWallet with one fixed key), so an
/// invoice signed by another key cannot be this wallet's own. Learnt from the invoices the backend creates and
/// from those it pays internally (`checking_id` `internal_…`, an invoice of another wallet of the same LNbits).
/// Pure; tested by value.
struct LNbitsSigningKeys: Sendable {
    private var keys: Set<[UInt8]> = []

    /// Notes `key` (33 bytes, compressed) as one that signed an invoice of this LNbits.
    mutating func learn(_ key: [UInt8]) {
        keys.insert(key)
    }

    /// Whether an invoice signed by `key` may have been issued by this LNbits, and so by this wallet: `key`
    /// signed one of its invoices before, or no key is known yet.
    func mayHaveSigned(_ key: [UInt8]) -> Bool {
        keys.isEmpty || keys.contains(key)
    }
}
