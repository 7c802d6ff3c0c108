/// Text from a transport error made safe for logs and error messages.
package enum SecretRedaction {
    /// `text` shortened to 200 characters, with every run of 16 or more hex digits (a macaroon, an API key,
    /// a preimage) replaced by `<hex>`.
    package static func redacted(_ text: String) -> String {
        var output = ""
        var run = ""
        func flush() {
            output += run.count >= 16 ? "<hex>" : run
            run = ""
        }
        for character in text.prefix(2000) {
            if character.isHexDigit {
                run.append(character)
            } else {
                flush()
                output.append(character)
            }
        }
        flush()
        return output.count > 200 ? String(output.prefix(200)) + "…" : output
    }
}
