import Foundation
import JSONRPC
import Synchronization
import TestSupport
import Testing

/// Set-ups of several instances that would lose money are refused at start, races between instances resolve
/// as one payment, and each instance says where it stands (issue 24).
@Suite(.serialized) struct InstanceSafetyTests {
    /// A whole data dir copied (seed and `DATA_DIR/instance`): the twin would reconcile the other's in-flight
    /// payments under the same name.
    @Test func aCopiedDataDirIsRefusedWhileItsInstanceRuns() async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            let original = try await network.instances(1)[0]
            let copy = TemporaryDirectory()
            defer { copy.remove() }
            for file in ["seed", "instance"] {
                try FileManager.default.copyItem(atPath: original.directory.file(file), toPath: copy.file(file))
            }
            let refusal = try await Self.refusal(
                directory: copy, config: String(contentsOfFile: original.configPath, encoding: .utf8))
            #expect(refusal.contains("another live t4gd uses the instance name"), "\(refusal)")
            #expect(original.isRunning)
            #expect(try await original.call("daemon.info")["instance"]?["live_instances"] == 1)
        }
    }

    /// An instance without the wallet's seed would not record the wallet's settlements while it leads.
    @Test func anInstanceWithAnotherSeedIsRefusedNamingBothIdentities() async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            let wallet = try await network.instances(1)[0]
            let stranger = TemporaryDirectory()
            defer { stranger.remove() }
            let refusal = try await Self.refusal(
                directory: stranger, config: String(contentsOfFile: wallet.configPath, encoding: .utf8))
            let seedKey = try await wallet.call("node.info").string("pubkey")
            #expect(refusal.contains("this store belongs to another wallet"), "\(refusal)")
            #expect(refusal.contains("identity key of the seed is \(seedKey)"), "\(refusal)")
            #expect(try await wallet.call("daemon.info")["instance"]?["live_instances"] == 1)
        }
    }

    /// Concurrent sends of one invoice with one idempotency key through two instances share one payment; the
    /// key's unique index used to answer some of them `idempotency_conflict` on PostgreSQL (about 1 send in 250
    /// before the fix).
    @Test func concurrentSendsWithOneIdempotencyKeyThroughTwoInstancesShareThePayment() async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            let payee = try await network.daemon()
            let payer = try await network.instances(2)
            var failures: [String] = []
            for round in 0..<100 {
                let invoice = try await payee.call("invoice.create", ["amount_msat": 1_000, "description": "key race"])
                let params: JSONObject = [
                    "bolt11": .string(invoice.string("bolt11")), "idempotency_key": .string("round-\(round)"),
                ]
                let answers = await withTaskGroup(of: String.self) { group in
                    for index in 0..<4 {
                        group.addTask {
                            do {
                                return try await payer[index % 2].call("payment.send", params).string("payment_hash")
                            } catch {
                                return "\(error)"
                            }
                        }
                    }
                    return await group.reduce(into: [String]()) { $0.append($1) }
                }
                failures += answers.filter { $0 != invoice.string("payment_hash") }
            }
            #expect(failures == [])
        }
    }

    /// `daemon.health`, `daemon.info` and `/metrics` name the instance, whether it leads the settlement
    /// follower, and how many live instances share the store.
    @Test func everyInstanceSaysWhoItIsWhetherItLeadsAndHowManyAreLive() async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            let instances = try await network.instances(2)
            let leader = try await MultiInstanceTests.settlementLeader(among: instances)
            for (index, instance) in instances.enumerated() {
                let name = try String(contentsOfFile: instance.directory.file("instance"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let info = try await settledValue {
                    try await instance.call("daemon.info")
                } until: {
                    $0["instance"]?["live_instances"] == 2
                }
                #expect(info["instance"]?.string("name") == name)
                #expect(info["instance"]?.string("process").hasPrefix(name + "/") == true)
                #expect(info["instance"]?["leads_settlements"] == .bool(index == leader))
                #expect(info["instance"]?["live_instances"] == 2)
                let health = try await instance.call("daemon.health")
                #expect(health["instance"]?["leads_settlements"] == .bool(index == leader))
                let metrics = try HTTPProbe.get("/metrics", port: try await instance.metricsPort()).body
                #expect(metrics.contains(#"t4gd_instances_live{instance="\#(name)"} 2"#), "\(metrics)")
                #expect(
                    metrics.contains(
                        #"t4gd_instance_leads_settlements{instance="\#(name)"} \#(index == leader ? 1 : 0)"#))
            }
        }
    }

    /// At the default log level an error reply's `request_id` is in the log, and a graceful stop in the middle
    /// of traffic (every new event wakes the background services' store reads) logs no error.
    @Test(arguments: StoreEngines.all)
    func theLogAtTheDefaultLevelHasEveryErrorsRequestIDAndAStopLogsNoError(engine: String) async throws {
        try await DevNetwork.run(engine: engine) { network in
            let daemon = network.adopt(
                try await DaemonProcess(
                    config: network.config(extra: try await Self.storeSection(engine)),
                    extraArguments: ["--log-level", "info"]))
            let error = try #require(await daemon.error("payment.send", ["bolt11": "lnbcrt1notaninvoice"]))
            let requestID = try #require(error.data["request_id"]?.stringValue)
            #expect(daemon.log.contains(requestID), "\(daemon.log)")
            #expect(!daemon.log.contains(" DEBUG "))
            let created = Atomic<Int>(0)
            let traffic = Task {
                while (try? await daemon.call("invoice.create", ["amount_msat": 1_000, "description": "stop"])) != nil {
                    created.add(1, ordering: .relaxed)
                }
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while created.load(ordering: .relaxed) < 20, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await daemon.stop() == 0)
            await traffic.value
            #expect(created.load(ordering: .relaxed) >= 20)
            let errors = daemon.log.split(separator: "\n").filter {
                $0.contains(" ERROR ") || $0.contains(" CRITICAL ")
            }
            #expect(errors == [])
        }
    }

    /// The `[store]` section of a database of its own for `engine` "postgres", else nothing (SQLite).
    static func storeSection(_ engine: String) async throws -> String {
        guard engine == "postgres" else { return "" }
        return "\n[store]\nurl = \"\(try await PostgresServer.shared.database())\"\n"
    }

    /// Starts t4gd in `directory` with `config`, which must refuse to start; its log.
    static func refusal(directory: TemporaryDirectory, config: String) async throws -> String {
        do {
            let started = try await DaemonProcess(directory: directory, config: config)
            await started.stop()
            Issue.record("t4gd started")
            return started.log
        } catch let error as DaemonProcessError {
            return error.message
        }
    }
}
