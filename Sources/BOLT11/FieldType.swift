/// The 5-bit types of the tagged fields BOLT #11 defines.
enum FieldType: UInt8 {
    case paymentHash = 1  // p
    case routeHint = 3  // r
    case features = 5  // 9
    case expiry = 6  // x
    case fallback = 9  // f
    case description = 13  // d
    case paymentSecret = 16  // s
    case payeeNodeID = 19  // n
    case descriptionHash = 23  // h
    case minFinalCLTVExpiry = 24  // c
    case metadata = 27  // m

    /// The field's letter in the bech32 alphabet.
    var letter: Character { Character(Unicode.Scalar(Bech32.alphabet[Int(rawValue)])) }
}

/// Feature bits (BOLT #9) that may appear in an invoice and that this codec understands.
enum InvoiceFeature {
    static let paymentSecretRequired = 14
    static let known: Set<Int> = [8, 9, 14, 15, 16, 17, 48, 49]
}
