import Foundation
import JSONRPC
import Synchronization
import TestSupport
import Testing

/// Several t4gd instances serving one wallet on one PostgreSQL database and one dev network.
@Suite(.serialized) struct MultiInstanceTests {
    @Test func concurrentSendsOfOneInvoiceThroughThreeInstancesPayOnce() async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            let payee = try await network.daemon()
            let payer = try await network.instances(3)
            let invoice = try await payee.call("invoice.create", ["amount_msat": 10_000, "description": "race"])
            let bolt11 = JSONValue.string(invoice.string("bolt11"))
            let answers = await withTaskGroup(of: (JSONValue?, String).self) { group in
                for index in 0..<30 {
                    group.addTask {
                        do {
                            return (try await payer[index % 3].call("payment.send", ["bolt11": bolt11]), "")
                        } catch {
                            return (nil, "\(error)")
                        }
                    }
                }
                return await group.reduce(into: [(JSONValue?, String)]()) { $0.append($1) }
            }.map { answer in
                if answer.0 == nil { Issue.record("payment.send failed: \(answer.1)") }
                return answer.0
            }
            #expect(answers.allSatisfy { ["succeeded", "pending"].contains($0?.string("status") ?? "error") })
            #expect(Set(answers.map { $0?.string("payment_hash") ?? "" }) == [invoice.string("payment_hash")])
            for instance in payer {
                #expect(try await Self.settledStatus(of: invoice.string("payment_hash"), on: instance) == "succeeded")
            }
            #expect(try await payer[0].call("wallet.balance").integer("balance_msat") == 1_000_000_000 - 10_000 - 1010)
            #expect(try await payee.call("wallet.balance").integer("balance_msat") == 1_000_010_000)
        }
    }

    @Test func anotherInstanceFollowsSettlementsWithinSecondsWhenTheLeaderIsKilled() async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            let payee = try await network.instances(3)
            let payer = try await network.daemon()
            let leader = try await Self.settlementLeader(among: payee)
            await payee[leader].kill()
            let followers = payee.indices.filter { $0 != leader }.map { payee[$0] }
            let invoice = try await followers[0].call(
                "invoice.create", ["amount_msat": 20_000, "description": "hand-over"])
            let start = ContinuousClock.now
            _ = try await payer.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            for follower in followers {
                let paid = try await follower.call(
                    "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 15])
                #expect(paid.string("status") == "paid")
            }
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test func threeInstancesUnderMixedLoadKeepEveryInvariantThroughASIGKILL() async throws {
        try await Self.keepEveryInvariantUnderLoad { payee, _ in
            (payee: [try await Self.settlementLeader(among: payee)], payer: [1])
        }
    }

    /// Two instances of each wallet SIGKILLed at the same moment, the payee's settlement leader among them.
    @Test func threeInstancesUnderMixedLoadKeepEveryInvariantWhenTwoAreKilledAtOnce() async throws {
        try await Self.keepEveryInvariantUnderLoad { payee, _ in
            let leader = try await Self.settlementLeader(among: payee)
            return (payee: [leader, (leader + 1) % 3], payer: [0, 2])
        }
    }

    /// The event sequencer of each wallet SIGKILLed under load, between or inside its batches: another instance
    /// takes over, and the events keep one gapless index without duplicates.
    @Test func threeInstancesUnderMixedLoadKeepEveryInvariantWhenTheEventSequencersAreKilled() async throws {
        try await Self.keepEveryInvariantUnderLoad { payee, payer in
            (payee: [try await Self.eventSequencer(among: payee)], payer: [try await Self.eventSequencer(among: payer)])
        }
    }

    /// Three instances of a payee and three of a payer under ``load``; once it is answered the instances `victims`
    /// picks are SIGKILLed all at once, restarted once the survivors answered more, and every invariant must hold
    /// once the load stops.
    static func keepEveryInvariantUnderLoad(
        victims: ([DaemonProcess], [DaemonProcess]) async throws -> (payee: [Int], payer: [Int])
    ) async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            var payee = try await network.instances(3)
            var payer = try await network.instances(3)
            let acknowledged = Acknowledged()
            let stop = StopFlag()
            let load = Task { [payee, payer] in
                await Self.load(payee: payee, payer: payer, acknowledged: acknowledged, stop: stop)
            }
            // Each phase (before the kill, while the victims are down, after their restart) lasts until the load
            // got ten more acknowledgements, however fast the machine is.
            try await Self.untilTenMoreAcknowledged(acknowledged)
            let killed = try await victims(payee, payer)
            let doomed = killed.payee.map { payee[$0] } + killed.payer.map { payer[$0] }
            await withTaskGroup(of: Void.self) { group in
                for instance in doomed { group.addTask { await instance.kill() } }
            }
            try await Self.untilTenMoreAcknowledged(acknowledged)
            for index in killed.payee { payee[index] = try await network.restart(payee[index]) }
            for index in killed.payer { payer[index] = try await network.restart(payer[index]) }
            try await Self.untilTenMoreAcknowledged(acknowledged)
            stop.set()
            let operations = await load.value
            #expect(operations > 20)
            let payeeURL = Self.storeURL(of: payee[0])
            let payerURL = Self.storeURL(of: payer[0])
            let deadline = ContinuousClock.now + .seconds(30)
            var violations: [String] = []
            repeat {
                let ledger = try CrashInvariants.readDevLedger(network.ledgerPath)
                violations = CrashInvariants.violations(
                    network: ledger, payee: try await CrashInvariants.readStore(payeeURL),
                    payer: try await CrashInvariants.readStore(payerURL), acknowledged: await acknowledged.snapshot)
                if violations.isEmpty { break }
                try await Task.sleep(for: .milliseconds(200))
            } while ContinuousClock.now < deadline
            #expect(violations == [], "after \(operations) operations")
        }
    }

    /// Returns once the load got ten more acknowledgements than it had when called (fails after 60 s).
    static func untilTenMoreAcknowledged(_ acknowledged: Acknowledged) async throws {
        let start = await acknowledged.count
        try await eventually("ten more operations are acknowledged", timeout: .seconds(60)) {
            await acknowledged.count >= start + 10
        }
    }

    /// Invoices created through every payee instance and paid through every payer instance by 6 clients, until
    /// `stop`; calls to a killed instance fail and move on. Returns the number of answered operations.
    static func load(
        payee: [DaemonProcess], payer: [DaemonProcess], acknowledged: Acknowledged, stop: StopFlag
    ) async -> Int {
        await withTaskGroup(of: Int.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var answered = 0
                    var turn = worker
                    while !stop.isSet {
                        turn += 1
                        do {
                            let invoice = try await payee[turn % 3].call(
                                "invoice.create", ["amount_msat": 10_000, "description": "multi-instance load"])
                            await acknowledged.invoice(invoice.string("payment_hash"))
                            answered += 1
                            let payment = try await payer[(turn / 3) % 3].call(
                                "payment.send", ["bolt11": .string(invoice.string("bolt11"))])
                            await acknowledged.payment(payment.string("payment_hash"), status: payment.string("status"))
                            answered += 1
                        } catch {
                            try? await Task.sleep(for: .milliseconds(20))
                        }
                    }
                    return answered
                }
            }
            return await group.reduce(0, +)
        }
    }

    /// The index of the instance that logged taking the settlement leadership (waits up to 15 s).
    static func settlementLeader(among instances: [DaemonProcess]) async throws -> Int {
        try await onlyInstance(among: instances, "settlement leader") {
            $0.contains("leading") && $0.contains("settlements")
        }
    }

    /// The index of the instance that logged sequencing the events (waits up to 15 s).
    static func eventSequencer(among instances: [DaemonProcess]) async throws -> Int {
        try await onlyInstance(among: instances, "event sequencer") { $0.contains("sequencing events") }
    }

    /// The index of the one running instance with a log line that `matches` (waits up to 15 s).
    private static func onlyInstance(
        among instances: [DaemonProcess], _ role: String, logging matches: (Substring) -> Bool
    ) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let found = instances.indices.filter {
                instances[$0].isRunning && instances[$0].log.split(separator: "\n").contains(where: matches)
            }
            if found.count == 1 { return found[0] }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonProcessError(message: "no single \(role) among \(instances.count) instances")
    }

    /// The payment's status once it is no longer pending (waits up to 30 s, then answers `pending`).
    static func settledStatus(of hash: String, on instance: DaemonProcess) async throws -> String {
        try await settledValue {
            try await instance.call("payment.get", ["payment_hash": .string(hash)]).string("status")
        } until: {
            $0 != "pending"
        }
    }

    /// The `store.url` in an instance's configuration.
    static func storeURL(of instance: DaemonProcess) -> String {
        let config = (try? String(contentsOfFile: instance.configPath, encoding: .utf8)) ?? ""
        return config.firstMatch(of: /url = "([^"]+)"/).map { String($0.output.1) } ?? ""
    }
}
