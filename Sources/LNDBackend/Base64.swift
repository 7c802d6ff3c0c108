import Foundation

/// The base64 flavours LND's REST API uses: standard with padding in bodies, URL-safe with padding in paths.
enum Base64 {
    /// Standard base64 with padding (RFC 4648 §4).
    static func standard(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// URL-safe base64 with padding (RFC 4648 §5), as `/v2/router/track/{payment_hash}` wants it.
    static func urlSafe(_ bytes: [UInt8]) -> String {
        String(standard(bytes).map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// Decodes standard or URL-safe base64, padded or not; `nil` when malformed.
    static func decode(_ text: String) -> [UInt8]? {
        var normalized = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while normalized.utf8.count % 4 != 0 { normalized.append("=") }
        return Data(base64Encoded: normalized).map { [UInt8]($0) }
    }
}
