/// Renders key paths for error messages and ``TOMLTable/unknownKeys(allowed:)`` the way a user would write them:
/// `lnd.rest_url`, `"key with spaces".port`, `servers[1].host`.
enum KeyPathText {
    /// `path` followed by `key`, quoting `key` when it is not a bare key.
    static func appending(_ key: String, to path: String) -> String {
        path.isEmpty ? render(key) : path + "." + render(key)
    }

    /// `path` followed by an array index, e.g. `servers[1]`.
    static func appending(index: Int, to path: String) -> String {
        path + "[\(index)]"
    }

    /// Whether a byte may appear in a bare key: `A-Za-z0-9_-`.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func render(_ key: String) -> String {
        if !key.isEmpty && key.utf8.allSatisfy(isBareKeyByte) {
            return key
        }
        var text = "\""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
