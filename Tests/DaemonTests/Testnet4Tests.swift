import Foundation
import JSONRPC
import TestSupport
import Testing

/// LND reports testnet4 by its own name (`chains[0].network = "testnet4"`), but its invoices carry the same
/// BOLT #11 prefix as testnet3 (`lntb`): t4gd's `testnet` covers both, so an invoice of a testnet4 node is valid
/// and payable under `network = "testnet"`, and a regtest daemon refuses that node.
@Suite struct Testnet4Tests {
    @Test(.timeLimit(.minutes(3)))
    func aTestnet4NodeRunsUnderTestnet() async throws {
        let sim = try await LNDSimService.start(
            ["--nodes", "alice,bob", "--channel", "alice:bob:1000000:500000", "--network", "testnet4"])
        try await withCleanup {
            try await DevNetwork.run { network in
                func daemon(_ name: String) async throws -> DaemonProcess {
                    network.adopt(
                        try await DaemonProcess(
                            config: RealBackendTests.lndConfig(sim.node(name)),
                            extraArguments: ["--network", "testnet"]
                        ))
                }
                let alice = try await daemon("alice")
                let bob = try await daemon("bob")
                let invoice = try await bob.call("invoice.create", ["amount_msat": 5000, "description": "testnet4"])
                #expect(invoice.string("bolt11").hasPrefix("lntb5"))
                let decoded = try await alice.call("invoice.decode", ["bolt11": .string(invoice.string("bolt11"))])
                #expect(decoded.string("network") == "testnet")
                #expect(try await alice.call("node.info").string("network") == "testnet")
                _ = try await alice.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
                let paid = try await bob.call(
                    "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 20])
                #expect(paid.string("status") == "paid")
            }
            let regtest = TemporaryDirectory()
            defer { regtest.remove() }
            await #expect(throws: (any Error).self, "a regtest daemon refuses a testnet4 node") {
                _ = try await DaemonProcess(directory: regtest, config: RealBackendTests.lndConfig(sim.node("alice")))
            }
            let log = (try? String(contentsOfFile: regtest.file("t4gd.log"), encoding: .utf8)) ?? ""
            #expect(log.contains("network"))
        } finally: {
            await sim.stop()
        }
    }
}
