import JSONRPC
import NIOHTTP1
import Prometheus

/// Answers the operations listener's endpoints: Prometheus metrics and the two orchestrator probes.
package struct OperationsResponder: Sendable {
    /// A complete response.
    struct Response: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: [UInt8]
    }

    let registry: PrometheusCollectorRegistry
    let gauges: StatusGauges
    let health: HealthMonitor

    /// Creates a responder over the metrics `registry`, status `gauges` and `health`.
    package init(registry: PrometheusCollectorRegistry, gauges: StatusGauges, health: HealthMonitor) {
        self.registry = registry
        self.gauges = gauges
        self.health = health
    }

    /// The response to a routed request.
    func respond(to route: OperationsRequest.Route) async -> Response {
        switch route {
        case .metrics:
            await gauges.refresh()
            return Response(
                status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: registry.emitToBuffer())
        case .live:
            return Self.json(.ok, ["status": "live"])
        case .ready:
            let report = health.report()
            return Self.json(
                report.ready ? .ok : .serviceUnavailable,
                [
                    "status": .string(report.ready ? "ready" : "not_ready"), "health": .string(report.status),
                    "components": report.components,
                ])
        case .refuse(let status):
            return Self.json(status, ["status": .string(status.reasonPhrase)])
        }
    }

    private static func json(_ status: HTTPResponseStatus, _ body: JSONValue) -> Response {
        Response(status: status, contentType: "application/json", body: body.serialized() + [UInt8(ascii: "\n")])
    }
}
