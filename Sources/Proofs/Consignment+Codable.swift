import Secp256k1

/// The consignment JSON schema, versions 1 and 2 (docs/proofs.md, "Consignment JSON").
extension Consignment: Codable {
    enum Key: String, CodingKey, CaseIterable, DocumentKey {
        case version, proofID = "proof_id", genesis, issuerSignature = "issuer_signature", transitions
        case disclosedFields = "disclosed_fields", attestations, redemption, revocation

        var isLifecycle: Bool { [.attestations, .redemption, .revocation].contains(self) }
    }

    enum GenesisKey: String, CodingKey, CaseIterable, DocumentKey {
        case version, kind, network, issuer, issuedAt = "issued_at", fieldCommitments = "field_commitments", owner
        case expiresAt = "expires_at", revocable, attesters

        var isLifecycle: Bool { [.expiresAt, .revocable, .attesters].contains(self) }
    }

    enum TransitionKey: String, CodingKey, CaseIterable, DocumentKey {
        case id, version, proofID = "proof_id", previous, sequence, newOwner = "new_owner"
        case paymentHash = "payment_hash", createdAt = "created_at", signature, preimage
    }

    enum FieldKey: String, CodingKey, CaseIterable, DocumentKey {
        case name, value, salt
    }

    public func encode(to encoder: any Encoder) throws {
        let version = documentVersion
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(version, forKey: .version)
        try container.encode(genesis.id.hex, forKey: .proofID)
        var object = container.nestedContainer(keyedBy: GenesisKey.self, forKey: .genesis)
        try object.encode(genesis.version, forKey: .version)
        try object.encode(genesis.kind.name, forKey: .kind)
        try object.encode(genesis.network.rawValue, forKey: .network)
        try object.encode(genesis.issuer.bytes.hex, forKey: .issuer)
        try object.encode(genesis.issuedAt, forKey: .issuedAt)
        try object.encode(genesis.fieldCommitments.map(\.hex), forKey: .fieldCommitments)
        try object.encode(genesis.owner.bytes.hex, forKey: .owner)
        if version >= Self.lifecycleVersion { try Self.encodeTerms(genesis.terms, into: &object) }
        try container.encode(issuerSignature.bytes.hex, forKey: .issuerSignature)
        var list = container.nestedUnkeyedContainer(forKey: .transitions)
        for signed in transitions {
            let transition = signed.transition
            var object = list.nestedContainer(keyedBy: TransitionKey.self)
            try object.encode(transition.id.hex, forKey: .id)
            try object.encode(transition.version, forKey: .version)
            try object.encode(transition.proofID.hex, forKey: .proofID)
            try object.encode(transition.previous.hex, forKey: .previous)
            try object.encode(transition.sequence, forKey: .sequence)
            try object.encode(transition.newOwner.bytes.hex, forKey: .newOwner)
            try object.encode(transition.paymentHash?.hex, forKey: .paymentHash)
            try object.encode(transition.createdAt, forKey: .createdAt)
            try object.encode(signed.signature.bytes.hex, forKey: .signature)
            try object.encode(signed.preimage?.bytes.hex, forKey: .preimage)
        }
        var fields = container.nestedUnkeyedContainer(forKey: .disclosedFields)
        for salted in disclosedFields {
            var object = fields.nestedContainer(keyedBy: FieldKey.self)
            try object.encode(salted.field.name, forKey: .name)
            try object.encode(salted.field.value, forKey: .value)
            try object.encode(salted.salt.hex, forKey: .salt)
        }
        if version >= Self.lifecycleVersion { try encodeLifecycle(into: &container) }
    }

    /// Decodes and shape-checks a document; ``ProofError``s carry the JSON path in their detail.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.currentVersion || version == Self.lifecycleVersion else {
            throw ProofError(
                .unsupportedVersion,
                "version: consignment version \(version) is not supported (this verifier reads versions 1 and 2)")
        }
        let strict = version == Self.lifecycleVersion
        try Self.checkKeys(of: decoder, Key.self, strict: strict, path: "document")
        let statedProofID = try Hash256(bytes: Self.hex(container, .proofID, "proof_id", count: 32))

        let genesisDecoder = try container.superDecoder(forKey: .genesis)
        try Self.checkKeys(of: genesisDecoder, GenesisKey.self, strict: strict, path: "genesis")
        let object = try genesisDecoder.container(keyedBy: GenesisKey.self)
        let kindName = try object.decode(String.self, forKey: .kind)
        let networkName = try object.decode(String.self, forKey: .network)
        guard let network = ProofNetwork(rawValue: networkName) else {
            throw ProofError(.invalidNetwork, "genesis.network: \(networkName) is not a known network")
        }
        var commitmentList = try object.nestedUnkeyedContainer(forKey: .fieldCommitments)
        var commitments = [Hash256]()
        while !commitmentList.isAtEnd {
            let index = commitments.count
            let text = try commitmentList.decode(String.self)
            commitments.append(
                try Self.located("genesis.field_commitments[\(index)]") { () throws(ProofError) in
                    try Hash256(hex: text)
                })
        }
        let genesisVersion = try object.decode(UInt8.self, forKey: .version)
        let issuer = try Self.key(object, .issuer, "genesis.issuer")
        let issuedAt = try object.decode(UInt64.self, forKey: .issuedAt)
        let owner = try Self.key(object, .owner, "genesis.owner")
        let terms = strict ? try Self.decodeTerms(object) : LifecycleTerms.none
        let kind = try Self.located("genesis.kind") { () throws(ProofError) in try ProofKind(kindName) }
        guard genesisVersion != Genesis.currentVersion || terms.isNone else {
            throw ProofError(.unsupportedVersion, "genesis.version: a version 1 genesis carries no lifecycle terms")
        }
        let genesis = try Self.located("genesis.field_commitments") { () throws(ProofError) in
            try Genesis(
                version: genesisVersion, kind: kind, network: network, issuer: issuer, issuedAt: issuedAt,
                fieldCommitments: commitments, owner: owner, terms: terms)
        }
        let issuerSignature = try SchnorrSignature(
            bytes: Self.hex(container, .issuerSignature, "issuer_signature", count: 64))

        var list = try container.nestedUnkeyedContainer(forKey: .transitions)
        var transitions = [SignedTransition]()
        while !list.isAtEnd {
            let index = transitions.count
            let element = try list.superDecoder()
            try Self.checkKeys(of: element, TransitionKey.self, strict: strict, path: "transitions[\(index)]")
            let object = try element.container(keyedBy: TransitionKey.self)
            let paymentHash = try Self.optionalHex(object, .paymentHash, "transitions[\(index)].payment_hash")
            let preimage = try Self.optionalHex(object, .preimage, "transitions[\(index)].preimage")
            let transition = Transition(
                version: try object.decode(UInt8.self, forKey: .version),
                proofID: try Hash256(bytes: Self.hex(object, .proofID, "transitions[\(index)].proof_id", count: 32)),
                previous: try Hash256(bytes: Self.hex(object, .previous, "transitions[\(index)].previous", count: 32)),
                sequence: try object.decode(UInt64.self, forKey: .sequence),
                newOwner: try Self.key(object, .newOwner, "transitions[\(index)].new_owner"),
                paymentHash: try paymentHash.map { bytes throws(ProofError) in try Hash256(bytes: bytes) },
                createdAt: try object.decode(UInt64.self, forKey: .createdAt))
            transitions.append(
                SignedTransition(
                    transition: transition,
                    signature: try SchnorrSignature(
                        bytes: Self.hex(object, .signature, "transitions[\(index)].signature", count: 64)),
                    preimage: try preimage.map { bytes throws(ProofError) in try Preimage(bytes: bytes) },
                    statedID: try Hash256(bytes: Self.hex(object, .id, "transitions[\(index)].id", count: 32))))
        }

        var fieldList = try container.nestedUnkeyedContainer(forKey: .disclosedFields)
        var disclosed = [SaltedField]()
        while !fieldList.isAtEnd {
            let index = disclosed.count
            let element = try fieldList.superDecoder()
            try Self.checkKeys(of: element, FieldKey.self, strict: strict, path: "disclosed_fields[\(index)]")
            let object = try element.container(keyedBy: FieldKey.self)
            let name = try object.decode(String.self, forKey: .name)
            let value = try object.decode(String.self, forKey: .value)
            let salt = try Self.hex(object, .salt, "disclosed_fields[\(index)].salt", count: 32)
            disclosed.append(
                try Self.located("disclosed_fields[\(index)]") { () throws(ProofError) in
                    try SaltedField(Field(name: name, value: value), salt: salt)
                })
        }
        let lifecycle = strict ? try Self.decodeLifecycle(container) : .none
        self.init(
            genesis: genesis, issuerSignature: issuerSignature, transitions: transitions,
            disclosedFields: disclosed, statedProofID: statedProofID, attestations: lifecycle.attestations,
            redemption: lifecycle.redemption, revocation: lifecycle.revocation)
    }

    /// Checks the keys of one JSON object: in a version 2 document exactly the keys of `Keys`; in a version 1
    /// document none of the lifecycle keys (an old writer never wrote them, so their presence means a version
    /// 2 document stamped 1), others being ignored as version 1 always did.
    static func checkKeys<Keys: DocumentKey>(
        of decoder: any Decoder, _ keys: Keys.Type, strict: Bool, path: @autoclosure () -> String
    ) throws {
        let present = Set(try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue))
        if strict {
            let expected = Set(Keys.allCases.map(\.stringValue))
            if let unknown = present.subtracting(expected).sorted().first {
                throw ProofError(.malformedConsignment, "\(path()).\(unknown): unknown key in a version 2 document")
            }
            if let missing = expected.subtracting(present).sorted().first {
                throw ProofError(.malformedConsignment, "\(path()).\(missing): missing")
            }
        } else if let lifecycle = Keys.allCases.first(where: { $0.isLifecycle && present.contains($0.stringValue) }) {
            throw ProofError(
                .malformedConsignment, "\(path()).\(lifecycle.stringValue): only a version 2 document carries it")
        }
    }

    /// Runs `body`, prefixing the detail of a ``ProofError`` it throws with the JSON `path`.
    static func located<T>(_ path: @autoclosure () -> String, _ body: () throws(ProofError) -> T)
        throws(ProofError) -> T
    {
        do {
            return try body()
        } catch {
            throw ProofError(error.code, "\(path()): \(error.detail)")
        }
    }

    static func hex<K: CodingKey>(
        _ object: KeyedDecodingContainer<K>, _ key: K, _ path: @autoclosure () -> String, count: Int
    ) throws -> [UInt8] {
        let text = try object.decode(String.self, forKey: key)
        return try located(path()) { () throws(ProofError) in try Hex.decode(text, count: count) }
    }

    static func optionalHex<K: CodingKey>(
        _ object: KeyedDecodingContainer<K>, _ key: K, _ path: @autoclosure () -> String, count: Int = 32
    ) throws -> [UInt8]? {
        guard let text = try object.decodeIfPresent(String.self, forKey: key) else { return nil }
        return try located(path()) { () throws(ProofError) in try Hex.decode(text, count: count) }
    }

    static func key<K: CodingKey>(
        _ object: KeyedDecodingContainer<K>, _ key: K, _ path: @autoclosure () -> String
    ) throws -> XOnlyPublicKey {
        try xOnlyKey(hex(object, key, path(), count: 32), path())
    }

    static func xOnlyKey(_ bytes: [UInt8], _ path: @autoclosure () -> String) throws(ProofError) -> XOnlyPublicKey {
        guard let key = try? XOnlyPublicKey(bytes: bytes) else {
            throw ProofError(.invalidKey, "\(path()): not an x-only secp256k1 public key")
        }
        return key
    }
}

/// The keys of one object of the consignment JSON, with those that only version 2 has.
protocol DocumentKey: CodingKey, CaseIterable {
    /// Whether the key exists only in a version 2 document.
    var isLifecycle: Bool { get }
}

extension DocumentKey {
    var isLifecycle: Bool { false }
}

/// A coding key for any string, to list the keys an object really has.
struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
