import JSONRPC
import NIOCore

extension ByteBuffer {
    /// The compact JSON text of `value` followed by `\n`: one frame of the line protocol.
    package init(jsonLine value: JSONValue) {
        self.init(line: { value.serialize(into: &$0) })
    }

    /// The line answering one request.
    package init(responseLine response: RPCResponse) {
        self.init(line: { response.serialize(into: &$0) })
    }

    /// The line answering a batch: one array of `responses`, in order.
    package init(responseLine responses: [RPCResponse]) {
        self.init(line: { output in
            output.append(UInt8(ascii: "["))
            for (index, response) in responses.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                response.serialize(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        })
    }

    /// The bytes `write` appends, followed by `\n`, in a buffer of exactly that size.
    private init(line write: (inout [UInt8]) -> Void) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(&bytes)
        bytes.append(UInt8(ascii: "\n"))
        self.init(bytes: bytes)
    }
}
