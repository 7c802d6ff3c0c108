import Secp256k1

extension Invoice {
    /// Words taken by the timestamp.
    static let timestampWords = 7
    /// Words taken by the 65-byte signature.
    static let signatureWords = 104

    /// Decodes and checks a BOLT #11 invoice.
    ///
    /// Lenient where the spec's examples still allow it (wrong-length fixed fields are skipped, a missing
    /// payment secret is accepted when feature 14 is not set); each such leniency is listed in `warnings`.
    /// The signature is always checked: against `n` when present (low-S required), by recovery otherwise.
    public init(bolt11 string: String) throws(BOLT11Error) {
        let (hrpBytes, words) = try Bech32.decode(string, variant: .bech32)
        let hrp = try HumanReadablePart(parsing: hrpBytes)
        guard words.count >= Self.timestampWords + Self.signatureWords else {
            throw BOLT11Error(.tooShort, "data part too short for a timestamp and a signature")
        }
        let signedWords = words.dropLast(Self.signatureWords)
        let signatureBytes = WordConversion.bytes(fromWords: words.suffix(Self.signatureWords))
        let timestamp = WordConversion.integer(fromWords: signedWords.prefix(Self.timestampWords))!

        var reader = TaggedFieldReader(network: hrp.network, amountMsat: hrp.amountMsat, timestamp: timestamp)
        try reader.read(signedWords.dropFirst(Self.timestampWords))
        let fields = reader.fields
        let warnings = reader.warnings + (try fields.requireWholeInvoiceRules())

        let signature: RecoverableSignature
        do {
            signature = try RecoverableSignature(
                compact: Array(signatureBytes[0..<64]), recoveryID: Int(signatureBytes[64]))
        } catch {
            throw BOLT11Error(.invalidRecoveryID, "recovery id \(signatureBytes[64]) is not in 0...3")
        }
        let sighash = SHA256.hash(WordConversion.bytes(fromWords: signedWords, padded: true, after: hrpBytes))
        self.init(
            bolt11: string, fields: fields,
            payee: try Self.checkSignature(signature, sighash: sighash, payeeNodeID: fields.payeeNodeID),
            signature: signature, warnings: warnings)
    }

    private static func checkSignature(
        _ signature: RecoverableSignature, sighash: [UInt8], payeeNodeID: [UInt8]?
    ) throws(BOLT11Error) -> PublicKey {
        if let payeeNodeID {
            guard let payee = try? PublicKey(compressed: payeeNodeID) else {
                throw BOLT11Error(.invalidPayeePubkey, "n field is not a valid public key")
            }
            guard !signature.isHighS else {
                throw BOLT11Error(.highSWithPayee, "high-S signature with an explicit payee")
            }
            guard signature.isValid(messageHash: sighash, publicKey: payee) else {
                throw BOLT11Error(.invalidSignature, "signature does not verify against the n field")
            }
            return payee
        }
        do {
            return try signature.recoverPublicKey(messageHash: sighash)
        } catch {
            throw BOLT11Error(.signatureNotRecoverable, "no public key recovers from the signature")
        }
    }
}

/// Reads the tagged fields of an invoice's data part into ``InvoiceFields``.
struct TaggedFieldReader {
    private(set) var fields: InvoiceFields
    private(set) var warnings: [InvoiceWarning] = []

    /// Data words of the fixed-length fields.
    private static let hashWords = 52
    private static let nodeIDWords = 53

    init(network: Network, amountMsat: UInt64?, timestamp: UInt64) {
        fields = InvoiceFields(
            network: network, amountMsat: amountMsat, timestamp: timestamp, paymentHash: [], paymentSecret: nil)
    }

    mutating func read(_ words: ArraySlice<UInt8>) throws(BOLT11Error) {
        var index = words.startIndex
        while index < words.endIndex {
            guard words.endIndex - index >= 3 else {
                throw BOLT11Error(.truncatedField, "tagged field header cut short")
            }
            let type = words[index]
            let length = Int(words[index + 1]) << 5 | Int(words[index + 2])
            let start = index + 3
            guard words.endIndex - start >= length else {
                throw BOLT11Error(.truncatedField, "tagged field of type \(type) runs past the signature")
            }
            try readField(type: type, words[start..<(start + length)])
            index = start + length
        }
    }

    private mutating func readField(type: UInt8, _ data: ArraySlice<UInt8>) throws(BOLT11Error) {
        guard let known = FieldType(rawValue: type) else {
            fields.unknownFields.append(UnknownField(type: type, words: Array(data)))
            return
        }
        switch known {
        case .paymentHash:
            if let hash = fixedLength(known, data, words: Self.hashWords), fields.paymentHash.isEmpty {
                fields.paymentHash = hash
            }
        case .paymentSecret:
            if let secret = fixedLength(known, data, words: Self.hashWords), fields.paymentSecret == nil {
                fields.paymentSecret = secret
            }
        case .descriptionHash:
            if let hash = fixedLength(known, data, words: Self.hashWords), fields.descriptionHash == nil {
                fields.descriptionHash = hash
            }
        case .payeeNodeID:
            if let nodeID = fixedLength(known, data, words: Self.nodeIDWords), fields.payeeNodeID == nil {
                fields.payeeNodeID = nodeID
            }
        case .description:
            guard let text = String(validating: WordConversion.bytes(fromWords: data), as: UTF8.self) else {
                throw BOLT11Error(.invalidUTF8Description, "d field is not valid UTF-8")
            }
            if fields.description == nil { fields.description = text }
        case .expiry:
            if fields.expirySeconds == nil { fields.expirySeconds = try integer(known, data) }
        case .minFinalCLTVExpiry:
            if fields.minFinalCLTVExpiry == nil { fields.minFinalCLTVExpiry = try integer(known, data) }
        case .fallback:
            guard let version = data.first else { throw BOLT11Error(.invalidFallback, "empty f field") }
            guard version <= 18 else {
                warnings.append(InvoiceWarning(code: .invalidFallback, detail: "skipped f field of version \(version)"))
                return
            }
            fields.fallbacks.append(
                try FallbackAddress(version: version, program: WordConversion.bytes(fromWords: data.dropFirst())))
        case .routeHint:
            fields.routeHints.append(try RouteHop.decodeRoute(WordConversion.bytes(fromWords: data)))
        case .features:
            // Every `9` field counts (their union): the signature covers all of them, so a required bit in any
            // one must be honoured (found by the fuzzer: keeping one field hid the other's required bits).
            var bits = [Int]()  // ascending: the last word holds bits 0 to 4
            for position in 0..<data.count {
                let word = data[data.endIndex - 1 - position]
                for bit in 0..<5 where word >> UInt8(bit) & 1 == 1 { bits.append(position * 5 + bit) }
            }
            if fields.features.isEmpty {
                fields.features = bits
            } else if !bits.isEmpty {
                fields.features = Set(fields.features).union(bits).sorted()
            }
        case .metadata:
            if fields.metadata == nil { fields.metadata = WordConversion.bytes(fromWords: data) }
        }
    }

    /// The bytes of a fixed-length field, or `nil` (with a warning) when its length is wrong: the spec's
    /// examples still skip such fields although the reader rules now say to fail.
    private mutating func fixedLength(_ type: FieldType, _ data: ArraySlice<UInt8>, words: Int) -> [UInt8]? {
        guard data.count == words else {
            warnings.append(
                InvoiceWarning(
                    code: .invalidFieldLength, detail: "skipped \(type.letter) field of \(data.count) words"))
            return nil
        }
        return WordConversion.bytes(fromWords: data)
    }

    private func integer(_ type: FieldType, _ data: ArraySlice<UInt8>) throws(BOLT11Error) -> UInt64 {
        guard let value = WordConversion.integer(fromWords: data) else {
            throw BOLT11Error(.integerOverflow, "\(type.letter) field does not fit 64 bits")
        }
        return value
    }
}
