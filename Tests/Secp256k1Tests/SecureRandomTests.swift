import Secp256k1
import Testing

@Suite struct SecureRandomTests {
    @Test(arguments: [0, 1, 32, 255, 256, 257, 4096])
    func returnsExactlyTheBytesAskedFor(count: Int) {
        #expect(SecureRandom.bytes(count: count).count == count)
    }

    @Test func drawsDoNotRepeat() {
        let draws = (0..<1000).map { _ in SecureRandom.bytes(count: 32) }
        #expect(Set(draws).count == draws.count)
    }

    /// Over 64 KiB every byte value appears and none is far from its expected share (256 each): a buffer
    /// left partly unfilled (zeros) or a stuck generator would fail this.
    @Test func bytesAreSpreadOverEveryValue() {
        var counts = [Int](repeating: 0, count: 256)
        for byte in SecureRandom.bytes(count: 65_536) { counts[Int(byte)] += 1 }
        #expect(counts.min()! > 150)
        #expect(counts.max()! < 370)
    }
}
