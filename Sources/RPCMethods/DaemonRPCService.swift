import DaemonConfig
import JSONRPC
import Logging
import RPCServer
import Store
import Wallet

/// The RPC boundary: finds the method, checks the caller's role from its peer credentials and its rate limit,
/// runs the handler, and maps every failure to a typed JSON-RPC error in exactly one place.
package struct DaemonRPCService: RPCService {
    private let methods: [String: RPCMethod]
    private let configuration: DaemonConfiguration
    private let rateLimiter: RateLimiter
    private let groupMembership = GroupMembership()

    package init(components: DaemonComponents) {
        configuration = components.configuration
        rateLimiter = RateLimiter(configuration: components.configuration)
        var all =
            components.nodeMethods + components.invoiceMethods + components.rateMethods + components.paymentMethods
            + components.eventMethods + components.proofMethods + components.proofLifecycleMethods
            + components.operationsMethods + components.accountMethods
        let document = OpenRPCDocument.make(all + [Self.discover(result: .null)])
        all.append(Self.discover(result: document))
        methods = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }

    /// Every method the daemon serves, sorted by name.
    var methodNames: [String] { methods.keys.sorted() }

    package func handle(_ request: RPCRequest, context: RPCRequestContext) async throws(RPCError) -> JSONValue {
        let method = try self.method(named: request.method)
        try authorize(method, request, context: context)
        do {
            return try await method(request.params, RPCMethod.Call(context: context))
        } catch {
            throw Self.rpcError(error, logger: context.logger, method: request.method)
        }
    }

    /// A peer whose uid and gid map to no role is refused at connect (it may call nothing, so it holds no slot);
    /// the reserved slots are for `admin`.
    package func admission(of peer: PeerCredentials) -> PeerAdmission {
        switch configuration.access.role(uid: peer.uid, gid: peer.gid, groups: { groupMembership.groups(of: peer.uid) })
        {
        case nil: .refused
        case .admin?: .privileged
        case .readonly?, .invoice?: .admitted
        }
    }

    package func answersImmediately(_ request: RPCRequest) -> Bool {
        guard case .immediate = methods[request.method]?.handler else { return false }
        return true
    }

    package func handleImmediately(_ request: RPCRequest, context: RPCRequestContext) -> Result<JSONValue, RPCError>? {
        guard let method = methods[request.method], case .immediate(let body) = method.handler else { return nil }
        do {
            try authorize(method, request, context: context)
            return .success(try body(try method.validated(request.params), RPCMethod.Call(context: context)))
        } catch {
            return .failure(Self.rpcError(error, logger: context.logger, method: request.method))
        }
    }

    /// The method called `name`, or `method_not_found`.
    private func method(named name: String) throws(RPCError) -> RPCMethod {
        guard let method = methods[name] else {
            throw RPCError(.methodNotFound, message: "unknown method '\(name)'")
        }
        return method
    }

    /// Admits a call of `method` once the caller's role may call it and its rate limit admits the call.
    private func authorize(
        _ method: RPCMethod, _ request: RPCRequest, context: RPCRequestContext
    ) throws(RPCError) {
        let role = configuration.access.role(uid: context.peer.uid, gid: context.peer.gid) {
            groupMembership.groups(of: context.peer.uid)
        }
        if let role, let wait = rateLimiter.admit(uid: context.peer.uid, role: role) {
            throw RPCError(.rateLimited, retryAfter: wait, message: "rate limit of the \(role.rawValue) role exceeded")
        }
        guard let role, role >= method.role else {
            context.logger.notice(
                "unauthorized call", metadata: ["method": "\(request.method)", "uid": "\(context.peer.uid)"])
            throw RPCError(.unauthorized, message: "\(request.method) needs the \(method.role.rawValue) role")
        }
    }

    /// The one mapping from daemon failures to wire errors. Unknown failures become -32603 with a generic
    /// message; their detail goes to the log with the request id.
    static func rpcError(_ error: any Error, logger: Logger, method: String) -> RPCError {
        switch error {
        case let error as DaemonError:
            guard let reason = RPCErrorReason.named(error.reason) else {
                logger.error("unmapped error reason", metadata: ["method": "\(method)", "reason": "\(error.reason)"])
                return RPCError(.internalError)
            }
            return RPCError(reason, message: error.message, data: error.data)
        case let error as RPCError:
            return error
        case is CancellationError:
            return RPCError(.shuttingDown)
        default:
            logger.error("internal error", metadata: ["method": "\(method)", "error": "\(String(reflecting: error))"])
            return RPCError(.internalError, message: "internal error; see the daemon log for this request_id")
        }
    }

    private static func discover(result: JSONValue) -> RPCMethod {
        .immediate(
            "rpc.discover", role: .readonly, summary: "This interface as an OpenRPC 1.2 document.",
            result: ["$ref": "https://raw.githubusercontent.com/open-rpc/meta-schema/master/schema.json"]
        ) { _, _ in result }
    }
}
