import Secp256k1

extension InvoiceFields {
    /// Largest data length a tagged field can declare (10 bits).
    private static let maximumFieldWords = 1023

    /// Encodes these fields as a BOLT #11 string signed by `key`.
    ///
    /// - Throws: `fieldTooLong` for a field over 1023 words (use `descriptionHash` for long descriptions),
    ///   `payeeMismatch` when `payeeNodeID` is not `key`'s public key, `invalidAmount` for a zero or
    ///   excessive amount.
    public func encode(signingWith key: PrivateKey) throws(BOLT11Error) -> String {
        if let amountMsat, amountMsat == 0 || amountMsat > HumanReadablePart.maximumMsat {
            throw BOLT11Error(.invalidAmount, "amount must be between 1 msat and 21 million bitcoin")
        }
        if let payeeNodeID, payeeNodeID != key.publicKey.compressed {
            throw BOLT11Error(.payeeMismatch, "n field is not the signing key's public key")
        }
        let hrp = HumanReadablePart(network: network, amountMsat: amountMsat).encoded
        var words = WordConversion.words(fromInteger: timestamp, minimumCount: Invoice.timestampWords)
        guard words.count == Invoice.timestampWords else {
            throw BOLT11Error(.integerOverflow, "timestamp does not fit 35 bits")
        }
        for (type, data) in taggedFields {
            guard data.count <= Self.maximumFieldWords else {
                throw BOLT11Error(.fieldTooLong, "field \(type) has \(data.count) words, more than 1023")
            }
            words += [type, UInt8(data.count >> 5), UInt8(data.count & 31)] + data
        }
        let sighash = SHA256.hash(hrp + WordConversion.bytes(fromWords: words, padded: true))
        let signature: RecoverableSignature
        do {
            signature = try key.signRecoverable(messageHash: sighash)
        } catch {
            preconditionFailure("a SHA-256 digest is always a valid message hash")
        }
        words += WordConversion.words(fromBytes: signature.compact + [UInt8(signature.recoveryID)])
        return Bech32.encode(hrp: hrp, words: words, variant: .bech32)
    }

    /// The tagged fields as (type, data words), in the order this encoder writes them.
    private var taggedFields: [(UInt8, [UInt8])] {
        var result: [(FieldType, [UInt8])] = [(.paymentHash, WordConversion.words(fromBytes: paymentHash))]
        if let paymentSecret { result.append((.paymentSecret, WordConversion.words(fromBytes: paymentSecret))) }
        if let description { result.append((.description, WordConversion.words(fromBytes: Array(description.utf8)))) }
        if let descriptionHash {
            result.append((.descriptionHash, WordConversion.words(fromBytes: descriptionHash)))
        }
        if let payeeNodeID { result.append((.payeeNodeID, WordConversion.words(fromBytes: payeeNodeID))) }
        if let expirySeconds { result.append((.expiry, WordConversion.words(fromInteger: expirySeconds))) }
        if let minFinalCLTVExpiry {
            result.append((.minFinalCLTVExpiry, WordConversion.words(fromInteger: minFinalCLTVExpiry)))
        }
        for fallback in fallbacks {
            result.append((.fallback, [fallback.version] + WordConversion.words(fromBytes: fallback.program)))
        }
        for route in routeHints {
            result.append((.routeHint, WordConversion.words(fromBytes: route.flatMap(\.encoded))))
        }
        if !features.isEmpty { result.append((.features, featureWords)) }
        if let metadata { result.append((.metadata, WordConversion.words(fromBytes: metadata))) }
        return result.map { ($0.0.rawValue, $0.1) } + unknownFields.map { ($0.type, $0.words) }
    }

    /// The feature bits as the fewest words that hold the highest bit (bit 0 is the last word's lowest).
    private var featureWords: [UInt8] {
        let count = (features.max() ?? 0) / 5 + 1
        var words = [UInt8](repeating: 0, count: count)
        for bit in features { words[count - 1 - bit / 5] |= 1 << UInt8(bit % 5) }
        return words
    }
}
