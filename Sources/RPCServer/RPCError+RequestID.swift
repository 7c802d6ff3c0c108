import JSONRPC

extension RPCError {
    /// This error with `data.request_id` set.
    func stamped(requestID: String) -> RPCError {
        var error = self
        error.data["request_id"] = .string(requestID)
        return error
    }
}
