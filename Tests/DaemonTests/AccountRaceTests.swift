import JSONRPC
import TestSupport
import Testing

/// One account spent through three instances of one wallet on PostgreSQL at once: the balance check and the
/// debit are one step, so no two instances can both spend the same money.
@Suite(.serialized) struct AccountRaceTests {
    /// What one spend costs the account: a 10,000 msat payment held with its exact route fee as the cap
    /// (the dev network charges 1,000 msat + 1,000 ppm), or a transfer of the same amount.
    static let paymentMsat: Int64 = 10_000
    static let feeMsat: Int64 = 1_010
    static let spendMsat = paymentMsat + feeMsat

    /// How one of the racing calls ended.
    enum Outcome: Equatable {
        case succeeded
        case refused(String)
        case failed(String)
    }

    @Test func fiftyConcurrentSpendsThroughThreeInstancesOfAnAccountThatAffordsTenLeaveExactlyTenPaid()
        async throws
    {
        try await DevNetwork.run(engine: "postgres") { network in
            let payee = try await network.daemon()
            let wallet = try await network.instances(3)
            _ = try await wallet[0].call("account.create", ["id": "race:source"])
            _ = try await wallet[1].call("account.create", ["id": "race:sink"])
            try await Self.fund("race:source", with: 10 * Self.spendMsat, on: wallet[2], from: payee)

            var invoices: [(bolt11: String, hash: String)] = []
            for _ in 0..<25 {
                let invoice = try await payee.call(
                    "invoice.create", ["amount_msat": .integer(Self.paymentMsat), "description": "account race"])
                invoices.append((invoice.string("bolt11"), invoice.string("payment_hash")))
            }
            let raceOver = StopFlag()
            let sampler = Task { [wallet] in
                try await Self.sampleLowestBalance(of: "race:source", on: wallet, until: raceOver)
            }
            let outcomes = await withTaskGroup(of: (Int, Outcome).self) { group in
                for index in 0..<50 {
                    group.addTask { [invoices] in
                        let instance = wallet[index % 3]
                        if index.isMultiple(of: 2) {
                            return (
                                index,
                                await Self.outcome(
                                    of: "payment.send", on: instance,
                                    [
                                        "bolt11": .string(invoices[index / 2].bolt11), "account": "race:source",
                                        "max_fee_msat": .integer(Self.feeMsat),
                                    ])
                            )
                        }
                        return (
                            index,
                            await Self.outcome(
                                of: "account.transfer", on: instance,
                                [
                                    "from": "race:source", "to": "race:sink", "amount_msat": .integer(Self.spendMsat),
                                    "idempotency_key": .string("race-\(index)"),
                                ])
                        )
                    }
                }
                return await group.reduce(into: [Int: Outcome]()) { $0[$1.0] = $1.1 }
            }
            raceOver.set()
            let lowest = try await sampler.value

            #expect(outcomes.values.filter { $0 == .succeeded }.count == 10, "\(outcomes.sorted { $0.key < $1.key })")
            #expect(outcomes.values.filter { $0 == .refused("insufficient_funds") }.count == 40)
            #expect(lowest.samples > 0 && lowest.balance >= 0 && lowest.available >= 0, "\(lowest)")

            let source = try await wallet[0].call("account.get", ["id": "race:source"])
            #expect(source.integer("balance_msat") == 0 && source.integer("held_msat") == 0)
            let transfers = outcomes.filter { $0.key % 2 == 1 && $0.value == .succeeded }.count
            let payments = 10 - transfers
            let sink = try await wallet[1].call("account.get", ["id": "race:sink"])
            #expect(sink.integer("balance_msat") == Int64(transfers) * Self.spendMsat)
            for index in outcomes.keys where index.isMultiple(of: 2) {
                let hash = invoices[index / 2].hash
                let expected = outcomes[index] == .succeeded ? "paid" : "open"
                var status = ""
                // The payee learns of a settlement from its own stream, just after the payer's payment succeeded.
                try? await eventually("invoice \(index / 2) is \(expected)", timeout: .seconds(30)) {
                    status = try await payee.call("invoice.get", ["payment_hash": .string(hash)]).string("status")
                    return status == expected
                }
                #expect(status == expected, "invoice \(index / 2)")
            }
            for instance in wallet {
                let audit = try await instance.call("ledger.audit")
                #expect(audit["clean"] == .bool(true), "\(audit)")
                #expect(audit.integer("liabilities_msat") == Int64(transfers) * Self.spendMsat)
            }
            #expect(payments + transfers == 10)
        }
    }

    /// Credits `account` on `wallet` with `amount` by an invoice of that account that `payer` pays.
    static func fund(_ account: String, with amount: Int64, on wallet: DaemonProcess, from payer: DaemonProcess)
        async throws
    {
        let invoice = try await wallet.call(
            "invoice.create", ["amount_msat": .integer(amount), "description": "funding", "account": .string(account)])
        _ = try await payer.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
        let paid = try await wallet.call(
            "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 15])
        #expect(paid.string("status") == "paid")
        #expect(try await wallet.call("account.get", ["id": .string(account)]).integer("balance_msat") == amount)
    }

    /// A call's outcome: success, a refusal by its reason name, or any other failure.
    static func outcome(of method: String, on instance: DaemonProcess, _ params: JSONObject) async -> Outcome {
        do {
            let answer = try await instance.call(method, params)
            if method == "payment.send" && answer.string("status") != "succeeded" {
                return .failed("payment \(answer.string("status"))")
            }
            return .succeeded
        } catch let error as RPCError {
            return .refused(error.reason.name)
        } catch {
            return .failed("\(error)")
        }
    }

    /// The lowest balance and available amount of `account` read round-robin through every instance until
    /// `stop` is set (at least once), and how many reads there were.
    static func sampleLowestBalance(of account: String, on instances: [DaemonProcess], until stop: StopFlag)
        async throws -> (samples: Int, balance: Int64, available: Int64)
    {
        var lowest = (samples: 0, balance: Int64.max, available: Int64.max)
        repeat {
            let state = try await instances[lowest.samples % instances.count].call(
                "account.get", ["id": .string(account)])
            lowest.samples += 1
            lowest.balance = min(lowest.balance, state.integer("balance_msat"))
            lowest.available = min(lowest.available, state.integer("available_msat"))
        } while !stop.isSet
        return lowest
    }
}
