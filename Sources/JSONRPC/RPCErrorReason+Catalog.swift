extension RPCErrorReason {
    /// Every reason in the catalog, ordered by area and code; `docs/rpc-errors.md` lists the same rows.
    public static let all: [RPCErrorReason] = [
        parseError, invalidRequest, methodNotFound, invalidParams, internalError,
        overloaded, shuttingDown, rateLimited, requestTooLarge, batchTooLarge, tooManyConnections, idleTimeout,
        backupFailed, backupPathRefused,
        unauthorized,
        invoiceNotFound, labelConflict, invalidBolt11, networkMismatch, invoiceExpired, amountRequired,
        amountNotAllowed, invoiceNotOpen, invalidAmount, rateUnavailable,
        alreadyPaid, paymentInFlight, insufficientBalance, noRoute, selfPayment, paymentNotFound, paymentFailed,
        paymentTimeout, incorrectPaymentDetails, idempotencyConflict, invoiceNotPayable,
        proofNotFound, proofInvalid, notOwner, transferPending, doubleTransfer, invalidProofSignature,
        transitionNotFound, proofRevoked, notRevocable, notAttester,
        backendUnavailable, backendError, backendTimeout, unsupportedByBackend,
        accountNotFound, accountFrozen, accountConflict, insufficientFunds, limitExceeded,
    ]

    // MARK: standard

    /// `parse_error` (-32700).
    public static let parseError = Self(
        name: "parse_error", code: -32700, area: .standard, message: "Parse error",
        summary: "The line is not one valid JSON text (RFC 8259: UTF-8, no duplicate keys, nesting within the limit)."
    )
    /// `invalid_request` (-32600).
    public static let invalidRequest = Self(
        name: "invalid_request", code: -32600, area: .standard, message: "Invalid request",
        summary: "Not a JSON-RPC 2.0 request: `jsonrpc` is not \"2.0\", `method` is not a string, `id` is not a"
            + " string or integer, `params` is not an object, or the batch is empty."
    )
    /// `method_not_found` (-32601).
    public static let methodNotFound = Self(
        name: "method_not_found", code: -32601, area: .standard, message: "Method not found",
        summary: "No method has this name."
    )
    /// `invalid_params` (-32602).
    public static let invalidParams = Self(
        name: "invalid_params", code: -32602, area: .standard, message: "Invalid params",
        summary: "A parameter is missing, unknown, of the wrong type or out of range (amounts must be integers);"
            + " also positional (array) params."
    )
    /// `internal_error` (-32603).
    public static let internalError = Self(
        name: "internal_error", code: -32603, area: .standard, message: "Internal error",
        summary: "An unexpected failure; details are only in the daemon log under the request id."
    )

    // MARK: daemon

    /// `overloaded` (100).
    public static let overloaded = Self(
        name: "overloaded", code: 100, area: .daemon, message: "Too many requests in flight",
        dataFields: ["retry_after_s"],
        summary: "The connection, or the daemon as a whole, already has the maximum number of requests in flight."
    )
    /// `shutting_down` (101).
    public static let shuttingDown = Self(
        name: "shutting_down", code: 101, area: .daemon, message: "The daemon is shutting down",
        summary: "A request arrived during graceful shutdown; also sent (id null) just before the daemon closes"
            + " a connection at shutdown."
    )
    /// `rate_limited` (102).
    public static let rateLimited = Self(
        name: "rate_limited", code: 102, area: .daemon, message: "Rate limit exceeded",
        dataFields: ["retry_after_s"],
        summary: "The caller sent more requests than its rate allows."
    )
    /// `request_too_large` (103).
    public static let requestTooLarge = Self(
        name: "request_too_large", code: 103, area: .daemon, message: "Request line too long",
        dataFields: ["max_bytes"],
        summary: "A line is longer than the maximum; sent with id null, then the connection is closed."
    )
    /// `batch_too_large` (104).
    public static let batchTooLarge = Self(
        name: "batch_too_large", code: 104, area: .daemon, message: "Batch has too many requests",
        dataFields: ["max_batch"],
        summary: "A batch holds more requests than the maximum; sent once, with id null, for the whole batch."
    )
    /// `too_many_connections` (105).
    public static let tooManyConnections = Self(
        name: "too_many_connections", code: 105, area: .daemon, message: "Too many open connections",
        dataFields: ["max_connections"],
        summary: "The daemon already serves the maximum number of connections; sent with id null, then closed."
    )
    /// `idle_timeout` (106).
    public static let idleTimeout = Self(
        name: "idle_timeout", code: 106, area: .daemon, message: "Connection idle for too long",
        dataFields: ["idle_timeout_s", "request_timeout_s"],
        summary: "Nothing was received, no request was in flight and nothing was subscribed for the idle timeout,"
            + " or a request line did not arrive whole within the request timeout; sent with id null, then closed."
    )

    /// `backup_failed` (107).
    public static let backupFailed = Self(
        name: "backup_failed", code: 107, area: .daemon, message: "Backup failed",
        summary: "`daemon.backup` could not write or check the copy (permissions, disk full, integrity check);"
            + " no partial file is left."
    )

    /// `backup_path_refused` (108).
    public static let backupPathRefused = Self(
        name: "backup_path_refused", code: 108, area: .daemon, message: "Backup path outside the backup directory",
        dataFields: ["backup_dir"],
        summary: "`daemon.backup` writes only inside the configured backup directory (`daemon.backup_dir`, default"
            + " `DATA_DIR/backups`); `backup_dir` is where."
    )

    // MARK: auth

    /// `unauthorized` (200).
    public static let unauthorized = Self(
        name: "unauthorized", code: 200, area: .auth, message: "Not authorized",
        summary: "The caller's role (from its peer uid/gid) does not allow this method; a peer with no role at all"
            + " gets it with id null at connect, then is closed."
    )

    // MARK: invoice

    /// `invoice_not_found` (300).
    public static let invoiceNotFound = Self(
        name: "invoice_not_found", code: 300, area: .invoice, message: "Invoice not found",
        summary: "No invoice has this payment hash or label."
    )
    /// `label_conflict` (301).
    public static let labelConflict = Self(
        name: "label_conflict", code: 301, area: .invoice, message: "Label already used with other parameters",
        dataFields: ["existing"],
        summary: "`invoice.create` with an existing label but different parameters; `existing` is the invoice that"
            + " holds the label, as `invoice.get` returns it."
    )
    /// `invalid_bolt11` (302).
    public static let invalidBolt11 = Self(
        name: "invalid_bolt11", code: 302, area: .invoice, message: "Invalid BOLT11 invoice",
        dataFields: ["cause"],
        summary: "The invoice string does not decode or its signature does not verify; `cause` is the decoder's reason."
    )
    /// `network_mismatch` (303).
    public static let networkMismatch = Self(
        name: "network_mismatch", code: 303, area: .invoice, message: "Invoice is for another network",
        summary: "The invoice's network differs from the daemon's."
    )
    /// `invoice_expired` (304).
    public static let invoiceExpired = Self(
        name: "invoice_expired", code: 304, area: .invoice, message: "Invoice expired",
        summary: "Paying or waiting on an invoice past its expiry."
    )
    /// `amount_required` (305).
    public static let amountRequired = Self(
        name: "amount_required", code: 305, area: .invoice, message: "Amount required",
        summary: "Paying an any-amount invoice without `amount_msat`."
    )
    /// `amount_not_allowed` (306).
    public static let amountNotAllowed = Self(
        name: "amount_not_allowed", code: 306, area: .invoice, message: "Amount not allowed",
        summary: "`amount_msat` given for an invoice that has its own amount."
    )
    /// `invoice_not_open` (307).
    public static let invoiceNotOpen = Self(
        name: "invoice_not_open", code: 307, area: .invoice, message: "Invoice is not open",
        summary: "Canceling (or otherwise changing) an invoice that is already paid, expired or canceled."
    )
    /// `invalid_amount` (308).
    public static let invalidAmount = Self(
        name: "invalid_amount", code: 308, area: .invoice, message: "Invalid amount",
        summary: "An amount is zero, negative, too large, or both `amount_msat` and `amount_sat` are given."
    )
    /// `rate_unavailable` (309).
    public static let rateUnavailable = Self(
        name: "rate_unavailable", code: 309, area: .invoice, message: "No exchange rate",
        dataFields: ["retry_after_s"],
        summary: "A fiat amount cannot be converted: no rate source quotes the currency, or too few sources have a"
            + " fresh quote, or they disagree by more than the configured spread (`retry_after_s`: the next poll)."
    )

    // MARK: payment

    /// `already_paid` (400).
    public static let alreadyPaid = Self(
        name: "already_paid", code: 400, area: .payment, message: "Already paid",
        dataFields: ["existing"],
        summary: "The backend says this invoice is already paid (not by this daemon), or an invoice of this daemon"
            + " was paid over Lightning before an account of it could pay it inside; the daemon never pays twice;"
            + " `existing` is this daemon's payment record, as `payment.get` returns it."
    )
    /// `payment_in_flight` (401).
    public static let paymentInFlight = Self(
        name: "payment_in_flight", code: 401, area: .payment, message: "Payment already in flight",
        summary: "A payment for this payment hash is still pending."
    )
    /// `insufficient_balance` (402).
    public static let insufficientBalance = Self(
        name: "insufficient_balance", code: 402, area: .payment, message: "Insufficient balance",
        summary: "The wallet cannot cover amount plus maximum fee."
    )
    /// `no_route` (403).
    public static let noRoute = Self(
        name: "no_route", code: 403, area: .payment, message: "No route found",
        summary: "The backend found no route to the payee within the fee limit."
    )
    /// `self_payment` (404).
    public static let selfPayment = Self(
        name: "self_payment", code: 404, area: .payment, message: "Cannot pay own invoice",
        summary: "The invoice was created by this daemon for the paying account, or issued by its own node or"
            + " wallet outside this daemon's invoice book."
    )
    /// `payment_not_found` (405).
    public static let paymentNotFound = Self(
        name: "payment_not_found", code: 405, area: .payment, message: "Payment not found",
        summary: "No payment has this payment hash."
    )
    /// `payment_failed` (406).
    public static let paymentFailed = Self(
        name: "payment_failed", code: 406, area: .payment, message: "Payment failed",
        summary: "The payment failed for a reason without its own code; the payment object says why."
    )
    /// `payment_timeout` (407).
    public static let paymentTimeout = Self(
        name: "payment_timeout", code: 407, area: .payment, message: "Payment timed out",
        summary: "`timeout_s` passed before the payment settled."
    )
    /// `incorrect_payment_details` (408).
    public static let incorrectPaymentDetails = Self(
        name: "incorrect_payment_details", code: 408, area: .payment, message: "Incorrect payment details",
        summary: "The payee rejected the payment (unknown payment hash, wrong amount or CLTV)."
    )
    /// `idempotency_conflict` (409).
    public static let idempotencyConflict = Self(
        name: "idempotency_conflict", code: 409, area: .payment, message: "Idempotency key reused",
        dataFields: ["existing"],
        summary: "`idempotency_key` was already used with other parameters (`payment.send`: another bolt11, amount"
            + " or fee cap; `proof.create`, `proof.transfer`: other params); `existing` is the object the first"
            + " call wrote (payment, proof, or transfer answer)."
    )
    /// `invoice_not_payable` (410).
    public static let invoiceNotPayable = Self(
        name: "invoice_not_payable", code: 410, area: .payment, message: "Invoice refused by payer rules",
        dataFields: ["cause"],
        summary: "The invoice decodes but the current spec's payer rules refuse it (for example no payment secret)."
    )

    // MARK: proof

    /// `proof_not_found` (500).
    public static let proofNotFound = Self(
        name: "proof_not_found", code: 500, area: .proof, message: "Proof not found",
        summary: "No proof has this id."
    )
    /// `proof_invalid` (501).
    public static let proofInvalid = Self(
        name: "proof_invalid", code: 501, area: .proof, message: "Proof invalid",
        dataFields: ["failed_rules"],
        summary: "Validation failed; `failed_rules` lists every rule that did not hold."
    )
    /// `not_owner` (502).
    public static let notOwner = Self(
        name: "not_owner", code: 502, area: .proof, message: "Not the proof owner",
        summary: "The caller's key does not own the proof."
    )
    /// `transfer_pending` (503).
    public static let transferPending = Self(
        name: "transfer_pending", code: 503, area: .proof, message: "Transfer pending",
        dataFields: ["existing"],
        summary: "The proof has a transfer to another owner waiting for payment; `existing` is the proof, as"
            + " `proof.get` returns it."
    )
    /// `double_transfer` (504).
    public static let doubleTransfer = Self(
        name: "double_transfer", code: 504, area: .proof, message: "Proof already transferred",
        summary: "The proof state was already spent by another transition."
    )
    /// `invalid_proof_signature` (505).
    public static let invalidProofSignature = Self(
        name: "invalid_proof_signature", code: 505, area: .proof, message: "Invalid proof signature",
        summary: "A BIP340 signature on the proof or transition does not verify."
    )
    /// `transition_not_found` (506).
    public static let transitionNotFound = Self(
        name: "transition_not_found", code: 506, area: .proof, message: "Transition not found",
        summary: "No transition has this id."
    )
    /// `proof_revoked` (507).
    public static let proofRevoked = Self(
        name: "proof_revoked", code: 507, area: .proof, message: "Proof revoked",
        summary: "The issuer revoked the proof; it can no longer move, be redeemed or be revoked again."
    )
    /// `not_revocable` (508).
    public static let notRevocable = Self(
        name: "not_revocable", code: 508, area: .proof, message: "Proof not revocable",
        summary: "The proof was not issued revocable, or this daemon is not its issuer."
    )
    /// `not_attester` (509).
    public static let notAttester = Self(
        name: "not_attester", code: 509, area: .proof, message: "Not an attester",
        summary: "The key is not an attester of the proof, or has already attested it."
    )

    // MARK: backend

    /// `backend_unavailable` (600).
    public static let backendUnavailable = Self(
        name: "backend_unavailable", code: 600, area: .backend, message: "Lightning backend unavailable",
        dataFields: ["retry_after_s"],
        summary: "The backend cannot be reached right now."
    )
    /// `backend_error` (601).
    public static let backendError = Self(
        name: "backend_error", code: 601, area: .backend, message: "Lightning backend error",
        summary: "The backend answered with an error the daemon has no better code for."
    )
    /// `backend_timeout` (602).
    public static let backendTimeout = Self(
        name: "backend_timeout", code: 602, area: .backend, message: "Lightning backend timed out",
        summary: "The backend did not answer in time; the operation may still complete."
    )
    /// `unsupported_by_backend` (603).
    public static let unsupportedByBackend = Self(
        name: "unsupported_by_backend", code: 603, area: .backend, message: "Not supported by this backend",
        summary: "The configured backend cannot do this (for example cancel an invoice)."
    )

    // MARK: accounts

    /// `account_not_found` (700).
    public static let accountNotFound = Self(
        name: "account_not_found", code: 700, area: .accounts, message: "Account not found",
        summary: "No account has this id (`account.*`, or the `account` of an invoice, payment or transfer)."
    )
    /// `account_frozen` (701).
    public static let accountFrozen = Self(
        name: "account_frozen", code: 701, area: .accounts, message: "Account cannot send",
        dataFields: ["status"],
        summary: "The paying or transferring account is `frozen` (it can still receive) or `closed` (it cannot"
            + " receive either); `status` is which."
    )
    /// `account_conflict` (702).
    public static let accountConflict = Self(
        name: "account_conflict", code: 702, area: .accounts, message: "Account conflict",
        dataFields: ["existing"],
        summary: "`account.create` with an existing id but other parameters (`existing` is that account, as"
            + " `account.get` returns it); or `account.close`/`account.update` of an account that still has money,"
            + " holds or open invoices, or is closed."
    )
    /// `insufficient_funds` (703).
    public static let insufficientFunds = Self(
        name: "insufficient_funds", code: 703, area: .accounts, message: "Insufficient funds in the account",
        dataFields: ["available_msat"],
        summary: "The account's available balance (balance less holds) cannot cover the transfer, or the payment's"
            + " amount plus fee cap; the node's own shortage stays `insufficient_balance`."
    )
    /// `limit_exceeded` (704).
    public static let limitExceeded = Self(
        name: "limit_exceeded", code: 704, area: .accounts, message: "Account limit exceeded",
        dataFields: ["limit", "retry_after_s"],
        summary: "A limit of the account refuses the amount: `limit` is `max_payment_msat` or `daily_spend_msat`;"
            + " for the rolling daily limit, `retry_after_s` is when enough of the last 24 hours' spending has"
            + " aged out (absent when the amount alone is over the limit)."
    )
}
