import BOLT11
import DevBackend
import Foundation
import LNDBackend
import LNbitsBackend
import Lightning
import Logging
import Secp256k1
import TestSupport
import Testing

/// The same contract against the dev backend, a real LNbits 1.6.2 and the LND simulator. Each test starts its
/// service on 127.0.0.1 and stops it, failure or not. Tests fail, never skip, when a service cannot start.
@Suite struct BackendContractTests {
    let logger = Logger(label: "contract")

    @Test func devBackend() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        func node() throws -> DevBackend {
            try DevBackend(
                configuration: .init(
                    ledgerPath: directory.file("ledger.sqlite"), network: .regtest,
                    startingBalance: MilliSatoshi(1_000_000_000), pollInterval: .milliseconds(10)),
                nodeKey: .random(), logger: logger)
        }
        let payee = try node()
        try await BackendContract.run(
            ContractSubject(
                name: "dev", payer: try node(), payee: payee, network: .regtest,
                payeeKey: try await payee.nodeInfo().pubkey, cancels: true, revealsPreimage: true))
    }

    @Test(.timeLimit(.minutes(8))) func lnbits() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let service = try await LNbitsService.start()
        let ready = clock.now
        try await withCleanup {
            let payerWallet = try await service.createWallet("A")
            let payeeWallet = try await service.createWallet("B")
            try await service.fund(payerWallet, sats: 100_000)
            let payer = lnbitsBackend(service, payerWallet)
            let payee = lnbitsBackend(service, payeeWallet)
            try await withCleanup {
                try await payer.start()
                try await payee.start()
                let info = try await payer.nodeInfo()
                #expect(
                    info.pubkey == nil && info.blockHeight == nil && info.synced == nil,
                    "LNbits cannot know the node's identity, height or sync state: \(info)")
                try await BackendContract.run(
                    ContractSubject(
                        name: "lnbits", payer: payer, payee: payee, network: .mainnet,
                        payeeKey: LNbitsService.fakeWalletKey, cancels: false, revealsPreimage: false))
                try await lnbitsRefusals(service, payerWallet, payee)
                try await lnbitsOwnInvoiceLookup(service, payerWallet)
            } finally: {
                await payer.shutdown()
                await payee.shutdown()
            }
        } finally: {
            await service.stop()
        }
        print("LNbits timings: start \(ready - started), contract and refusals \(clock.now - ready)")
    }

    private func lnbitsBackend(
        _ service: LNbitsService, _ wallet: LNbitsService.Wallet, invoiceKey: String? = nil, adminKey: String?? = nil,
        network: Network = .mainnet, baseURL: String? = nil,
        ownInvoiceCheck: LNbitsBackend.Configuration.OwnInvoiceCheck = .lnbits, logger: Logger? = nil
    ) -> LNbitsBackend {
        // By default the backend itself refuses the wallet's own invoice, as the contract expects.
        LNbitsBackend(
            configuration: .init(
                baseURL: baseURL ?? service.url, invoiceKey: invoiceKey ?? wallet.inkey,
                adminKey: adminKey ?? wallet.adminkey, network: network, requestTimeout: .seconds(10),
                pollInterval: .milliseconds(100), ownInvoiceCheck: ownInvoiceCheck),
            logger: logger ?? self.logger)
    }

    /// With `ownInvoiceCheck: .lnbits`, `pay` looks an invoice up (`GET /api/v1/payments/{hash}`, to refuse the
    /// wallet's own) only while it may be LNbits' own: signed by FakeWallet's key once the backend has seen that
    /// key, or any before. An invoice of another node is then sent at once (and LNbits refuses it: FakeWallet
    /// pays only its own invoices). With the default (`.store`) nothing is looked up, and LNbits pays the
    /// wallet's own invoice internally: the balance does not move.
    private func lnbitsOwnInvoiceLookup(_ service: LNbitsService, _ wallet: LNbitsService.Wallet) async throws {
        let lines = RecordingLogHandler.Lines()
        let checking = lnbitsBackend(service, wallet, logger: RecordingLogHandler.logger(lines))
        let trusting = lnbitsBackend(
            service, wallet, ownInvoiceCheck: .store, logger: RecordingLogHandler.logger(lines))
        try await withCleanup {
            func foreignInvoice() throws -> (bolt11: String, hash: PaymentHash) {
                let hash = Preimage.random().paymentHash
                let bolt11 = try InvoiceFields(
                    network: .mainnet, amountMsat: 5_000, timestamp: UInt64(Date().timeIntervalSince1970),
                    paymentHash: hash.bytes, paymentSecret: Preimage.random().paymentHash.bytes,
                    description: "another node"
                ).encode(signingWith: .random())
                return (bolt11, hash)
            }
            func lookedUp(_ hash: PaymentHash) -> Bool {
                lines.all.contains { $0.contains("/api/v1/payments/\(hash.hex)") }
            }
            let first = try foreignInvoice()
            #expect(try await BackendContract.pay(checking, first.bolt11) == .failed(.noRoute))
            #expect(lookedUp(first.hash), "no key known yet: looked up")
            let own = try await checking.createInvoice(BackendContract.request(1_000, "own"))
            let second = try foreignInvoice()
            #expect(try await BackendContract.pay(checking, second.bolt11) == .failed(.noRoute))
            #expect(!lookedUp(second.hash), "another node's invoice: sent at once")
            await BackendContract.expectError(.selfPayment) { try await BackendContract.pay(checking, own.bolt11) }
            #expect(lookedUp(own.paymentHash))

            let before = try await trusting.balance().balance
            let ownAgain = try await trusting.createInvoice(BackendContract.request(2_000, "own, not checked"))
            guard case .succeeded = try await BackendContract.pay(trusting, ownAgain.bolt11) else {
                Issue.record("LNbits did not pay the wallet's own invoice internally")
                return
            }
            #expect(!lookedUp(ownAgain.paymentHash), "the default sends at once")
            #expect(try await trusting.balance().balance == before, "a self-payment moves no money")
        } finally: {
            await checking.shutdown()
            await trusting.shutdown()
        }
    }

    /// What LNbits refuses: paying without the admin key, an invoice key as admin key, an unknown key (which
    /// must not show in the error), another network; and a backend nobody listens on.
    private func lnbitsRefusals(
        _ service: LNbitsService, _ wallet: LNbitsService.Wallet, _ payee: LNbitsBackend
    ) async throws {
        let invoice = try await payee.createInvoice(BackendContract.request(1_000, "read-only"))
        let readOnly = lnbitsBackend(service, wallet, adminKey: .some(nil))
        await BackendContract.expectError(.unauthorized) { try await BackendContract.pay(readOnly, invoice.bolt11) }
        await readOnly.shutdown()

        let swapped = lnbitsBackend(service, wallet, adminKey: wallet.inkey)
        await BackendContract.expectError(.unauthorized) { try await swapped.start() }
        await swapped.shutdown()

        let wrongKey = String(repeating: "ab", count: 16)
        let stranger = lnbitsBackend(service, wallet, invoiceKey: wrongKey, adminKey: .some(nil))
        do {
            try await stranger.start()
            Issue.record("a wrong key was accepted")
        } catch {
            #expect(error.code == .unauthorized)
            #expect(!error.description.contains(wrongKey))
        }
        await stranger.shutdown()

        let regtest = lnbitsBackend(service, wallet, network: .regtest)
        await BackendContract.expectError(.networkMismatch) {
            try await regtest.createInvoice(BackendContract.request(1_000, "wrong network"))
        }
        await regtest.shutdown()

        let down = lnbitsBackend(service, wallet, baseURL: "http://127.0.0.1:9")
        await BackendContract.expectError(.unavailable) { try await down.balance() }
        await down.shutdown()
    }

    @Test(.timeLimit(.minutes(3))) func lndSimulator() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let sim = try await LNDSimService.start(["--nodes", "alice,bob", "--channel", "alice:bob:1000000"])
        let ready = clock.now
        let lines = RecordingLogHandler.Lines()
        let revealed = try await withCleanup {
            try await sim.withBackends(
                [sim.configuration("alice"), sim.configuration("bob")], logger: RecordingLogHandler.logger(lines)
            ) { backends in
                try await BackendContract.run(
                    ContractSubject(
                        name: "lnd", payer: backends[0], payee: backends[1], network: .regtest,
                        payeeKey: sim.node("bob").pubkey, cancels: true, revealsPreimage: true))
            }
        } finally: {
            await sim.stop()
        }
        #expect(lines.all.contains { $0.contains("LND backend ready") })
        for node in sim.state.nodes.values {
            #expect(!lines.all.contains { $0.contains(node.admin_macaroon_hex) }, "a macaroon was logged")
        }
        for preimage in revealed {
            #expect(!lines.all.contains { $0.contains(preimage.hex) }, "a preimage was logged")
        }
        if ProcessInfo.processInfo.environment["T4G_SHOW_BACKEND_LOG"] != nil { lines.all.forEach { print("LOG", $0) } }
        print("LND simulator timings: start \(ready - started), contract \(clock.now - ready)")
    }
}

extension LNDSimService {
    /// A backend configuration for `node` with its admin macaroon.
    func configuration(
        _ node: String, requestTimeout: Duration = .seconds(10), network: Network = .regtest,
        macaroonPath: String? = nil, tlsCertPath: String? = nil
    ) -> LNDBackend.Configuration {
        let node = self.node(node)
        return LNDBackend.Configuration(
            restURL: node.url, tlsCertPath: tlsCertPath ?? node.tls_cert,
            macaroonPath: macaroonPath ?? node.admin_macaroon,
            network: network, requestTimeout: requestTimeout, paymentTimeout: .seconds(30))
    }

    /// Connects one backend per configuration, runs `body` with them, and shuts them all down, failure or not.
    func withBackends<T>(
        _ configurations: [LNDBackend.Configuration], logger: Logger, _ body: ([LNDBackend]) async throws -> T
    ) async throws -> T {
        var backends: [LNDBackend] = []
        return try await withCleanup {
            for configuration in configurations {
                backends.append(try await LNDBackend.connect(configuration: configuration, logger: logger))
            }
            return try await body(backends)
        } finally: {
            for backend in backends { await backend.shutdown() }
        }
    }
}

extension LNbitsService {
    /// The key FakeWallet signs its invoices with (from its default secret, `lnbits-regtest.md` §4).
    static let fakeWalletKey = "02b3cfa77350f0b6c53a207c98d229983a2d9906bf75bd3ce5ec2c52d8dbc7a991"
}
