import Secp256k1

/// The parts of the consignment JSON that only version 2 has: genesis terms, attestations, the redemption
/// and the revocation (docs/proofs.md, "Consignment JSON").
extension Consignment {
    /// The lifecycle records a document carries.
    struct Lifecycle {
        static let none = Lifecycle(attestations: [], redemption: nil, revocation: nil)

        let attestations: [SignedAttestation]
        let redemption: SignedRedemption?
        let revocation: SignedRevocation?
    }

    enum AttestationKey: String, CodingKey, CaseIterable, DocumentKey {
        case version, proofID = "proof_id", attester, attestedAt = "attested_at", signature
    }

    enum RedemptionKey: String, CodingKey, CaseIterable, DocumentKey {
        case id, version, proofID = "proof_id", previous, sequence, redeemer, redeemedAt = "redeemed_at"
        case ownerSignature = "owner_signature", redeemerSignature = "redeemer_signature"
    }

    enum RevocationKey: String, CodingKey, CaseIterable, DocumentKey {
        case version, proofID = "proof_id", revokedAt = "revoked_at", signature
    }

    static func encodeTerms(_ terms: LifecycleTerms, into object: inout KeyedEncodingContainer<GenesisKey>) throws {
        try object.encode(terms.expiresAt, forKey: .expiresAt)
        try object.encode(terms.revocable, forKey: .revocable)
        try object.encode(terms.attesters.map(\.bytes.hex), forKey: .attesters)
    }

    static func decodeTerms(_ object: KeyedDecodingContainer<GenesisKey>) throws -> LifecycleTerms {
        let expiresAt = try object.decodeIfPresent(UInt64.self, forKey: .expiresAt)
        let revocable = try object.decode(Bool.self, forKey: .revocable)
        var list = try object.nestedUnkeyedContainer(forKey: .attesters)
        var attesters = [XOnlyPublicKey]()
        while !list.isAtEnd {
            let path = "genesis.attesters[\(attesters.count)]"
            let text = try list.decode(String.self)
            let bytes = try located(path) { () throws(ProofError) in try Hex.decode(text, count: 32) }
            attesters.append(try xOnlyKey(bytes, path))
        }
        return try located("genesis.attesters") { () throws(ProofError) in
            try LifecycleTerms(canonical: expiresAt, revocable: revocable, attesters: attesters)
        }
    }

    func encodeLifecycle(into container: inout KeyedEncodingContainer<Key>) throws {
        var list = container.nestedUnkeyedContainer(forKey: .attestations)
        for signed in attestations {
            let attestation = signed.attestation
            var object = list.nestedContainer(keyedBy: AttestationKey.self)
            try object.encode(attestation.version, forKey: .version)
            try object.encode(attestation.proofID.hex, forKey: .proofID)
            try object.encode(attestation.attester.bytes.hex, forKey: .attester)
            try object.encode(attestation.attestedAt, forKey: .attestedAt)
            try object.encode(signed.signature.bytes.hex, forKey: .signature)
        }
        if let redemption {
            var object = container.nestedContainer(keyedBy: RedemptionKey.self, forKey: .redemption)
            let content = redemption.redemption
            try object.encode(content.id.hex, forKey: .id)
            try object.encode(content.version, forKey: .version)
            try object.encode(content.proofID.hex, forKey: .proofID)
            try object.encode(content.previous.hex, forKey: .previous)
            try object.encode(content.sequence, forKey: .sequence)
            try object.encode(content.redeemer?.bytes.hex, forKey: .redeemer)
            try object.encode(content.redeemedAt, forKey: .redeemedAt)
            try object.encode(redemption.ownerSignature.bytes.hex, forKey: .ownerSignature)
            try object.encode(redemption.redeemerSignature?.bytes.hex, forKey: .redeemerSignature)
        } else {
            try container.encodeNil(forKey: .redemption)
        }
        if let revocation {
            var object = container.nestedContainer(keyedBy: RevocationKey.self, forKey: .revocation)
            try object.encode(revocation.revocation.version, forKey: .version)
            try object.encode(revocation.revocation.proofID.hex, forKey: .proofID)
            try object.encode(revocation.revocation.revokedAt, forKey: .revokedAt)
            try object.encode(revocation.signature.bytes.hex, forKey: .signature)
        } else {
            try container.encodeNil(forKey: .revocation)
        }
    }

    static func decodeLifecycle(_ container: KeyedDecodingContainer<Key>) throws -> Lifecycle {
        var list = try container.nestedUnkeyedContainer(forKey: .attestations)
        var attestations = [SignedAttestation]()
        while !list.isAtEnd {
            let path = "attestations[\(attestations.count)]"
            let element = try list.superDecoder()
            try checkKeys(of: element, AttestationKey.self, strict: true, path: path)
            let object = try element.container(keyedBy: AttestationKey.self)
            attestations.append(
                SignedAttestation(
                    attestation: Attestation(
                        version: try object.decode(UInt8.self, forKey: .version),
                        proofID: try Hash256(bytes: hex(object, .proofID, "\(path).proof_id", count: 32)),
                        attester: try key(object, .attester, "\(path).attester"),
                        attestedAt: try object.decode(UInt64.self, forKey: .attestedAt)),
                    signature: try SchnorrSignature(bytes: hex(object, .signature, "\(path).signature", count: 64))))
        }
        return Lifecycle(
            attestations: attestations, redemption: try decodeRedemption(container),
            revocation: try decodeRevocation(container))
    }

    private static func decodeRedemption(_ container: KeyedDecodingContainer<Key>) throws -> SignedRedemption? {
        guard try !container.decodeNil(forKey: .redemption) else { return nil }
        let element = try container.superDecoder(forKey: .redemption)
        try checkKeys(of: element, RedemptionKey.self, strict: true, path: "redemption")
        let object = try element.container(keyedBy: RedemptionKey.self)
        let redeemer = try optionalHex(object, .redeemer, "redemption.redeemer").map {
            bytes throws(ProofError) in try xOnlyKey(bytes, "redemption.redeemer")
        }
        let redeemerSignature = try optionalHex(object, .redeemerSignature, "redemption.redeemer_signature", count: 64)
        return SignedRedemption(
            redemption: Redemption(
                version: try object.decode(UInt8.self, forKey: .version),
                proofID: try Hash256(bytes: hex(object, .proofID, "redemption.proof_id", count: 32)),
                previous: try Hash256(bytes: hex(object, .previous, "redemption.previous", count: 32)),
                sequence: try object.decode(UInt64.self, forKey: .sequence), redeemer: redeemer,
                redeemedAt: try object.decode(UInt64.self, forKey: .redeemedAt)),
            ownerSignature: try SchnorrSignature(
                bytes: hex(object, .ownerSignature, "redemption.owner_signature", count: 64)),
            redeemerSignature: try redeemerSignature.map { bytes throws(Secp256k1Error) in
                try SchnorrSignature(bytes: bytes)
            },
            statedID: try Hash256(bytes: hex(object, .id, "redemption.id", count: 32)))
    }

    private static func decodeRevocation(_ container: KeyedDecodingContainer<Key>) throws -> SignedRevocation? {
        guard try !container.decodeNil(forKey: .revocation) else { return nil }
        let element = try container.superDecoder(forKey: .revocation)
        try checkKeys(of: element, RevocationKey.self, strict: true, path: "revocation")
        let object = try element.container(keyedBy: RevocationKey.self)
        return SignedRevocation(
            revocation: Revocation(
                version: try object.decode(UInt8.self, forKey: .version),
                proofID: try Hash256(bytes: hex(object, .proofID, "revocation.proof_id", count: 32)),
                revokedAt: try object.decode(UInt64.self, forKey: .revokedAt)),
            signature: try SchnorrSignature(bytes: hex(object, .signature, "revocation.signature", count: 64)))
    }
}
