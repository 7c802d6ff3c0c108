import Foundation
import Secp256k1

/// Finds recorded secrets in log files, in every encoding a log could carry them: the raw bytes, hex
/// (lower and upper case), base64 and base64url. A finding names the file, the line, the secret's kind and
/// the encoding, never the secret.
public struct SecretScanner: Sendable {
    /// A secret to look for.
    public struct Secret: Hashable, Sendable {
        /// What it is, e.g. `lnbits admin key`.
        public let kind: String
        /// Its bytes.
        public let bytes: [UInt8]

        /// Creates a secret.
        public init(kind: String, bytes: [UInt8]) {
            self.kind = kind
            self.bytes = bytes
        }
    }

    /// One place a secret appears.
    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let kind: String
        public let encoding: String

        public var description: String { "\(file):\(line): \(kind) (\(encoding))" }
    }

    private struct Pattern: Sendable {
        let bytes: [UInt8]
        let kind: String
        let encoding: String
    }

    /// The first `windowSize` bytes of a pattern, as two words: the index key.
    private struct Window: Hashable, Sendable {
        let low: UInt64
        let high: UInt64

        init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
            low = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            high = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
        }
    }

    /// Secrets shorter than this many bytes are ignored (they would match by chance); every encoding of
    /// a longer one is at least `windowSize` bytes.
    public static let minimumSecretBytes = 8
    private static let windowSize = 16

    private let patterns: [Window: [Pattern]]

    /// Prepares the search for `secrets`.
    public init(secrets: some Sequence<Secret>) {
        var patterns: [Window: [Pattern]] = [:]
        for secret in Set(secrets) where secret.bytes.count >= Self.minimumSecretBytes {
            for (encoding, bytes) in Self.encodings(of: secret.bytes) where bytes.count >= Self.windowSize {
                let window = bytes.withUnsafeBytes { Window($0, at: 0) }
                patterns[window, default: []].append(Pattern(bytes: bytes, kind: secret.kind, encoding: encoding))
            }
        }
        self.patterns = patterns
    }

    /// The forms a log could hold `bytes` in.
    static func encodings(of bytes: [UInt8]) -> [(String, [UInt8])] {
        let base64 = Data(bytes).base64EncodedString()
        let base64URL = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return [
            ("raw", bytes), ("hex", Array(bytes.hex.utf8)), ("HEX", Array(bytes.hex.uppercased().utf8)),
            ("base64", Array(base64.trimmingCharacters(in: ["="]).utf8)),
            ("base64url", Array(base64URL.trimmingCharacters(in: ["="]).utf8)),
        ]
    }

    /// The one thing a log may show: LNbits' own server logs record each request's path and each WebSocket
    /// it serves, and LNbits' push channel is `/api/v1/ws/{invoice key}` (the key in the URL is LNbits' API, see docs/security.md). Only
    /// that kind, only on such a line, only in LNbits' own log files; t4gd's logs are scanned for it as for
    /// everything else.
    static func isExempt(_ finding: Finding, line: ArraySlice<UInt8>) -> Bool {
        let name = URL(fileURLWithPath: finding.file).lastPathComponent
        let isLNbitsLog = name.hasSuffix("_lnbits.log") || name.hasSuffix("_logs_debug.log")
        let markers = ["/api/v1/ws/", "Websocket connected to ", "WS disconnected from "]
        return isLNbitsLog && finding.kind == "lnbits invoice key"
            && markers.contains { line.firstRange(of: Array($0.utf8)) != nil }
    }

    /// Every finding in `text`, reported as lines of `file`.
    public func scan(_ text: [UInt8], file: String) -> [Finding] {
        var findings: [Finding] = []
        var lineNumber = 1
        var lineStart = 0
        for end in text.indices where text[end] == UInt8(ascii: "\n") {
            findings += scan(line: text[lineStart..<end], file: file, number: lineNumber)
            lineNumber += 1
            lineStart = end + 1
        }
        findings += scan(line: text[lineStart...], file: file, number: lineNumber)
        return findings
    }

    private func scan(line: ArraySlice<UInt8>, file: String, number: Int) -> [Finding] {
        guard line.count >= Self.windowSize, !patterns.isEmpty else { return [] }
        var found: Set<Finding> = []
        line.withUnsafeBytes { bytes in
            for offset in 0...(bytes.count - Self.windowSize) {
                guard let candidates = patterns[Window(bytes, at: offset)] else { continue }
                for pattern in candidates
                where offset + pattern.bytes.count <= bytes.count
                    && pattern.bytes.elementsEqual(bytes[offset..<offset + pattern.bytes.count])
                {
                    found.insert(Finding(file: file, line: number, kind: pattern.kind, encoding: pattern.encoding))
                }
            }
        }
        return found.filter { !Self.isExempt($0, line: line) }.sorted {
            ($0.kind, $0.encoding) < ($1.kind, $1.encoding)
        }
    }

    /// Every finding in the files under `directory`.
    public func scan(directory: String) throws -> [Finding] {
        try FileManager.default.subpathsOfDirectory(atPath: directory).sorted().flatMap { name in
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { return [Finding]() }
            return scan(Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: path)
        }
    }

    /// Reads a manifest written by ``TestRun/recordSecret(_:kind:)``.
    public static func secrets(manifest text: String) -> [Secret] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2, let bytes = [UInt8](hex: fields[1]) else { return nil }
            return Secret(kind: String(fields[0]), bytes: bytes)
        }
    }
}
