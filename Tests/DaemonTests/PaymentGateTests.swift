import Lightning
import Testing

@testable import Wallet

@Suite struct PaymentGateTests {
    @Test func overlappingSendsOfOneHashKeepItAttemptedUntilTheLastEnds() async {
        let gate = PaymentGate()
        let hash = Preimage.random().paymentHash
        await gate.beginAttempt(hash)
        await gate.beginAttempt(hash)  // a second send of the same invoice, answered "in flight"
        await gate.endAttempt(hash)
        #expect(await gate.isAttempting(hash), "the first send is still paying")
        await gate.endAttempt(hash)
        #expect(await !gate.isAttempting(hash))
        await gate.endAttempt(hash)  // an extra end changes nothing
        #expect(await !gate.isAttempting(hash))
    }
}
