/// An on-chain fallback address from an `f` field: a version and its hash or witness program.
public struct FallbackAddress: Hashable, Sendable {
    /// The field's version: 0-16 for segwit witness versions, 17 for P2PKH, 18 for P2SH.
    public let version: UInt8
    /// The 20-byte hash (P2PKH, P2SH) or the witness program.
    public let program: [UInt8]

    /// Validates the program length for the version (BIP141/BIP341 rules).
    public init(version: UInt8, program: [UInt8]) throws(BOLT11Error) {
        let valid =
            switch version {
            case 17, 18: program.count == 20
            case 0: program.count == 20 || program.count == 32
            case 1...16: (2...40).contains(program.count)
            default: false
            }
        guard valid else {
            throw BOLT11Error(.invalidFallback, "version \(version) cannot have a \(program.count)-byte program")
        }
        self.version = version
        self.program = program
    }

    /// What kind of output the address pays to.
    public var kind: String {
        switch (version, program.count) {
        case (17, _): "p2pkh"
        case (18, _): "p2sh"
        case (0, 20): "p2wpkh"
        case (0, _): "p2wsh"
        case (1, 32): "p2tr"
        default: "witness"
        }
    }

    /// The address string on `network`: Base58Check for versions 17/18, bech32 for witness v0, bech32m above.
    public func address(on network: Network) -> String {
        switch version {
        case 17: return Base58Check.encode(version: network.pubkeyHashVersion, payload: program)
        case 18: return Base58Check.encode(version: network.scriptHashVersion, payload: program)
        default:
            let words = [version] + WordConversion.words(fromBytes: program)
            return Bech32.encode(
                hrp: Array(network.segwitHRP.utf8), words: words, variant: version == 0 ? .bech32 : .bech32m)
        }
    }
}
