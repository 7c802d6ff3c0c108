import Foundation
import JSONRPC
import TestSupport
import Testing

/// t4gd in the root namespace, the LND simulator in a namespace of its own behind a veth pair, and real network
/// faults on that link while payments are in flight and settlements arrive: a partition (link down, both
/// directions dropped silently) and a one-way blackhole (everything the simulator sends to t4gd dropped).
/// Under each: no hash paid twice, every settlement recorded, no payment left pending, settlements seen within
/// a stated bound after the fault clears, and `daemon.health` saying `backend` is not ok during the fault and
/// ok after it. The partition lasts `T4G_PARTITION_S` seconds (8 by default; the long form is 30).
///
/// Latency and loss (`tc netem`) cannot be injected: this kernel has no `sch_netem`, and no netfilter either.
@Suite(
    .serialized,
    .enabled(
        if: VethNamespace.unavailableReason == nil,
        "network namespaces need root with CAP_SYS_ADMIN and CAP_NET_ADMIN, and iproute2 (`ip netns`)"))
struct NetworkFaultTests {
    /// How long after a fault clears every settlement must be recorded and every payment resolved.
    static let recoveryBound = Duration.seconds(20)
    static let faultSeconds = Int(ProcessInfo.processInfo.environment["T4G_PARTITION_S"] ?? "") ?? 8

    @Test(.timeLimit(.minutes(4)))
    func aPartitionInTheMiddleOfPaymentsAndSettlements() async throws {
        try await exercise(index: 0, fault: { try await $0.partition() }, clear: { try await $0.heal() })
    }

    @Test(.timeLimit(.minutes(4)))
    func aOneWayBlackholeFromTheNodeToTheDaemon() async throws {
        try await exercise(
            index: 1, fault: { try await $0.blackholeToHost() }, clear: { try await $0.clearBlackhole() })
    }

    private func exercise(
        index: Int, fault: (VethNamespace) async throws -> Void, clear: (VethNamespace) async throws -> Void
    ) async throws {
        let link = try await VethNamespace.make(index: index)
        try await withCleanup {
            let sim = try await LNDSimService.start(
                ["--nodes", "alice,bob", "--channel", "alice:bob:1000000:500000", "--host", link.peerAddress],
                namespace: link.name)
            try await withCleanup {
                try await DevNetwork.run { network in
                    let alice = network.adopt(try await DaemonProcess(config: Self.config(sim.node("alice"))))
                    let bob = network.adopt(try await DaemonProcess(config: Self.config(sim.node("bob"))))
                    try await run(link: link, sim: sim, payer: alice, payee: bob, fault: fault, clear: clear)
                }
            } finally: {
                await sim.stop()
            }
        } finally: {
            await link.remove()
        }
    }

    private static func config(_ node: LNDSimService.Node) -> String {
        RealBackendTests.lndConfig(node) + """

            subscription_idle_s = 5
            [payments]
            timeout_s = 3
            reconcile_interval_s = 1
            """
    }

    private func run(
        link: VethNamespace, sim: LNDSimService, payer: DaemonProcess, payee: DaemonProcess,
        fault: (VethNamespace) async throws -> Void, clear: (VethNamespace) async throws -> Void
    ) async throws {
        var invoices: [(hash: String, bolt11: String)] = []
        for number in 0..<6 {
            let invoice = try await payee.call(
                "invoice.create", ["amount_msat": 7000, "description": .string("fault \(number)")])
            invoices.append((invoice.string("payment_hash"), invoice.string("bolt11")))
        }
        // The first three are in flight (1-2 s per HTLC) when the fault starts, the others are sent during it.
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"payment_latency","min_ms":1000,"max_ms":2000}"#)
        let earlyBolt11s = invoices[0..<3].map(\.bolt11)
        let early = Task { await Self.send(earlyBolt11s, from: payer) }
        try await eventually("the first payments reach the node", timeout: .seconds(15)) {
            var initiated = 0
            for invoice in invoices[0..<3] { initiated += try await sim.paymentCounters(invoice.hash)?.initiated ?? 0 }
            return initiated == 3
        }
        let faultStart = ContinuousClock.now
        try await fault(link)
        await Self.send(invoices[3..<6].map(\.bolt11), from: payer)
        for daemon in [payer, payee] {
            try await eventually("daemon.health says the backend is not ok", timeout: .seconds(Self.faultSeconds + 10))
            {
                try await Self.backendStatus(daemon) != "ok"
            }
        }
        let noticed = ContinuousClock.now - faultStart
        let remaining = .seconds(Self.faultSeconds) - (ContinuousClock.now - faultStart)
        if remaining > .zero { try await Task.sleep(for: remaining) }
        for daemon in [payer, payee] {
            #expect(try await Self.backendStatus(daemon) != "ok", "still not ok at the end of the fault")
        }
        try await clear(link)
        let cleared = ContinuousClock.now
        await early.value
        for invoice in invoices {
            try await eventually("payment \(invoice.hash) is resolved", timeout: Self.recoveryBound) {
                await Self.status(of: invoice.hash, at: payer) != "pending"
            }
        }
        // A payment that could not reach the node failed (`not_sent`, nothing left the daemon), or the node
        // failed it itself (its 3 s payment timeout passed before an HTLC went out, seen on a loaded CI
        // machine); a client sends it again, which attempts it anew.
        var retried: [String] = []
        for invoice in invoices where await Self.status(of: invoice.hash, at: payer) != "succeeded" {
            let counters = try await sim.paymentCounters(invoice.hash)
            #expect(
                counters == nil || (counters?.succeeded == 0 && counters?.failed == counters?.initiated),
                "a failed payment never reached the node, or the node failed it: \(String(describing: counters))")
            retried.append(invoice.bolt11)
        }
        _ = await Self.send(retried, from: payer)
        for invoice in invoices {
            try await eventually("payment \(invoice.hash) succeeded", timeout: Self.recoveryBound) {
                await Self.status(of: invoice.hash, at: payer) == "succeeded"
            }
        }
        let paymentsResolved = ContinuousClock.now - cleared
        for invoice in invoices {
            let waited = try await payee.call(
                "invoice.wait",
                ["payment_hash": .string(invoice.hash), "timeout_s": .integer(Self.secondsLeft(cleared))])
            #expect(waited.string("status") == "paid", "settlement \(invoice.hash) recorded")
        }
        let settlementsSeen = ContinuousClock.now - cleared
        for daemon in [payer, payee] {
            try await eventually("daemon.health says the backend is ok", timeout: Self.recoveryBound) {
                try await Self.backendStatus(daemon) == "ok"
            }
        }
        let healthy = ContinuousClock.now - cleared
        for invoice in invoices {
            let counters = try #require(try await sim.paymentCounters(invoice.hash))
            #expect(counters.initiated == 1, "hash \(invoice.hash) paid once")
            #expect(counters.succeeded == 1)
        }
        print(
            "network fault \(Self.faultSeconds) s: backend not ok in both daemons' health \(noticed) after it began; "
                + "payments resolved \(paymentsResolved), settlements seen "
                + "\(settlementsSeen), health ok \(healthy) after it cleared; "
                + "\(retried.count) of 6 failed unsent and were sent again")
    }

    /// Sends every invoice at once and waits for every answer (results and errors alike: the store says what
    /// became of each).
    private static func send(_ bolt11s: [String], from payer: DaemonProcess) async {
        await withTaskGroup(of: Void.self) { group in
            for bolt11 in bolt11s {
                group.addTask { _ = try? await payer.call("payment.send", ["bolt11": .string(bolt11)]) }
            }
        }
    }

    /// The stored status of the payment of `hash`, or `missing`.
    private static func status(of hash: String, at payer: DaemonProcess) async -> String {
        (try? await payer.call("payment.get", ["payment_hash": .string(hash)]).string("status")) ?? "missing"
    }

    /// Whole seconds left of ``recoveryBound`` since `start` (at least 1).
    private static func secondsLeft(_ start: ContinuousClock.Instant) -> Int64 {
        max(1, (recoveryBound - (ContinuousClock.now - start)).components.seconds)
    }

    private static func backendStatus(_ daemon: DaemonProcess) async throws -> String {
        try await daemon.call("daemon.health")["components"]?["backend"]?.string("status") ?? "missing"
    }
}
