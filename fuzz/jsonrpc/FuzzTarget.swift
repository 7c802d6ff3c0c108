import JSONRPC
import NIOCore

// libFuzzer entry point for the JSON-RPC request path: NDJSON framing (`LineFramer`, compiled into this
// module from Sources/RPCServer/LineFramer.swift), the JSON parser and the JSON-RPC request reader.
//
// The first two bytes of an input are parameters: byte 0 picks the line limit (16 to 4096 bytes) and the
// read sizes the stream is cut into; byte 1 picks the parser's depth limit (0 to 63). The rest is the
// byte stream a client sends. A trap, a sanitizer report or a broken invariant (checked with `require`,
// which traps with a message) is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 2 else { return 0 }
    let maxLineBytes = 16 + Int(bytes[0] & 0x3F) * 64
    let limits = JSONParseLimits(maxDepth: Int(bytes[1] & 0x3F))
    let stream = Array(bytes.dropFirst(2))
    for line in framedLines(stream, maxLineBytes: maxLineBytes, readSeed: bytes[0]) {
        checkParser(line, limits: limits)
        checkRequestReader(line, limits: limits)
    }
    return 0
}

private func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}

/// Frames `stream` read in chunks of varying size and checks the frames against a plain split at `\n`:
/// the same complete lines in order, `.oversized` exactly where the first line (complete or not) passes the
/// limit, and nothing after it.
private func framedLines(_ stream: [UInt8], maxLineBytes: Int, readSeed: UInt8) -> [[UInt8]] {
    var framer = LineFramer(maxLineBytes: maxLineBytes)
    var frames: [LineFramer.Frame] = []
    var offset = 0
    var chunk = Int(readSeed >> 6) + 1
    while offset < stream.count {
        let end = min(stream.count, offset + chunk)
        framer.append(ByteBuffer(bytes: stream[offset..<end]))
        while let frame = framer.next() { frames.append(frame) }
        offset = end
        chunk = chunk * 7 % 61 + 1
    }
    var expected: [LineFramer.Frame] = []
    var pieces = stream.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let partial = pieces.removeLast()
    for piece in pieces {
        guard piece.count <= maxLineBytes else {
            expected.append(.oversized)
            break
        }
        expected.append(.line(ByteBuffer(bytes: piece)))
    }
    if expected.last != .oversized, partial.count > maxLineBytes { expected.append(.oversized) }
    require(frames == expected, "framing differs from a split at newlines (limit \(maxLineBytes))")
    require(framer.next() == nil, "a frame after the end of the stream")
    return frames.compactMap { frame in
        guard case .line(let buffer) = frame else { return nil }
        return Array(buffer.readableBytesView)
    }
}

/// The nesting depth of `value`: 0 for a scalar, 1 for a flat array or object.
private func depth(_ value: JSONValue) -> Int {
    switch value {
    case .array(let elements): 1 + (elements.map(depth).max() ?? 0)
    case .object(let object): 1 + (object.map { depth($0.value) }.max() ?? 0)
    default: 0
    }
}

/// An accepted text is within the depth limit, is refused one level lower, serialises to one line and
/// reads back to the same value; a text refused for depth is deeper than the limit.
private func checkParser(_ line: [UInt8], limits: JSONParseLimits) {
    let value: JSONValue
    do {
        value = try JSONValue.parse(line, limits: limits)
    } catch {
        require(error.offset >= 0 && error.offset <= line.count, "error offset \(error.offset) outside the line")
        if error.code == .depthLimitExceeded, let deeper = try? JSONValue.parse(line, limits: .init(maxDepth: 1024)) {
            require(depth(deeper) > limits.maxDepth, "refused for depth but only \(depth(deeper)) deep")
        }
        return
    }
    let levels = depth(value)
    require(levels <= limits.maxDepth, "accepted \(levels) levels over a limit of \(limits.maxDepth)")
    if levels > 0 {
        do {
            _ = try JSONValue.parse(line, limits: .init(maxDepth: levels - 1))
            require(false, "\(levels) levels accepted with a limit of \(levels - 1)")
        } catch {
            require(error.code == .depthLimitExceeded, "a lower depth limit gave \(error.code)")
        }
    }
    let text = value.serialized()
    require(!text.contains(UInt8(ascii: "\n")), "serialised JSON holds a newline: it would break the framing")
    require(text.count <= line.count * 6 + 16, "serialised JSON grew from \(line.count) to \(text.count) bytes")
    let reread: JSONValue
    do {
        reread = try JSONValue.parse(text, limits: limits)
    } catch {
        fatalError("invariant broken: serialised JSON does not parse: \(error.code) at \(error.offset)")
    }
    require(reread == value, "parse → serialise → parse changed the value")
    require(reread.serialized() == text, "serialising is not stable")
}

/// Every request the reader accepts reads back the same from its own JSON form; an error keeps an id only
/// when the id was valid.
private func checkRequestReader(_ line: [UInt8], limits: JSONParseLimits) {
    let entries: [RPCEntry]
    switch RPCMessage.parse(line: line, limits: limits) {
    case .single(let entry): entries = [entry]
    case .batch(let batch):
        require(!batch.isEmpty, "an empty batch")
        entries = batch
    }
    for entry in entries {
        switch entry {
        case .request(let request):
            let text = request.json.serialized()
            guard case .single(let again) = RPCMessage.parse(line: text, limits: .init(maxDepth: 1024)) else {
                fatalError("invariant broken: a request's JSON reads as a batch")
            }
            require(again == .request(request), "request → JSON → request changed it")
        case .invalid(let id, let error):
            require(error.data["reason"] == .string(error.reason.name), "error data without its reason")
            if let id { require(RPCID(json: id.json) == id, "an echoed id does not read back") }
        case .invalidNotification(_, let error):
            require(error.reason == .invalidParams, "a notification refused for \(error.reason.name)")
        }
    }
}
