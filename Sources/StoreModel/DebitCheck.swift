/// The decision to debit or hold an amount on an account, made by both engines inside the write transaction
/// that then moves the money, from the account's row (locked on PostgreSQL) and its recent spending: the
/// check and the debit are one atomic step.
package struct DebitCheck: Sendable {
    /// The length of the rolling spend window.
    package static let window: Int64 = 86_400

    /// What is being debited.
    package enum Purpose: Sendable {
        /// An outgoing payment (its amount `X`, held with the fee cap): `max_payment_msat` applies to `X`.
        case payment(amount: Int64)
        /// A transfer to another account.
        case transfer
    }

    /// The account and its balance row; its `spentLastDay` is the sum of ``recentSpends``.
    package var state: AccountState
    /// The account's spends inside the window, as (time, amount): postings of payments and outgoing transfers,
    /// and open holds. SQLite reads them only when ``needsRecentSpends(_:)`` says so (else they are empty and
    /// `state.spentLastDay` is zero): they grow with the account's activity, and its check runs inside the
    /// store's one write transaction.
    package var recentSpends: [(at: Int64, amount: Int64)]

    package init(state: AccountState, recentSpends: [(at: Int64, amount: Int64)]) {
        self.state = state
        self.recentSpends = recentSpends
    }

    /// Whether the check of `account` reads its spends of the last 24 hours: only a caller's account with a
    /// daily limit is checked against them.
    package static func needsRecentSpends(_ account: AccountRecord) -> Bool {
        account.limits.dailySpend != nil && !AccountRecord.isSystem(account.id)
    }

    /// Why debiting `amount` at `now` for `purpose` is refused, or `nil` when it is allowed. System accounts
    /// (`@treasury`) keep the daemon's behaviour without accounts: no balance check (the node's own shortage is
    /// the backend's `insufficient_balance`) and no limits.
    package func refusal(of amount: Int64, for purpose: Purpose, now: Int64) -> LedgerRefusal? {
        let account = state.account
        guard account.status == .open else { return .accountFrozen(account.id, account.status) }
        if AccountRecord.isSystem(account.id) { return nil }
        if case .payment(let paid) = purpose, let maximum = account.limits.maxPayment, paid > maximum.rawValue {
            return .limitExceeded(limit: "max_payment_msat", retryAfterSeconds: nil)
        }
        if let daily = account.limits.dailySpend?.rawValue,
            let refusal = Self.dailyRefusal(limit: daily, spends: recentSpends, amount: amount, now: now)
        {
            return refusal
        }
        if state.available < amount { return .insufficientFunds(available: state.available) }
        return nil
    }

    /// `nil` when `amount` fits under the daily `limit` beside the spends of the last 24 hours; else the
    /// refusal, with the seconds until enough of them leave the window (none when `amount` alone is over).
    static func dailyRefusal(limit: Int64, spends: [(at: Int64, amount: Int64)], amount: Int64, now: Int64)
        -> LedgerRefusal?
    {
        let inWindow = spends.filter { $0.at > now - window }.sorted { $0.at < $1.at }
        var spent = inWindow.reduce(0) { $0 + $1.amount }
        guard spent + amount > limit else { return nil }
        var retryAfter: Int64?
        if amount <= limit {
            for spend in inWindow {
                spent -= spend.amount
                if spent + amount <= limit {
                    retryAfter = max(1, spend.at + window - now)
                    break
                }
            }
        }
        return .limitExceeded(limit: "daily_spend_msat", retryAfterSeconds: retryAfter)
    }
}
