import Foundation
import JSONRPC
import Synchronization
import TestSupport
import Testing

/// t4gd itself on the LND simulator and on a real LNbits: start-up checks, degraded start and recovery, and
/// the proof workflow paid over LNbits.
@Suite(.serialized) struct RealBackendTests {
    static func lndConfig(_ node: LNDSimService.Node, macaroon: String? = nil) -> String {
        """
        [daemon]
        backend = "lnd"
        [lnd]
        rest_url = "\(node.url)"
        tls_cert_path = "\(node.tls_cert)"
        macaroon_path = "\(macaroon ?? node.admin_macaroon)"
        timeout_s = 3
        """
    }

    @Test(.timeLimit(.minutes(3)))
    func lndDownAtStartIsDegradedThenRecovers() async throws {
        let sim = try await LNDSimService.start(["--nodes", "alice,bob", "--channel", "alice:bob:1000000:500000"])
        try await withCleanup {
            try await sim.control("/v1/fault", #"{"node":"alice","kind":"refuse","enabled":true}"#)
            try await DevNetwork.run { network in
                let alice = network.adopt(try await DaemonProcess(config: Self.lndConfig(sim.node("alice"))))
                let bob = network.adopt(try await DaemonProcess(config: Self.lndConfig(sim.node("bob"))))
                let health = try await alice.call("daemon.health")
                #expect(health.string("status") == "degraded")
                #expect(health["components"]?["backend"]?.string("status") == "down")
                let port = try await alice.metricsPort()
                let notReady = try HTTPProbe.get("/health/ready", port: port)
                #expect(notReady.status == 503)
                #expect(try JSONValue.parse(notReady.body).string("status") == "not_ready")
                #expect(try HTTPProbe.get("/health/live", port: port).status == 200)
                let backendErrors = try HTTPProbe.get("/metrics", port: port).body.split(separator: "\n").first {
                    $0.hasPrefix(#"t4gd_backend_errors_total{backend="lnd",operation="node_info",code="unavailable"}"#)
                }
                #expect(backendErrors != nil, "the failed health check is counted")
                let down = try await alice.error("invoice.create", ["amount_msat": 5000, "description": "x"])
                #expect(down?.reason.name == "backend_unavailable")
                #expect((down?.retryAfterSeconds ?? 0) > 0)
                try await sim.control("/v1/fault", #"{"node":"alice","kind":"refuse","enabled":false}"#)
                let invoice = try await alice.call("invoice.create", ["amount_msat": 5000, "description": "x"])
                _ = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
                let paid = try await alice.call(
                    "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 20])
                #expect(paid.string("status") == "paid")
                // Health comes from a measurement taken every second: it turns ok within one interval.
                let recovered = try await settledValue(timeout: .seconds(10)) {
                    try await alice.call("daemon.health")
                } until: {
                    $0.string("status") == "ok"
                }
                #expect(recovered.string("status") == "ok")
                #expect((recovered["measured_ms_ago"]?.int64Value ?? -1) >= 0)
                #expect(try HTTPProbe.get("/health/ready", port: port).status == 200)
            }
        } finally: {
            await sim.stop()
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func paymentStreamDroppedInFlightStaysPendingAndIsTrackedToSuccess() async throws {
        let sim = try await LNDSimService.start(["--nodes", "alice,bob", "--channel", "alice:bob:1000000:500000"])
        try await withCleanup {
            try await DevNetwork.run { network in
                let alice = network.adopt(
                    try await DaemonProcess(
                        config: Self.lndConfig(sim.node("alice")) + "\n[payments]\nreconcile_interval_s = 1\n"))
                let bob = network.adopt(try await DaemonProcess(config: Self.lndConfig(sim.node("bob"))))
                let invoice = try await bob.call("invoice.create", ["amount_msat": 50_000, "description": "drop"])
                let bolt11 = JSONValue.string(invoice.string("bolt11"))
                let hash = invoice.string("payment_hash")
                try await sim.control("/v1/fault", #"{"node":"alice","kind":"hold_payments","enabled":true}"#)
                try await sim.control(
                    "/v1/fault", #"{"node":"alice","kind":"drop_stream","endpoint":"/v2/router/send","after":1}"#)
                let first = try await alice.call("payment.send", ["bolt11": bolt11, "timeout_s": 10])
                #expect(first.string("status") == "pending")
                let again = try await alice.call("payment.send", ["bolt11": bolt11, "timeout_s": 10])
                #expect(again.string("status") == "pending")
                // Reconciliation (every second) asks LND about the payment twice more: it stays pending.
                let tracks = try await sim.calls(of: "alice")["TrackPaymentV2", default: 0]
                try await eventually("the reconciler tracked the payment twice", timeout: .seconds(30)) {
                    try await sim.calls(of: "alice")["TrackPaymentV2", default: 0] >= tracks + 2
                }
                let tracked = try await alice.call("payment.get", ["payment_hash": .string(hash)])
                #expect(tracked.string("status") == "pending", "reconciliation keeps an in-flight payment pending")
                let held = try await sim.paymentCounters(hash)
                #expect(held.map { [$0.sends, $0.initiated] } == [1, 1], "the second send did not reach LND")

                try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
                try await sim.control(
                    "/v1/resolve", #"{"node":"alice","payment_hash":"\#(hash)","outcome":"succeeded"}"#)
                try await Self.expectTrackedToSuccess(hash, payer: alice, payee: bob)
                let counters = try await sim.paymentCounters(hash)
                #expect(counters.map { [$0.sends, $0.initiated, $0.succeeded, $0.failed] } == [1, 1, 1, 0])
            }
        } finally: {
            await sim.stop()
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func wrongCredentialsAndNetworkRefuseTheStart() async throws {
        let sim = try await LNDSimService.start(["--nodes", "alice"])
        try await withCleanup {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let bogus = String(repeating: "ab", count: 40)
            try Data([UInt8](hex: bogus)!).write(to: URL(fileURLWithPath: directory.file("bad.macaroon")))
            chmod(directory.file("bad.macaroon"), 0o600)
            let badMacaroon = TemporaryDirectory()
            defer { badMacaroon.remove() }
            do {
                _ = try await DaemonProcess(
                    directory: badMacaroon,
                    config: Self.lndConfig(sim.node("alice"), macaroon: directory.file("bad.macaroon")))
                Issue.record("started with a wrong macaroon")
            } catch {
                let log = (try? String(contentsOfFile: badMacaroon.file("t4gd.log"), encoding: .utf8)) ?? ""
                #expect(log.contains("macaroon"))
                #expect(!log.contains(bogus))
            }
            let mismatch = TemporaryDirectory()
            defer { mismatch.remove() }
            do {
                _ = try await DaemonProcess(
                    directory: mismatch, config: Self.lndConfig(sim.node("alice")),
                    extraArguments: ["--network", "testnet"])
                Issue.record("started on the wrong network")
            } catch {
                let log = (try? String(contentsOfFile: mismatch.file("t4gd.log"), encoding: .utf8)) ?? ""
                #expect(log.contains("network"))
            }
        } finally: {
            await sim.stop()
        }
    }

    /// Waits (at most 30 s) until `payer`'s payment of `hash` is no longer pending, then expects it succeeded
    /// with its preimage and `payee`'s invoice paid.
    static func expectTrackedToSuccess(
        _ hash: String, payer: DaemonProcess, payee: DaemonProcess,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let payment = try await settledValue {
            try await payer.call("payment.get", ["payment_hash": .string(hash)])
        } until: {
            $0.string("status") != "pending"
        }
        #expect(payment.string("status") == "succeeded", sourceLocation: sourceLocation)
        #expect(payment.string("preimage").count == 64, sourceLocation: sourceLocation)
        let paid = try await payee.call("invoice.wait", ["payment_hash": .string(hash), "timeout_s": 20])
        #expect(paid.string("status") == "paid", sourceLocation: sourceLocation)
    }

    /// Runs `body` with daemons on the LND simulator's nodes alice and bob (one channel of 1,000,000 sat, half
    /// on each side), then stops the simulator.
    static func withLNDPair(
        _ body: (_ alice: DaemonProcess, _ bob: DaemonProcess, _ sim: LNDSimService) async throws -> Void
    ) async throws {
        let sim = try await LNDSimService.start(["--nodes", "alice,bob", "--channel", "alice:bob:1000000:500000"])
        try await withCleanup {
            try await DevNetwork.run { network in
                let alice = network.adopt(try await DaemonProcess(config: lndConfig(sim.node("alice"))))
                let bob = network.adopt(try await DaemonProcess(config: lndConfig(sim.node("bob"))))
                try await body(alice, bob, sim)
            }
        } finally: {
            await sim.stop()
        }
    }

    /// Runs `body` with daemons on two new wallets of one LNbits, `platform` and `customer` (funded with
    /// 100,000 sat), then stops LNbits.
    static func withLNbitsPair(
        _ body: (_ platform: DaemonProcess, _ customer: DaemonProcess) async throws -> Void
    ) async throws {
        let lnbits = try await LNbitsService.start()
        try await withCleanup {
            let platformWallet = try await lnbits.createWallet("platform")
            let customerWallet = try await lnbits.createWallet("customer")
            try await lnbits.fund(customerWallet, sats: 100_000)
            try await DevNetwork.run { network in
                let platform = network.adopt(try await DaemonProcess(config: lnbitsConfig(lnbits.url, platformWallet)))
                let customer = network.adopt(try await DaemonProcess(config: lnbitsConfig(lnbits.url, customerWallet)))
                try await body(platform, customer)
            }
        } finally: {
            await lnbits.stop()
        }
    }

    static func lnbitsConfig(_ url: String, _ wallet: LNbitsService.Wallet, timeoutSeconds: Int = 10) -> String {
        """
        [daemon]
        backend = "lnbits"
        network = "mainnet"
        [lnbits]
        url = "\(url)"
        invoice_key = "\(wallet.inkey)"
        admin_key = "\(wallet.adminkey)"
        timeout_s = \(timeoutSeconds)
        """
    }

    /// LNbits unreachable at start: t4gd starts degraded and refuses with `retry_after_s`, then recovers by
    /// itself. LNbits then makes a payment whose answer is lost: the payment stays pending, a second
    /// `payment.send` does not reach LNbits, other calls end at their deadline (`backend_timeout`) while
    /// `daemon.info` still answers, it stays pending while LNbits is unreachable, and reconciliation
    /// finds it succeeded once LNbits answers again. A proxy between the payer's t4gd and LNbits makes the
    /// faults.
    @Test(.timeLimit(.minutes(4)))
    func lnbitsDownAtStartAndLostDuringAPaymentRecoversWithoutPayingTwice() async throws {
        let lnbits = try await LNbitsService.start()
        try await withCleanup {
            let shopWallet = try await lnbits.createWallet("shop")
            let buyerWallet = try await lnbits.createWallet("buyer")
            try await lnbits.fund(buyerWallet, sats: 100_000)
            let proxy = try await TCPProxy.start(to: try #require(URL(string: lnbits.url)?.port))
            try await withCleanup {
                proxy.refuse(true)
                try await DevNetwork.run { network in
                    let shop = network.adopt(try await DaemonProcess(config: Self.lnbitsConfig(lnbits.url, shopWallet)))
                    let buyer = network.adopt(
                        try await DaemonProcess(
                            config: Self.lnbitsConfig("http://127.0.0.1:\(proxy.port)", buyerWallet, timeoutSeconds: 4)
                                + "\n[payments]\nreconcile_interval_s = 1\n"))
                    let health = try await buyer.call("daemon.health")
                    #expect(health.string("status") == "degraded")
                    #expect(health["components"]?["backend"]?.string("status") == "down")
                    let down = try await buyer.error("invoice.create", ["amount_msat": 5000, "description": "x"])
                    #expect(down?.reason.name == "backend_unavailable")
                    #expect((down?.retryAfterSeconds ?? 0) > 0)

                    proxy.refuse(false)
                    let recovered = try await settledValue(timeout: .seconds(10)) {
                        try await buyer.call("daemon.health")
                    } until: {
                        $0.string("status") == "ok"
                    }
                    #expect(recovered.string("status") == "ok", "recovered by itself")

                    let invoice = try await shop.call("invoice.create", ["amount_msat": 21_000, "description": "lost"])
                    let bolt11 = JSONValue.string(invoice.string("bolt11"))
                    let hash = invoice.string("payment_hash")
                    let balanceBefore = try await buyer.call("wallet.balance").integer("balance_msat")
                    proxy.dropAnswers(true)
                    let first = try await buyer.call("payment.send", ["bolt11": bolt11, "timeout_s": 3])
                    #expect(first.string("status") == "pending", "LNbits paid, but its answer was lost")
                    let again = try await buyer.call("payment.send", ["bolt11": bolt11, "timeout_s": 3])
                    #expect(again.string("status") == "pending")
                    #expect(proxy.requests("POST /api/v1/payments") == 1, "the second send did not reach LNbits")
                    // A backend that does not answer: calls end at their deadline (timeout_s), and the daemon answers
                    // meanwhile. Ordered, not timed to the millisecond: a fully loaded test run delays every call.
                    let clock = ContinuousClock()
                    let askedAt = clock.now
                    let slowEnded = Mutex(false)
                    let slow = Task {
                        defer { slowEnded.withLock { $0 = true } }
                        return try await buyer.error("wallet.balance")
                    }
                    _ = try await buyer.call("daemon.info")
                    #expect(!slowEnded.withLock { $0 }, "daemon.info answered while a backend call waited")
                    #expect(try await slow.value?.reason.name == "backend_timeout")
                    let waited = clock.now - askedAt
                    #expect(waited >= .seconds(3) && waited < .seconds(20), "ended at its deadline: \(waited)")
                    proxy.refuse(true)
                    proxy.cutAll()
                    let refusals = proxy.refusals
                    try await eventually("the daemon tried LNbits again", timeout: .seconds(30)) {
                        proxy.refusals > refusals
                    }
                    let unreachable = try await buyer.call("payment.get", ["payment_hash": .string(hash)])
                    #expect(unreachable.string("status") == "pending", "unknown while LNbits cannot be asked")

                    proxy.dropAnswers(false)
                    proxy.refuse(false)
                    try await Self.expectTrackedToSuccess(hash, payer: buyer, payee: shop)
                    #expect(proxy.requests("POST /api/v1/payments") == 1, "paid once")
                    let balanceAfter = try await buyer.call("wallet.balance").integer("balance_msat")
                    #expect(balanceBefore - balanceAfter == 21_000, "one payment left the wallet")
                }
            } finally: {
                await proxy.stop()
            }
        } finally: {
            await lnbits.stop()
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func proofWorkflowPaidOverLNbits() async throws {
        try await Self.withLNbitsPair { platform, customer in
            let proof = try await platform.call(
                "proof.create",
                [
                    "kind": "mentoring_session", "owner": "account:mentor",
                    "fields": ["topic": "lightning", "duration": "60"],
                ])
            let proofID = JSONValue.string(proof.string("proof_id"))
            let mentee = try await customer.call("proof.owner_key", ["owner": "account:mentee"]).string("pubkey")
            let transfer = try await platform.call(
                "proof.transfer",
                [
                    "proof_id": proofID, "to": .string(mentee),
                    "payment": ["amount_msat": 21_000, "description": "session"],
                ])
            let invoice = transfer["invoice"]
            // The platform's own invoice is refused from its invoice book, before LNbits (which would let the
            // wallet pay itself) is asked; nothing is stored.
            let own = try await platform.error("payment.send", ["bolt11": .string(invoice?.string("bolt11") ?? "")])
            #expect(own?.reason.name == "self_payment")
            let stored = try await platform.error(
                "payment.get", ["payment_hash": .string(invoice?.string("payment_hash") ?? "")])
            #expect(stored?.reason.name == "payment_not_found")
            let payment = try await customer.call(
                "payment.send", ["bolt11": .string(invoice?.string("bolt11") ?? "")])
            #expect(payment.string("status") == "succeeded")
            let owner = try await settledValue {
                try await platform.call("proof.get", ["proof_id": proofID]).string("owner")
            } until: {
                $0 == mentee
            }
            #expect(owner == mentee)
            let exported = try await platform.call("proof.export", ["proof_id": proofID])
            let imported = try await customer.call(
                "proof.import", ["consignment": exported["consignment"] ?? .null])
            #expect(imported["verification"]?["valid"] == .bool(true))
            #expect(imported["proof"]?.string("owner_account") == "account:mentee")
        }
    }
}
