import JSONRPC
import RPCServer

/// A service with the JSON-RPC specification's example methods plus hooks for transport tests.
struct TestService: RPCService {
    let gate = Gate()
    let recorder = Recorder()
    /// What every peer may do with connection slots.
    var admission = PeerAdmission.privileged

    func admission(of peer: PeerCredentials) -> PeerAdmission { admission }

    func handle(_ request: RPCRequest, context: RPCRequestContext) async throws(RPCError) -> JSONValue {
        let params = request.params
        switch request.method {
        case "echo":
            return .object(params)
        case "sum":
            guard let values = params["values"]?.arrayValue?.compactMap(\.int64Value) else {
                throw RPCError(.invalidParams)
            }
            return .integer(values.reduce(0, +))
        case "subtract":
            guard let minuend = params["minuend"]?.int64Value, let subtrahend = params["subtrahend"]?.int64Value else {
                throw RPCError(.invalidParams)
            }
            return .integer(minuend - subtrahend)
        case "get_data":
            return ["hello", 5]
        case "notify_hello", "notify_sum", "update":
            await recorder.record(request.method)
            return nil
        case "wait":
            let key = params["key"]?.stringValue ?? ""
            await gate.wait(key)
            return .string(key)
        case "sleep":
            try? await Task.sleep(for: .milliseconds(params["ms"]?.int64Value ?? 0))
            return "slept"
        case "hang":
            await recorder.record("hang started")
            try? await Task.sleep(for: .seconds(3600))
            await recorder.record(Task.isCancelled ? "hang cancelled" : "hang finished")
            return nil
        case "whoami":
            return [
                "uid": .integer(Int64(context.peer.uid)), "gid": .integer(Int64(context.peer.gid)),
                "pid": .integer(Int64(context.peer.pid)), "request_id": .string(context.requestID),
            ]
        case "fail":
            throw RPCError(.invoiceNotFound)
        case "subscribe":
            let connection = context.connection
            let count = params["count"]?.int64Value ?? 0
            connection.beginStreaming()
            Task {
                for index in 0..<count {
                    try await connection.send(RPCNotification(method: "event", params: ["index": .integer(index)]))
                }
                await connection.waitUntilClosed()
                await recorder.record("subscriber saw close")
            }
            return ["subscribed": true]
        case "instant_echo", "instant_fail":
            return try handleImmediately(request, context: context)!.get()
        default:
            throw RPCError(.methodNotFound, data: ["method": .string(request.method)])
        }
    }

    /// `instant_echo` and `instant_fail` are answered at once, without a task; a batch runs them through
    /// ``handle(_:context:)``.
    func answersImmediately(_ request: RPCRequest) -> Bool {
        request.method.hasPrefix("instant_")
    }

    func handleImmediately(_ request: RPCRequest, context: RPCRequestContext) -> Result<JSONValue, RPCError>? {
        switch request.method {
        case "instant_echo": .success(.object(request.params))
        case "instant_fail": .failure(RPCError(.invoiceNotFound))
        default: nil
        }
    }
}

/// Lets a test decide when `wait` requests return; a cancelled waiter returns at once.
actor Gate {
    private var opened: Set<String> = []
    private var waiters: [String: [Int: CheckedContinuation<Void, Never>]] = [:]
    private var nextWaiterID = 0

    func wait(_ key: String) async {
        guard !opened.contains(key) else { return }
        let waiterID = nextWaiterID
        nextWaiterID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[key, default: [:]][waiterID] = continuation
                }
            }
        } onCancel: {
            Task { await self.release(key, waiterID: waiterID) }
        }
    }

    func open(_ key: String) {
        opened.insert(key)
        for waiter in (waiters.removeValue(forKey: key) ?? [:]).values {
            waiter.resume()
        }
    }

    func waiterCount(_ key: String) -> Int {
        waiters[key]?.count ?? 0
    }

    private func release(_ key: String, waiterID: Int) {
        waiters[key]?.removeValue(forKey: waiterID)?.resume()
    }
}

/// Collects what handlers did, in order.
actor Recorder {
    private(set) var events: [String] = []

    func record(_ event: String) {
        events.append(event)
    }
}
