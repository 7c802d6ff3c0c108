extension JSONValue {
    /// The compact JSON text of this value, as UTF-8 bytes.
    ///
    /// No insignificant whitespace; object members in insertion order; `"`, `\` and control
    /// characters escaped; non-ASCII text written as UTF-8. JSON has no NaN or infinity, so a
    /// non-finite ``number(_:)`` is written as `null`.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        serialize(into: &output)
        return output
    }

    /// Appends the compact JSON text of this value (see ``serialized()``) to `output`.
    public func serialize(into output: inout [UInt8]) {
        JSONSerializer.write(self, into: &output)
    }
}

extension RPCResponse {
    /// Appends the compact JSON text of ``json`` to `output`, without building ``json`` first.
    ///
    /// The bytes are exactly those of `json.serialized()`: `jsonrpc`, then `result` or `error`
    /// (`code`, `message`, `data`), then `id`.
    public func serialize(into output: inout [UInt8]) {
        output.append(contentsOf: #"{"jsonrpc":"2.0","#.utf8)
        switch outcome {
        case .success(let result):
            output.append(contentsOf: #""result":"#.utf8)
            JSONSerializer.write(result, into: &output)
        case .failure(let error):
            output.append(contentsOf: #""error":{"code":"#.utf8)
            output.append(contentsOf: String(error.code).utf8)
            output.append(contentsOf: #","message":"#.utf8)
            JSONSerializer.writeString(error.message, into: &output)
            output.append(contentsOf: #","data":"#.utf8)
            JSONSerializer.write(.object(error.data), into: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: #","id":"#.utf8)
        JSONSerializer.write(id?.json ?? .null, into: &output)
        output.append(UInt8(ascii: "}"))
    }
}

/// Writes compact RFC 8259 text.
enum JSONSerializer {
    static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let integer):
            output.append(contentsOf: String(integer).utf8)
        case .number(let number):
            // Swift prints the shortest text that round-trips, always with "." or "e", which is valid JSON.
            output.append(contentsOf: (number.isFinite ? number.description : "null").utf8)
        case .string(let string):
            writeString(string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Writes `string` quoted, copying each run of bytes that needs no escape at once.
    static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices where needsEscape(bytes[index]) {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                writeEscape(bytes[index], into: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func writeEscape(_ byte: UInt8, into output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
        case 0x08: output.append(contentsOf: #"\b"#.utf8)
        case 0x0C: output.append(contentsOf: #"\f"#.utf8)
        case 0x0A: output.append(contentsOf: #"\n"#.utf8)
        case 0x0D: output.append(contentsOf: #"\r"#.utf8)
        case 0x09: output.append(contentsOf: #"\t"#.utf8)
        default:
            output.append(contentsOf: #"\u00"#.utf8)
            output.append(hexDigit(byte >> 4))
            output.append(hexDigit(byte & 0x0F))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
