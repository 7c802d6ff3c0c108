import Foundation

/// One example of BOLT #11 as recorded in `shared/testdata/bolt11/spec-vectors.json`.
public struct SpecVector: Decodable, Sendable {
    public struct Fallback: Decodable, Sendable {
        public let type: String
        public let version: Int
        public let address: String
    }

    public struct Hop: Decodable, Sendable {
        public let pubkey: String
        public let short_channel_id: String
        public let fee_base_msat: UInt32
        public let fee_proportional_millionths: UInt32
        public let cltv_expiry_delta: UInt16
    }

    public let id: String
    public let invoice: String
    public let reason: String?
    public let network: String?
    public let amount_msat: UInt64?
    public let timestamp: UInt64?
    public let payment_hash: String?
    public let payment_secret: String?
    public let description: String?
    public let description_hash: String?
    public let expiry: UInt64?
    public let min_final_cltv_expiry: UInt64?
    public let fallbacks: [Fallback]?
    public let route_hints: [[Hop]]?
    public let features: [Int]?
    public let payee_pubkey: String?
    public let explicit_payee_n: String?
    public let metadata: String?
    public let signature: String?
    public let recovery_id: Int?
    public let signature_high_s: Bool?
    public let strict_valid: Bool?
    public let strict_failure: String?

    /// The spec's valid and invalid examples.
    public static let all: (valid: [SpecVector], invalid: [SpecVector]) = {
        struct File: Decodable {
            let valid: [SpecVector]
            let invalid: [SpecVector]
        }
        guard let data = try? Data(contentsOf: sharedTestData("bolt11/spec-vectors.json")),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else {
            return ([], [])
        }
        return (file.valid, file.invalid)
    }()
}
