import Foundation
import JSONRPC
import TestSupport
import Testing

/// `t4gload` against real daemons: a short mixed run whose report adds up, and a run that must fail its limits.
@Suite(.serialized) struct LoadToolTests {
    /// Runs `t4gload` with `arguments`; its exit status and standard output.
    func load(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let output = try await blocking {
            try ProcessOutput.run(DaemonProcess.productsDirectory.appendingPathComponent("t4gload").path, arguments)
        }
        return (output.status, output.stdout)
    }

    @Test(.timeLimit(.minutes(3)))
    func aMixedRunReportsThroughputLatencyAndMemory() async throws {
        try await DevNetwork.run { network in
            let payee = try await network.daemon()
            let payer = try await network.daemon()
            let (status, output) = try await load([
                "--socket", payer.socketPath, "--payee-socket", payee.socketPath, "--clients", "24", "--duration", "3",
                "--mix", "daemon.info=4,invoice.create=2,invoice.list=1,events.list=1,pay=2",
                "--pid", "\(payer.processIdentifier)", "--max-health-ms", "5000", "--json",
            ])
            #expect(status == 0, "\(output)")
            let report = try JSONValue.parse(Array(output.utf8))
            let requests = report.integer("requests")
            #expect(requests > 0)
            #expect(report["errors"]?.objectValue?.isEmpty == true)
            #expect(report.integer("healthProbes") > 0)
            #expect((report["peakRSSMegabytes"]?.doubleValue ?? 0) > 1)
            // Every pay operation left a paid invoice behind: the payer's succeeded payments are on the payee.
            let payments = try await payer.call("payment.list", ["status": "succeeded", "limit": 1])
            #expect(payments["items"]?.arrayValue?.isEmpty == false)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aRunFailsItsLimits() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon()
            // No daemon answers daemon.health within a microsecond: the run must fail, not just report.
            let (status, output) = try await load([
                "--socket", daemon.socketPath, "--clients", "2", "--duration", "1", "--mix", "daemon.info",
                "--max-health-ms", "0.001",
            ])
            #expect(status == 1)
            #expect(output.contains("requests"))
        }
    }
}
