/// Splits a byte stream into newline-delimited JSON messages, as LND's REST gateway streams them
/// (`{"result": …}\n` per message). Pure: feed bytes, take complete lines.
struct JSONLineBuffer: Sendable {
    /// A line grew past ``maxLineLength`` without a newline.
    struct LineTooLong: Error {}

    /// The longest line accepted, in bytes.
    let maxLineLength: Int
    private var partial: [UInt8] = []

    /// A buffer accepting lines up to `maxLineLength` bytes.
    init(maxLineLength: Int = 4 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// Appends `bytes` and returns the lines it completed, without their newline; blank lines are dropped.
    mutating func append(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if let line = takeLine() { lines.append(line) }
            } else {
                guard partial.count < maxLineLength else { throw LineTooLong() }
                partial.append(byte)
            }
        }
        return lines
    }

    /// The last line when the stream ended without a newline after it, if any.
    mutating func finish() -> [UInt8]? { takeLine() }

    private mutating func takeLine() -> [UInt8]? {
        defer { partial.removeAll(keepingCapacity: true) }
        let blank = partial.allSatisfy {
            $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t")
        }
        return blank ? nil : partial
    }
}
