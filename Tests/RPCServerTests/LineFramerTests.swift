import NIOCore
import RPCWire
import Testing

@Suite struct LineFramerTests {
    private func lines(_ framer: inout LineFramer) -> [String] {
        var result: [String] = []
        while case .line(let line)? = framer.next() {
            result.append(String(buffer: line))
        }
        return result
    }

    @Test func splitsSeveralLinesInOneRead() {
        var framer = LineFramer(maxLineBytes: 100)
        framer.append(ByteBuffer(string: "a\nbb\n\nccc\nrest"))
        #expect(lines(&framer) == ["a", "bb", "", "ccc"])
        #expect(framer.hasPartialLine)
        framer.append(ByteBuffer(string: "-of-line\n"))
        #expect(lines(&framer) == ["rest-of-line"])
        #expect(!framer.hasPartialLine)
    }

    @Test func joinsALineSplitByteByByte() {
        var framer = LineFramer(maxLineBytes: 100)
        for byte in "hello world\n".utf8 {
            #expect(framer.next() == nil)
            framer.append(ByteBuffer(bytes: [byte]))
        }
        #expect(lines(&framer) == ["hello world"])
    }

    @Test func acceptsALineOfExactlyTheLimit() {
        var framer = LineFramer(maxLineBytes: 5)
        framer.append(ByteBuffer(string: "12345\n"))
        #expect(lines(&framer) == ["12345"])
    }

    @Test func refusesALongLineOnceEvenBeforeItsNewline() {
        var framer = LineFramer(maxLineBytes: 5)
        framer.append(ByteBuffer(string: "123"))
        #expect(framer.next() == nil)
        framer.append(ByteBuffer(string: "456"))
        #expect(framer.next() == .oversized)
        #expect(framer.next() == nil)
        framer.append(ByteBuffer(string: "\nok\n"))
        #expect(framer.next() == nil)
    }

    @Test func refusesALongCompleteLine() {
        var framer = LineFramer(maxLineBytes: 5)
        framer.append(ByteBuffer(string: "ok\n123456\nlater\n"))
        #expect(framer.next() == .line(ByteBuffer(string: "ok")))
        #expect(framer.next() == .oversized)
        #expect(framer.next() == nil)
    }

    @Test func staysLinearWithManySmallReads() {
        var framer = LineFramer(maxLineBytes: 1 << 20)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1024)
        for _ in 0..<1000 {
            framer.append(chunk)
            #expect(framer.next() == nil)
        }
        framer.append(ByteBuffer(string: "\n"))
        guard case .line(let line)? = framer.next() else {
            Issue.record("expected a line")
            return
        }
        #expect(line.readableBytes == 1_024_000)
    }
}
