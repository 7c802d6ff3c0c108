import TOML
import TestSupport
import Testing

@Suite struct RobustnessTests {
    static let seeds: [String] = [
        DaemonConfigTests.config,
        """
        a.b."c d" = 'x'
        s = "esc \\u00E9 \\U0001F600 \\t"
        m = \"""
        line \\
          joined ""quotes""\"""
        l = '''raw ''text'''
        n = [0x1F, 0o7, 0b1, -1_000, +3.5e-2, inf, nan, true]
        t = { x = 1, y.z = [ { w = 2 } ] }
        [[arr.of]]
        k = 1
        [[arr.of]]
        [arr.of.sub]
        """,
    ]

    /// Bytes that steer mutations toward the parser's decisions rather than into plain text.
    static let interesting: [UInt8] =
        Array(#"[]{}"'\=.,#_+-0x1eE:nT "#.utf8) + [0x0A, 0x0D, 0x09, 0x00, 0x7F, 0xC3, 0xA9, 0xFF]

    @Test func randomMutationsNeverCrash() {
        var generator = SeededGenerator(state: 0x74_34_67_64)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(1))
        var iterations = 0
        var failures = 0
        while clock.now < deadline && iterations < 200_000 {
            var bytes = Array(Self.seeds[iterations % Self.seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            do {
                _ = try TOMLTable(parsing: bytes)
            } catch {
                failures += 1
                let lines = bytes.count { $0 == 0x0A } + 1
                let line = error.line ?? 0
                let column = error.column ?? 0
                #expect(line >= 1 && line <= lines && column >= 1, "\(error) for \(bytes)")
                _ = error.description
            }
            iterations += 1
        }
        #expect(iterations >= 200)
        #expect(failures > 0 && failures < iterations)
    }

    @Test func everyPrefixOfAValidDocumentParsesOrFailsCleanly() {
        let bytes = Array(Self.seeds[1].utf8)
        for end in 0...bytes.count {
            if let error = parseFailure(Array(bytes[..<end])) {
                #expect(error.line != nil && error.column != nil)
            }
        }
    }

    private static func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
        let byte = interesting.randomElement(using: &generator)!
        switch Int.random(in: 0..<6, using: &generator) {
        case 0:
            bytes.removeSubrange(position...)
        case 1 where !bytes.isEmpty:
            bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &generator)))
        case 2:
            bytes.insert(byte, at: position)
        case 3 where !bytes.isEmpty:
            bytes[position] = byte
        case 4 where !bytes.isEmpty:
            let length = Int.random(in: 1...40, using: &generator)
            let slice = bytes[position..<min(bytes.count, position + length)]
            bytes.insert(contentsOf: slice, at: Int.random(in: 0...bytes.count, using: &generator))
        case 5 where bytes.count > 1:
            bytes.swapAt(position, Int.random(in: 0..<bytes.count, using: &generator))
        default:
            bytes.append(byte)
        }
    }
}
