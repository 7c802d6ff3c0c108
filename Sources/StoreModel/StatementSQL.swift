import Lightning

/// The statement's SQL, the same text on both engines, in two parts read apart and merged by
/// ``StatementPosition``: the account's postings other than those of its own payments (``Part/postings``), and
/// its own payments of every status, each as one line (``Part/payments``). Each part is read newest first from
/// an index of `v14_statement_order` (postings by `(account, at, entry_id)`, payments by
/// `(account, created_at, payment_hash)`), from the cursor on, stopping after `limit + 1` matching lines: a page
/// reads the account's rows down to its last line (and those a filter the index does not hold steps over), not
/// the account's whole history. The totals read the account's rows in the filtered time range.
///
/// Numbered parameters, the same in both parts: `?1` account, `?2` kind, `?3` direction (`in`/`out`, postings)
/// or payment status (payments), `?4`…`?5` the time range (inclusive; a page's upper end is its cursor's time),
/// `?6` the cursor's tiebreak in that last second (`NULL`: every line of it), `?7` the limit. Totals read
/// `?1`…`?5`.
package enum StatementSQL {
    /// One of the two parts of a statement.
    package enum Part: Sendable, CaseIterable {
        case postings, payments

        /// One page of the part's lines, newest first (`limit + 1` rows, to tell whether another page follows).
        package var lines: String { "SELECT \(columns) \(tables) \(labels) \(conditions) \(page)" }

        /// The totals of the part's filtered range (every page): lines counted; what settled lines moved and
        /// pending ones hold, failed ones nothing.
        package var totals: String {
            """
            SELECT count(*) AS count,
                CAST(coalesce(sum(CASE WHEN status != 'failed' AND amount_msat > 0 THEN amount_msat END), 0)
                    AS BIGINT) AS in_msat,
                CAST(coalesce(sum(CASE WHEN status != 'failed' AND amount_msat < 0 THEN -amount_msat END), 0)
                    AS BIGINT) AS out_msat,
                CAST(coalesce(sum(fee_msat), 0) AS BIGINT) AS fees_msat
            FROM (SELECT \(amounts) \(tables) \(conditions)) AS line
            """
        }

        private var columns: String {
            switch self {
            case .postings:
                """
                e.id AS entry_id, e.kind, p.at, e.payment_hash, e.transfer_id, \(amounts),
                    (SELECT q.account FROM postings q WHERE q.entry_id = e.id AND q.account != p.account
                        ORDER BY q.account LIMIT 1) AS counterparty,
                    coalesce(i.label, t.memo) AS label, i.description, CAST(NULL AS TEXT) AS bolt11
                """
            case .payments:
                """
                e.id AS entry_id, coalesce(e.kind, 'payment') AS kind, pay.created_at AS at, pay.payment_hash,
                    CAST(NULL AS TEXT) AS transfer_id, \(amounts),
                    CASE WHEN e.id IS NULL THEN coalesce(i.account, '\(AccountRecord.node)')
                        ELSE (SELECT q.account FROM postings q WHERE q.entry_id = e.id AND q.account != pay.account
                            ORDER BY q.account LIMIT 1) END AS counterparty,
                    i.label, i.description, pay.bolt11
                """
            }
        }

        /// The columns the totals sum: `amount_msat` (signed), `fee_msat`, `status`.
        private var amounts: String {
            switch self {
            case .postings: "p.amount_msat, pay.fee_msat, 'settled' AS status"
            case .payments:
                """
                coalesce(p.amount_msat, -pay.amount_msat) AS amount_msat,
                    CASE WHEN e.id IS NULL THEN NULL ELSE pay.fee_msat END AS fee_msat,
                    CASE WHEN e.id IS NULL THEN pay.status ELSE 'settled' END AS status
                """
            }
        }

        /// The part's tables: what its lines and totals read. A payment of the account that succeeded is
        /// listed with its posting (read through `ledger_entries_payment`).
        private var tables: String {
            switch self {
            case .postings:
                """
                FROM postings p JOIN ledger_entries e ON e.id = p.entry_id
                LEFT JOIN payments pay ON e.kind IN ('payment', 'internal') AND pay.payment_hash = e.payment_hash
                """
            case .payments:
                """
                FROM payments pay
                LEFT JOIN ledger_entries e ON pay.status = 'succeeded' AND e.payment_hash = pay.payment_hash
                    AND e.kind IN ('payment', 'internal')
                LEFT JOIN postings p ON p.entry_id = e.id AND p.account = pay.account
                """
            }
        }

        /// What only the lines show: the invoice's label and description (and, for a payment in flight, its
        /// payee account), the transfer's memo.
        private var labels: String {
            switch self {
            case .postings:
                """
                LEFT JOIN invoices i ON e.kind IN ('invoice', 'internal') AND i.payment_hash = e.payment_hash
                LEFT JOIN transfers t ON t.transfer_id = e.transfer_id
                """
            case .payments:
                "LEFT JOIN invoices i ON i.payment_hash = pay.payment_hash AND (e.id IS NULL OR e.kind = 'internal')"
            }
        }

        /// The part's rows of the account within the filter and the time range. A payment that succeeded before
        /// `v9_accounts` has no posting (the opening entry holds it) and is not listed.
        private var conditions: String {
            switch self {
            case .postings:
                """
                WHERE p.account = ?1 AND (pay.payment_hash IS NULL OR pay.account != p.account)
                    AND (CAST(?2 AS TEXT) IS NULL OR e.kind = CAST(?2 AS TEXT))
                    AND (CAST(?3 AS TEXT) IS NULL OR (CAST(?3 AS TEXT) = 'in' AND p.amount_msat > 0)
                        OR (CAST(?3 AS TEXT) = 'out' AND p.amount_msat < 0))
                    AND p.at BETWEEN ?4 AND ?5
                """
            case .payments:
                """
                WHERE pay.account = ?1 AND (pay.status != 'succeeded' OR e.id IS NOT NULL)
                    AND (CAST(?2 AS TEXT) IS NULL OR coalesce(e.kind, 'payment') = CAST(?2 AS TEXT))
                    AND (CAST(?3 AS TEXT) IS NULL OR pay.status = CAST(?3 AS TEXT))
                    AND pay.created_at BETWEEN ?4 AND ?5
                """
            }
        }

        private var page: String {
            switch self {
            case .postings:
                """
                AND (p.at < ?5 OR CAST(?6 AS BIGINT) IS NULL OR p.entry_id < CAST(?6 AS BIGINT))
                ORDER BY p.at DESC, p.entry_id DESC LIMIT ?7
                """
            case .payments:
                """
                AND (pay.created_at < ?5 OR CAST(?6 AS TEXT) IS NULL OR pay.payment_hash < CAST(?6 AS TEXT))
                ORDER BY pay.created_at DESC, pay.payment_hash DESC LIMIT ?7
                """
            }
        }

        /// The position of one of the part's lines.
        func position(of line: StatementLine) throws -> StatementPosition {
            switch self {
            case .postings:
                guard let entry = line.entryID else { throw StoreError(.corruptRow, "a posting without its entry") }
                return StatementPosition(at: line.at, tiebreak: .entry(entry))
            case .payments:
                guard let hash = line.paymentHash else { throw StoreError(.corruptRow, "a payment without its hash") }
                return StatementPosition(at: line.at, tiebreak: .payment(hash))
            }
        }
    }

    /// The parts `filter` reads: no postings but payments' for a pending or failed status, no payments for money
    /// in or for a kind a payment cannot have.
    package static func parts(_ filter: StatementFilter) -> [Part] {
        Part.allCases.filter { part in
            switch part {
            case .postings: filter.status == nil || filter.status == .settled
            case .payments: filter.incoming != true && [nil, .payment, .internal].contains(filter.kind)
            }
        }
    }

    /// The parameters `?1`…`?7` of `part`'s page after `cursor` (`nil`: the first page).
    package static func lineArguments(
        _ part: Part, account: String, filter: StatementFilter, cursor: String?, limit: Int
    ) -> [StoreValue] {
        var arguments = totalsArguments(part, account: account, filter: filter)
        guard let after = cursor.flatMap(StatementPosition.init(cursor:)), after.at <= filter.to ?? .max else {
            return arguments + [.null, .integer(Int64(limit + 1))]
        }
        arguments[4] = .integer(after.at)
        let tiebreak: StoreValue =
            switch (part, after.tiebreak) {
            case (.postings, .entry(let entry)): .integer(entry)
            case (.postings, .payment): .null
            case (.payments, .payment(let hash)): .text(hash)
            case (.payments, .entry): .text("")
            }
        return arguments + [tiebreak, .integer(Int64(limit + 1))]
    }

    /// The parameters `?1`…`?5` of `part`'s totals.
    package static func totalsArguments(_ part: Part, account: String, filter: StatementFilter) -> [StoreValue] {
        let third: String? =
            switch part {
            case .postings: filter.incoming.map { $0 ? "in" : "out" }
            case .payments: filter.status.map { $0 == .settled ? PaymentStatus.succeeded.rawValue : $0.rawValue }
            }
        return [
            .text(account), filter.kind.map { .text($0.rawValue) } ?? .null, third.map(StoreValue.text) ?? .null,
            .integer(filter.from ?? .min), .integer(filter.to ?? .max),
        ]
    }

    /// The lines of one part's rows, each with its position.
    package static func lines(_ rows: [some StoreRow], of part: Part) throws
        -> [(line: StatementLine, position: StatementPosition)]
    {
        try rows.map { row in
            guard let kind = EntryKind(rawValue: try row.requiredText("kind")),
                let status = StatementStatus(rawValue: try row.requiredText("status"))
            else { throw StoreError(.corruptRow, "a statement line's kind or status does not decode") }
            let line = StatementLine(
                entryID: try row.integer("entry_id"), kind: kind, at: try row.requiredInteger("at"),
                amount: try row.requiredInteger("amount_msat"), counterparty: try row.text("counterparty"),
                paymentHash: try row.text("payment_hash"), transferID: try row.text("transfer_id"),
                fee: try row.integer("fee_msat"), label: try row.text("label"),
                description: try row.text("description"), bolt11: try row.text("bolt11"), status: status)
            return (line, try part.position(of: line))
        }
    }

    /// The page of the parts' lines (each read `limit + 1` at most, newest first), merged by position, with the
    /// cursor of the next page.
    package static func page(_ parts: [[(line: StatementLine, position: StatementPosition)]], limit: Int)
        -> Page<StatementLine>
    {
        var merged: [(line: StatementLine, position: StatementPosition)] = []
        var heads = parts.map { $0[...] }
        func newest(_ best: Int?, _ index: Int) -> Int? {
            guard let head = heads[index].first else { return best }
            guard let best, let current = heads[best].first else { return index }
            return head.position.isListed(before: current.position) ? index : best
        }
        while merged.count <= limit, let next = heads.indices.reduce(nil, newest) {
            merged.append(heads[next].removeFirst())
        }
        let shown = merged.prefix(limit)
        return Page(
            items: shown.map(\.line), nextCursor: merged.count > limit ? shown.last.map(\.position.cursor) : nil)
    }

    /// The totals of the parts' totals rows, in the columns of the wallet history's (an aggregate always answers
    /// one row; none reads as nothing in range).
    package static func totals(_ rows: [(some StoreRow)?]) throws -> WalletTotals {
        var totals = WalletTotals(incoming: .zero, outgoing: .zero, fees: .zero, count: 0)
        for case let row? in rows {
            let part = try WalletTotals(row: row)
            totals.incoming = MilliSatoshi(totals.incoming.rawValue + part.incoming.rawValue)
            totals.outgoing = MilliSatoshi(totals.outgoing.rawValue + part.outgoing.rawValue)
            totals.fees = MilliSatoshi(totals.fees.rawValue + part.fees.rawValue)
            totals.count += part.count
        }
        return totals
    }
}
