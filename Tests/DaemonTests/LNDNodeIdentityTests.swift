import Foundation
import JSONRPC
import TestSupport
import Testing

/// The settle cursor belongs to one LND node: after the node comes back as a rebuilt one (new identity,
/// settle indexes from 1 again), its settlements are still recorded.
@Suite struct LNDNodeIdentityTests {
    @Test(.timeLimit(.minutes(3)))
    func aRebuiltNodeIsRescannedFromZero() async throws {
        try await RealBackendTests.withLNDPair { alice, bob, sim in
            func paid(_ description: String) async throws -> JSONValue {
                let invoice = try await bob.call(
                    "invoice.create", ["amount_msat": 5000, "description": .string(description)])
                _ = try await alice.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
                return try await bob.call(
                    "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 20])
            }
            for name in ["first", "second"] { #expect(try await paid(name).string("status") == "paid") }
            let before = sim.node("bob").pubkey
            let restarted = try await sim.control("/v1/restart", #"{"node":"bob"}"#)
            #expect(!restarted.contains(before), "the restarted node has a new identity")
            // The rebuilt node's first settlement has settle index 1, below the old node's cursor (2).
            #expect(try await paid("after the rebuild").string("status") == "paid")
            #expect(bob.log.contains("no settle cursor for this node"))
        }
    }
}
