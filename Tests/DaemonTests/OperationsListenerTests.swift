import Foundation
import JSONRPC
import TestSupport
import Testing

/// The operations HTTP listener of a real daemon: probes, Prometheus metrics, and the refusals.
@Suite(.serialized) struct OperationsListenerTests {
    @Test func probesAnswerWithStatusCodesAndJSON() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon()
            let port = try await daemon.metricsPort()
            let live = try HTTPProbe.get("/health/live", port: port)
            #expect(live.status == 200)
            #expect(live.headers["content-type"] == "application/json")
            #expect(try JSONValue.parse(live.body).string("status") == "live")
            let ready = try HTTPProbe.get("/health/ready", port: port)
            #expect(ready.status == 200)
            let body = try JSONValue.parse(ready.body)
            #expect(body.string("status") == "ready")
            for component in ["store", "backend", "reconciliation"] {
                #expect(body["components"]?[component]?.string("status") == "ok")
            }
            let health = try await daemon.call("daemon.health")
            #expect(health.string("status") == "ok" && health["ready"] == .bool(true))
            #expect((health["components"]?["store"]?["latency_ms"]?.doubleValue ?? -1) >= 0)
        }
    }

    @Test func refusesOtherPathsMethodsAndLargeRequests() async throws {
        try await DevNetwork.run { network in
            let port = try await network.daemon().metricsPort()
            #expect(try HTTPProbe.get("/", port: port).status == 404)
            #expect(try HTTPProbe.get("/health/live/x", port: port).status == 404)
            let post = try HTTPProbe.send(
                "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", port: port)
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET")
            #expect(try HTTPProbe.send("DELETE /health/ready HTTP/1.1\r\nHost: x\r\n\r\n", port: port).status == 405)
            let longPath = "/metrics?" + String(repeating: "a", count: 3000)
            #expect(try HTTPProbe.get(longPath, port: port).status == 414)
            let bigHeader = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 9000))\r\n\r\n"
            #expect(try HTTPProbe.send(bigHeader, port: port).status == 431)
            let bigBody = "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
            #expect(try HTTPProbe.send(bigBody, port: port).status == 413)
            #expect(try HTTPProbe.get("/health/live", port: port).status == 200, "still serving")
        }
    }

    @Test func metricsCountRequestsRecordsAndBackendCalls() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon()
            let port = try await daemon.metricsPort()
            _ = try await daemon.call("invoice.create", ["amount_msat": 5_000, "description": "metered"])
            _ = try await daemon.error("invoice.get", ["payment_hash": .string(String(repeating: "0", count: 64))])
            _ = try await daemon.error("no.such.method")
            let client = try await daemon.client()
            _ = try await client.call("daemon.info")
            let metrics = try HTTPProbe.get("/metrics", port: port)
            await client.close()
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let lines = Set(metrics.body.split(separator: "\n").map(String.init))
            for expected in [
                #"t4gd_rpc_requests_total{method="invoice.create",outcome="ok"} 1"#,
                #"t4gd_rpc_requests_total{method="invoice.get",outcome="invoice_not_found"} 1"#,
                #"t4gd_rpc_requests_total{method="other",outcome="method_not_found"} 1"#,
                #"t4gd_rpc_request_duration_seconds_count{method="invoice.create"} 1"#,
                #"t4gd_invoices{status="open"} 1.0"#,
                #"t4gd_invoices{status="paid"} 0.0"#,
                #"t4gd_payments{status="succeeded"} 0.0"#,
                #"t4gd_backend_request_duration_seconds_count{backend="dev",operation="create_invoice"} 1"#,
                #"t4gd_store_operation_duration_seconds_count{operation="create_invoice"} 1"#,
            ] {
                let found = lines.contains(expected)
                #expect(found, "missing: \(expected)")
            }
            #expect(!metrics.body.contains("no.such.method"), "unknown methods share the label other")
            let open = lines.first { $0.hasPrefix("t4gd_rpc_open_connections ") }?.split(separator: " ").last
            #expect((open.flatMap { Double($0) } ?? 0) >= 1, "the client above is connected")
        }
    }

    @Test func theOffSwitchStartsNoListener() async throws {
        try await DevNetwork.run { network in
            let daemon = network.adopt(
                try await DaemonProcess(config: network.config(), extraArguments: ["--no-metrics"]))
            #expect(try await daemon.call("daemon.info").string("network") == "regtest")
            #expect(!daemon.log.contains("operations listener ready"))
        }
    }
}
