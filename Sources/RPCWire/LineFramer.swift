import NIOCore

/// Splits a byte stream into `\n`-terminated lines, refusing lines longer than a limit.
///
/// Scans each byte once, so framing stays linear however the stream is split into reads.
package struct LineFramer {
    /// One unit the framer produces.
    package enum Frame: Equatable {
        /// A complete line without its `\n`.
        case line(ByteBuffer)
        /// A line longer than the limit; the stream cannot be resynchronized after it.
        case oversized
    }

    private let maxLineBytes: Int
    private var buffer = ByteBuffer()
    /// How many readable bytes are already known to hold no newline.
    private var scanned = 0
    private var failed = false
    /// How many complete lines ``next()`` has returned.
    package private(set) var completedLines = 0

    package init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Whether bytes of an unfinished line are buffered.
    package var hasPartialLine: Bool { buffer.readableBytes > 0 }

    /// Appends received bytes.
    package mutating func append(_ bytes: ByteBuffer) {
        guard !failed else { return }
        if buffer.readableBytes == 0 {
            buffer.clear()
        }
        buffer.writeImmutableBuffer(bytes)
    }

    /// The next complete line, `.oversized` once if the limit was broken, or `nil` if more bytes are needed.
    package mutating func next() -> Frame? {
        guard !failed else { return nil }
        let view = buffer.readableBytesView
        guard let newline = view[(view.startIndex + scanned)...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = view.count
            if scanned > maxLineBytes {
                return fail()
            }
            compactIfWorthwhile()
            return nil
        }
        let length = newline - view.startIndex
        guard length <= maxLineBytes else { return fail() }
        let line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        scanned = 0
        completedLines += 1
        return .line(line)
    }

    private mutating func fail() -> Frame {
        failed = true
        buffer = ByteBuffer()
        return .oversized
    }

    private mutating func compactIfWorthwhile() {
        if buffer.readerIndex > 64 * 1024 && buffer.readerIndex > buffer.readableBytes {
            buffer.discardReadBytes()
        }
    }
}
