import Secp256k1

/// One hop of a private route hint (`r` field): the channel the payer may use to reach the payee.
public struct RouteHop: Hashable, Sendable {
    /// The node at the start of the channel (33-byte compressed key).
    public var nodeID: [UInt8]
    /// The channel, as the 64-bit `short_channel_id`.
    public var shortChannelID: UInt64
    /// Base fee in millisatoshi.
    public var feeBaseMsat: UInt32
    /// Proportional fee in millionths.
    public var feeProportionalMillionths: UInt32
    /// CLTV delta of the hop.
    public var cltvExpiryDelta: UInt16

    /// Size of one hop on the wire.
    static let encodedSize = 51

    /// Creates a hop.
    public init(
        nodeID: [UInt8], shortChannelID: UInt64, feeBaseMsat: UInt32, feeProportionalMillionths: UInt32,
        cltvExpiryDelta: UInt16
    ) {
        self.nodeID = nodeID
        self.shortChannelID = shortChannelID
        self.feeBaseMsat = feeBaseMsat
        self.feeProportionalMillionths = feeProportionalMillionths
        self.cltvExpiryDelta = cltvExpiryDelta
    }

    /// The channel id as `BLOCKxTXxOUTPUT`.
    public var shortChannelIDString: String {
        "\(shortChannelID >> 40)x\((shortChannelID >> 16) & 0xff_ffff)x\(shortChannelID & 0xffff)"
    }

    /// Parses the concatenated 51-byte hops of one `r` field.
    static func decodeRoute(_ bytes: [UInt8]) throws(BOLT11Error) -> [RouteHop] {
        guard !bytes.isEmpty, bytes.count % encodedSize == 0 else {
            throw BOLT11Error(.invalidRouteHintLength, "r field of \(bytes.count) bytes is not a multiple of 51")
        }
        return try stride(from: 0, to: bytes.count, by: encodedSize).map { (start) throws(BOLT11Error) in
            let hop = bytes[start..<(start + encodedSize)]
            let nodeID = Array(hop.prefix(33))
            guard (try? PublicKey(compressed: nodeID)) != nil else {
                throw BOLT11Error(.invalidRouteHintPubkey, "route hint node id is not a valid public key")
            }
            return RouteHop(
                nodeID: nodeID, shortChannelID: bigEndian(hop, 33, 8), feeBaseMsat: UInt32(bigEndian(hop, 41, 4)),
                feeProportionalMillionths: UInt32(bigEndian(hop, 45, 4)),
                cltvExpiryDelta: UInt16(bigEndian(hop, 49, 2)))
        }
    }

    /// Appends the 51 wire bytes of this hop to `bytes`.
    func append(to bytes: inout [UInt8]) {
        bytes += nodeID
        appendBigEndian(shortChannelID, 8, to: &bytes)
        appendBigEndian(UInt64(feeBaseMsat), 4, to: &bytes)
        appendBigEndian(UInt64(feeProportionalMillionths), 4, to: &bytes)
        appendBigEndian(UInt64(cltvExpiryDelta), 2, to: &bytes)
    }
}

private func bigEndian(_ bytes: ArraySlice<UInt8>, _ offset: Int, _ count: Int) -> UInt64 {
    let start = bytes.startIndex + offset
    return bytes[start..<(start + count)].reduce(0) { $0 << 8 | UInt64($1) }
}

private func appendBigEndian(_ value: UInt64, _ count: Int, to bytes: inout [UInt8]) {
    for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(count - 1 - index)))) }
}
