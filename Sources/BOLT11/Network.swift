/// A Bitcoin network, with the prefixes its invoices and addresses use.
public enum Network: String, Sendable, Hashable, CaseIterable, Codable {
    case mainnet, testnet, signet, regtest

    /// The BOLT #11 currency prefix after `ln`.
    public var invoicePrefix: String {
        switch self {
        case .mainnet: "bc"
        case .testnet: "tb"
        case .signet: "tbs"
        case .regtest: "bcrt"
        }
    }

    /// The network whose BOLT #11 currency prefix is `prefix`.
    public init?(invoicePrefix prefix: String) {
        guard let network = Network.allCases.first(where: { $0.invoicePrefix == prefix }) else { return nil }
        self = network
    }

    /// The human-readable part of native segwit addresses.
    var segwitHRP: String {
        switch self {
        case .mainnet: "bc"
        case .testnet, .signet: "tb"
        case .regtest: "bcrt"
        }
    }

    /// The Base58Check version byte of P2PKH addresses.
    var pubkeyHashVersion: UInt8 { self == .mainnet ? 0x00 : 0x6f }

    /// The Base58Check version byte of P2SH addresses.
    var scriptHashVersion: UInt8 { self == .mainnet ? 0x05 : 0xc4 }
}
