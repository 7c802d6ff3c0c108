/// The network a proof belongs to; part of the genesis, so a regtest proof is never a mainnet proof.
public enum ProofNetwork: String, Hashable, Sendable, CaseIterable {
    case mainnet, testnet, signet, regtest
}
