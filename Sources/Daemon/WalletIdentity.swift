import Lightning
import Logging
import Store
import Wallet

/// The wallet a store belongs to, recorded at the store's first start and checked at every start after: the
/// identity key of the seed (`seed`), and the backend's node public key (`backend_node`) where the backend
/// has one (LND, the dev backend; not LNbits). An instance with another seed or another node would record
/// nothing of the wallet's settlements while it leads, and move the shared settle cursor past them.
struct WalletIdentity {
    /// The public identity key derived from the seed (hex): names the seed without revealing it.
    let seedKey: String
    let backend: any LightningBackend
    let logger: Logger

    /// How long the start waits for the backend's node identity.
    static let backendDeadline: Duration = .seconds(2)

    /// Records the identities a new store lacks, and refuses (naming both) an identity that differs from the
    /// recorded one. A backend that does not answer within ``backendDeadline`` is not checked (logged as a
    /// warning): the daemon starts without its backend, as it always has.
    func check(_ store: Store) async throws {
        try await compare("seed", "identity key of the seed", seedKey, store)
        let backend = backend
        let answer = Task { () -> Result<NodeInfo, any Error> in
            do {
                return .success(try await backend.nodeInfo())
            } catch {
                return .failure(error)
            }
        }
        switch await firstOf(answer, timeout: Self.backendDeadline) {
        case .success(let node)?:
            guard let pubkey = node.pubkey, !pubkey.isEmpty else { return }
            try await compare("backend_node", "backend node public key", pubkey, store)
        case .failure(let error)?:
            logger.warning("cannot check the backend node's identity now", metadata: ["error": "\(error)"])
        case nil:
            logger.warning("cannot check the backend node's identity now: no answer within 2 s")
        }
    }

    private func compare(_ name: String, _ what: String, _ value: String, _ store: Store) async throws {
        let recorded = try await store.walletIdentity(name, recordingIfAbsent: value)
        guard recorded != value else { return }
        throw Mismatch(what: what, recorded: recorded, found: value)
    }

    /// This instance's wallet is not the store's.
    struct Mismatch: Error, CustomStringConvertible {
        let what: String
        let recorded: String
        let found: String

        var description: String {
            "this store belongs to another wallet: its \(what) is \(recorded), this instance's is \(found)"
                + " (every instance sharing a store needs the wallet's seed and the same backend node)"
        }
    }
}
