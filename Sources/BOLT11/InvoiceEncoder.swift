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
        try encodeAndSign(with: key).bolt11
    }

    /// Encodes and signs these fields with `key`, and returns the invoice exactly as
    /// ``Invoice/init(bolt11:)`` would decode it, without decoding it again or recovering the key.
    ///
    /// - Throws: what ``encode(signingWith:)`` throws, and what decoding would throw for fields that break
    ///   the whole-invoice rules (no payment hash, both or neither of `d` and `h`, an unknown required
    ///   feature, feature 14 without a payment secret).
    public func signed(with key: PrivateKey) throws(BOLT11Error) -> Invoice {
        let warnings = try requireWholeInvoiceRules()
        let (bolt11, signature) = try encodeAndSign(with: key)
        return Invoice(bolt11: bolt11, fields: self, payee: key.publicKey, signature: signature, warnings: warnings)
    }

    /// The whole-invoice rules of BOLT #11 that fields read from an invoice must meet; returns the leniencies
    /// to warn about (a missing payment secret when feature 14 is not set).
    func requireWholeInvoiceRules() throws(BOLT11Error) -> [InvoiceWarning] {
        guard !paymentHash.isEmpty else { throw BOLT11Error(.missingPaymentHash, "no valid p field") }
        guard (description == nil) != (descriptionHash == nil) else {
            throw BOLT11Error(.descriptionAndHash, "an invoice needs exactly one of d and h")
        }
        if let unknown = features.first(where: { $0 % 2 == 0 && !InvoiceFeature.known.contains($0) }) {
            throw BOLT11Error(.unknownRequiredFeature, "requires unknown feature bit \(unknown)")
        }
        guard paymentSecret == nil else { return [] }
        guard !features.contains(InvoiceFeature.paymentSecretRequired) else {
            throw BOLT11Error(.missingPaymentSecret, "feature 14 is set but there is no s field")
        }
        return [InvoiceWarning(code: .missingPaymentSecret, detail: "no s field (pre-2021 invoice)")]
    }

    private func encodeAndSign(with key: PrivateKey) throws(BOLT11Error) -> (
        bolt11: String, signature: RecoverableSignature
    ) {
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
        words.reserveCapacity(estimatedWordCount)
        try appendTaggedFields(to: &words)
        let sighash = SHA256.hash(WordConversion.bytes(fromWords: words, padded: true, after: hrp))
        let signature: RecoverableSignature
        do {
            signature = try key.signRecoverable(messageHash: sighash)
        } catch {
            preconditionFailure("a SHA-256 digest is always a valid message hash")
        }
        var signatureBytes = signature.compact
        signatureBytes.append(UInt8(signature.recoveryID))
        WordConversion.append(signatureBytes, to: &words)
        return (Bech32.encode(hrp: hrp, words: words, variant: .bech32), signature)
    }

    /// About as many data words as the invoice takes (timestamp, tagged fields, signature; an upper bound
    /// unless it has both `d` and `h`), reserved at once so that `words` does not grow field by field.
    private var estimatedWordCount: Int {
        func words(_ bytes: Int) -> Int { 3 + (bytes * 8 + 4) / 5 }
        var count = Invoice.timestampWords + Invoice.signatureWords + 2 * words(32) + words(33) + 3 * words(8)
        count += description.map { words($0.utf8.count) } ?? words(32)
        count += fallbacks.reduce(0) { $0 + 1 + words($1.program.count) }
        count += routeHints.reduce(0) { $0 + words($1.count * RouteHop.encodedSize) }
        count += 3 + (features.max() ?? 0) / 5 + 1
        count += metadata.map { words($0.count) } ?? 0
        return unknownFields.reduce(count) { $0 + 3 + $1.words.count }
    }

    /// Appends each tagged field (type, 10-bit length, data words) to `words`, in the order this encoder
    /// writes them.
    private func appendTaggedFields(to words: inout [UInt8]) throws(BOLT11Error) {
        /// Appends a field whose data `body` appends; fills in the length afterwards.
        func field(_ type: UInt8, _ body: (inout [UInt8]) -> Void) throws(BOLT11Error) {
            let header = words.count
            words.append(contentsOf: [type, 0, 0])
            body(&words)
            let length = words.count - header - 3
            guard length <= Self.maximumFieldWords else {
                throw BOLT11Error(.fieldTooLong, "field \(type) has \(length) words, more than 1023")
            }
            words[header + 1] = UInt8(length >> 5)
            words[header + 2] = UInt8(length & 31)
        }
        func bytesField(_ type: FieldType, _ bytes: some Collection<UInt8>) throws(BOLT11Error) {
            try field(type.rawValue) { WordConversion.append(bytes, to: &$0) }
        }
        try bytesField(.paymentHash, paymentHash)
        if let paymentSecret { try bytesField(.paymentSecret, paymentSecret) }
        if let description { try bytesField(.description, description.utf8) }
        if let descriptionHash { try bytesField(.descriptionHash, descriptionHash) }
        if let payeeNodeID { try bytesField(.payeeNodeID, payeeNodeID) }
        if let expirySeconds {
            try field(FieldType.expiry.rawValue) { $0 += WordConversion.words(fromInteger: expirySeconds) }
        }
        if let minFinalCLTVExpiry {
            try field(FieldType.minFinalCLTVExpiry.rawValue) {
                $0 += WordConversion.words(fromInteger: minFinalCLTVExpiry)
            }
        }
        for fallback in fallbacks {
            try field(FieldType.fallback.rawValue) {
                $0.append(fallback.version)
                WordConversion.append(fallback.program, to: &$0)
            }
        }
        for route in routeHints {
            try field(FieldType.routeHint.rawValue) {
                var bytes = [UInt8]()
                bytes.reserveCapacity(route.count * RouteHop.encodedSize)
                for hop in route { hop.append(to: &bytes) }
                WordConversion.append(bytes, to: &$0)
            }
        }
        if !features.isEmpty { try field(FieldType.features.rawValue) { appendFeatureWords(to: &$0) } }
        if let metadata { try bytesField(.metadata, metadata) }
        for unknown in unknownFields { try field(unknown.type) { $0 += unknown.words } }
    }

    /// Appends the feature bits as the fewest words that hold the highest bit (bit 0 is the last word's
    /// lowest).
    private func appendFeatureWords(to words: inout [UInt8]) {
        let count = (features.max() ?? 0) / 5 + 1
        let start = words.count
        words.append(contentsOf: repeatElement(0, count: count))
        for bit in features { words[start + count - 1 - bit / 5] |= 1 << UInt8(bit % 5) }
    }
}
