import JSONRPC
import NIOCore

extension ByteBuffer {
    /// The compact JSON text of `value` followed by `\n`: one frame of the line protocol.
    init(jsonLine value: JSONValue) {
        let bytes = value.serialized()
        self.init()
        reserveCapacity(bytes.count + 1)
        writeBytes(bytes)
        writeInteger(UInt8(ascii: "\n"))
    }
}
