import GRDB
import Lightning

extension DevBackend {
    /// Pays a dev-network invoice in one ledger transaction: checks, debit, credit, fee, settlement.
    func payNow(_ request: PaymentRequest) async throws(BackendError) -> PaymentOutcome {
        let hash = PaymentHash(bytes: request.invoice.fields.paymentHash)!
        let payee = request.invoice.payee.compressed.hex
        let amount = request.amount
        let now = clock()
        guard payee != pubkey else { throw BackendError(.selfPayment, "the invoice is this node's own") }
        // Checked: an amount near 21 million bitcoin times the fee rate must fail the payment, not trap.
        guard
            let fee = amount.partsPerMillion(configuration.feeProportionalMillionths)?.adding(configuration.feeBase),
            let debit = amount.adding(fee)
        else { return .failed(.noRoute) }
        return try await write("pay") { [pubkey] database -> PaymentOutcome in
            guard
                let invoice = try Row.fetchOne(
                    database, sql: "SELECT * FROM invoices WHERE payment_hash = ? AND payee = ?",
                    arguments: [hash.hex, payee])
            else { return .failed(.noRoute) }
            switch Self.state(of: invoice, now: now).status {
            case .paid: throw BackendError(.alreadyPaid, "the invoice is already paid")
            case .expired: return .failed(.invoiceExpired)
            case .canceled: return .failed(.incorrectPaymentDetails)
            case .open: break
            }
            if let requested = invoice["amount_msat"] as Int64?, amount.rawValue < requested {
                return .failed(.incorrectPaymentDetails)
            }
            guard fee <= request.maxFee else { return .failed(.noRoute) }
            // SQLite turns an overflowing integer sum into a float: the payee's balance must have room.
            let payeeBalance =
                try Int64.fetchOne(database, sql: "SELECT balance_msat FROM nodes WHERE pubkey = ?", arguments: [payee])
                ?? 0
            guard MilliSatoshi(payeeBalance).adding(amount) != nil else { return .failed(.noRoute) }
            try database.execute(
                sql: "UPDATE nodes SET balance_msat = balance_msat - ? WHERE pubkey = ? AND balance_msat >= ?",
                arguments: [debit.rawValue, pubkey, debit.rawValue])
            guard database.changesCount == 1 else { return .failed(.insufficientBalance) }
            try database.execute(
                sql: "UPDATE nodes SET balance_msat = balance_msat + ? WHERE pubkey = ?",
                arguments: [amount.rawValue, payee])
            try database.execute(
                sql: "UPDATE fees SET collected_msat = collected_msat + ? WHERE id = 1", arguments: [fee.rawValue])
            try database.execute(
                sql: """
                    UPDATE invoices SET status = 'paid', paid_at = ?, amount_received_msat = ?,
                        settle_index = (SELECT coalesce(max(settle_index), 0) + 1 FROM invoices)
                    WHERE payment_hash = ?
                    """,
                arguments: [now, amount.rawValue, hash.hex])
            try database.execute(
                sql:
                    "INSERT INTO payments (payment_hash, payer, amount_msat, fee_msat, paid_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [hash.hex, pubkey, amount.rawValue, fee.rawValue, now])
            guard let preimage = Preimage(hex: invoice["preimage"]) else {
                throw BackendError(.failure, "dev ledger holds a malformed preimage")
            }
            return .succeeded(preimage: preimage, fee: fee)
        }
    }

    func ledgerPayment(for paymentHash: PaymentHash) async throws(BackendError) -> PaymentOutcome? {
        try read("read the payment") { database -> PaymentOutcome? in
            guard
                let row = try Row.fetchOne(
                    database,
                    sql: """
                        SELECT p.fee_msat, i.preimage FROM payments p JOIN invoices i USING (payment_hash)
                        WHERE p.payment_hash = ? AND p.payer = ?
                        """,
                    arguments: [paymentHash.hex, pubkey]),
                let preimage = Preimage(hex: row["preimage"])
            else { return nil }
            return .succeeded(preimage: preimage, fee: MilliSatoshi(rawValue: row["fee_msat"]))
        }
    }
}
