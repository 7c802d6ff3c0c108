import JSONRPC
import NIOHTTP1
import Testing

@testable import DaemonConfig
@testable import Operations

/// The operations listener's request rules and the RPC metrics, by value.
@Suite struct OperationsUnitTests {
    func head(_ method: HTTPMethod, _ uri: String, _ headers: [(String, String)] = []) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    @Test func routesOnlyGETOfTheThreePaths() {
        #expect(OperationsRequest.route(head(.GET, "/metrics")) == .metrics)
        #expect(OperationsRequest.route(head(.GET, "/metrics?name[]=x")) == .metrics)
        #expect(OperationsRequest.route(head(.GET, "/health/live")) == .live)
        #expect(OperationsRequest.route(head(.GET, "/health/ready")) == .ready)
        #expect(OperationsRequest.route(head(.GET, "/health")) == .refuse(.notFound))
        #expect(OperationsRequest.route(head(.HEAD, "/metrics")) == .refuse(.methodNotAllowed))
        #expect(OperationsRequest.route(head(.POST, "/health/ready")) == .refuse(.methodNotAllowed))
        #expect(OperationsRequest.route(head(.GET, "/" + String(repeating: "a", count: 2048))) == .refuse(.uriTooLong))
        #expect(
            OperationsRequest.route(head(.GET, "/metrics", [("X", String(repeating: "b", count: 8192))]))
                == .refuse(.requestHeaderFieldsTooLarge))
        #expect(
            OperationsRequest.route(head(.GET, "/metrics", [("Content-Length", "1025")])) == .refuse(.payloadTooLarge))
        #expect(OperationsRequest.route(head(.GET, "/metrics", [("Content-Length", "1024")])) == .metrics)
    }

    @Test func listenAddressesAreIPLiteralsWithAPort() {
        #expect(ListenAddress.parse("127.0.0.1:9464")! == ("127.0.0.1", 9464))
        #expect(ListenAddress.parse("[::1]:0")! == ("::1", 0))
        for bad in ["127.0.0.1", "localhost:9464", "::1:9464", "[127.0.0.1]:1", "1.2.3.4:65536", "1.2.3.4:-1", ":80"] {
            #expect(ListenAddress.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func requestMetricsCountByMethodAndReasonAndFoldUnknownMethods() {
        let metrics = DaemonMetrics()
        let rpc = RPCMetrics(methodNames: ["invoice.get", "proof.verify"], factory: metrics.factory)
        rpc.record(method: "invoice.get", duration: .milliseconds(2), failure: nil)
        rpc.record(method: "invoice.get", duration: .milliseconds(3), failure: .invoiceNotFound)
        rpc.record(method: "proof.verify", duration: .microseconds(400), failure: nil)
        rpc.record(method: "secret-looking-name", duration: .zero, failure: .methodNotFound)
        let lines = Set(metrics.registry.emitToString().split(separator: "\n").map(String.init))
        for expected in [
            #"t4gd_rpc_requests_total{method="invoice.get",outcome="ok"} 1"#,
            #"t4gd_rpc_requests_total{method="invoice.get",outcome="invoice_not_found"} 1"#,
            #"t4gd_rpc_request_duration_seconds_count{method="invoice.get"} 2"#,
            #"t4gd_rpc_request_duration_seconds_bucket{method="invoice.get",le="0.0025"} 1"#,
            #"t4gd_proof_operations_total{operation="verify",outcome="ok"} 1"#,
            #"t4gd_proof_operation_duration_seconds_bucket{operation="verify",le="0.0005"} 1"#,
            #"t4gd_rpc_requests_total{method="other",outcome="method_not_found"} 1"#,
        ] {
            let found = lines.contains(expected)
            #expect(found, "missing: \(expected)")
        }
        #expect(!lines.contains { $0.contains("secret-looking-name") })
        #expect(!lines.contains { $0.contains(#"operation="get""#) }, "only proof.* methods are proof operations")
    }
}
