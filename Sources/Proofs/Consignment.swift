import Foundation
import Secp256k1

/// Everything a receiver needs to validate a proof by itself: the genesis, the issuer's signature, every
/// transition with its signature and preimage, and the disclosed fields with their salts.
///
/// Travels as one versioned JSON document (docs/proofs.md, "Consignment JSON"). Decoding checks shapes
/// (hex lengths, key validity, version) and throws ``ProofError``; ``ProofValidator`` checks the rules.
public struct Consignment: Hashable, Sendable {
    /// The document version of a proof without lifecycle data; still written for such proofs, so verifiers of
    /// the first format keep reading them.
    public static let currentVersion = 1
    /// The document version that carries genesis terms, attestations, a redemption and a revocation.
    public static let lifecycleVersion = 2

    /// The genesis.
    public let genesis: Genesis
    /// The issuer's BIP340 signature of the proof id.
    public let issuerSignature: SchnorrSignature
    /// Every transition, oldest first.
    public let transitions: [SignedTransition]
    /// The fields the sender chose to reveal, with their salts.
    public let disclosedFields: [SaltedField]
    /// The proof id the document states; the validator checks it against the genesis.
    public let statedProofID: ProofID
    /// The attestations of the genesis attesters, in the order they were given.
    public let attestations: [SignedAttestation]
    /// The owner's redemption that ended the proof, if any.
    public let redemption: SignedRedemption?
    /// The issuer's revocation, if any.
    public let revocation: SignedRevocation?

    /// Assembles a consignment; the stated ids are the computed ones.
    public init(
        genesis: Genesis, issuerSignature: SchnorrSignature, transitions: [SignedTransition],
        disclosedFields: [SaltedField], attestations: [SignedAttestation] = [], redemption: SignedRedemption? = nil,
        revocation: SignedRevocation? = nil
    ) {
        self.init(
            genesis: genesis, issuerSignature: issuerSignature, transitions: transitions,
            disclosedFields: disclosedFields, statedProofID: genesis.id, attestations: attestations,
            redemption: redemption, revocation: revocation)
    }

    init(
        genesis: Genesis, issuerSignature: SchnorrSignature, transitions: [SignedTransition],
        disclosedFields: [SaltedField], statedProofID: ProofID, attestations: [SignedAttestation],
        redemption: SignedRedemption?, revocation: SignedRevocation?
    ) {
        self.genesis = genesis
        self.issuerSignature = issuerSignature
        self.transitions = transitions
        self.disclosedFields = disclosedFields
        self.statedProofID = statedProofID
        self.attestations = attestations
        self.redemption = redemption
        self.revocation = revocation
    }

    /// The document version this consignment is written in: ``currentVersion`` when it carries nothing of
    /// the lifecycle, else ``lifecycleVersion``.
    public var documentVersion: Int {
        genesis.version == Genesis.currentVersion && attestations.isEmpty && redemption == nil && revocation == nil
            ? Self.currentVersion : Self.lifecycleVersion
    }

    /// Decodes a consignment JSON document.
    ///
    /// Reads versions 1 and 2; a version 2 document must have exactly its keys (no unknown, none missing).
    /// - Throws: `malformed_consignment` (not JSON, missing key, wrong JSON type), `unsupported_version`,
    ///   `invalid_hex`, `invalid_length`, `invalid_key`, `invalid_kind`, `invalid_network`, `invalid_field`,
    ///   `too_many_fields`, `duplicate_field`, `non_canonical`; the detail names the JSON path.
    public init(json: Data) throws(ProofError) {
        do {
            self = try JSONDecoder().decode(Consignment.self, from: json)
        } catch let error as ProofError {
            throw error
        } catch let error as DecodingError {
            throw ProofError(.malformedConsignment, Self.describe(error))
        } catch {
            throw ProofError(.malformedConsignment, "not a JSON consignment")
        }
    }

    /// The JSON document: snake_case keys in sorted order, lowercase hex, explicit `null` for absent values.
    public func json(prettyPrinted: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        do {
            return try encoder.encode(self)
        } catch {
            preconditionFailure("a consignment holds only strings and integers, which always encode: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.isEmpty ? "document" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): wrong JSON type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON, or a number out of range" : "\(path(context.codingPath)): invalid value"
        @unknown default:
            return "not a JSON consignment"
        }
    }
}
