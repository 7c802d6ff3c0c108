// Mode `accounts`: the speed of the accounts ledger (issue 18), each figure beside a baseline measured in the
// same run, in alternating rounds (baseline, subject, subject, baseline, ...):
//   1. account.transfer (1 msat around a ring of funded accounts, one account per client) against
//      invoice.create, on the same durable SQLite daemon;
//   2. account.get (of accounts that have just made those transfers) against daemon.info;
//   3. paid invoices between two daemons sharing a dev ledger, every invoice credited to an account and every
//      payment debited from one, against the same without accounts;
//   4. ledger.audit over the socket on a store of N postings (default 1,000,000): the accounts are created and
//      funded through the API, the history is a documented SQL seed of transfers (`seedTransfersSQL`), and the
//      baseline is the audit's two full scans of the postings run by the sqlite3 shell on the same file.
//
//   DaemonBench --t4gd PATH accounts [--duration S] [--rounds R] [--clients N] [--pay-workers N]
//       [--postings N] [--phases transfer,get,pay,audit]

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The integer value of `"key":123` in a compact JSON line.
func integerField(_ line: [UInt8], _ key: String) -> Int? {
    let text = String(decoding: line, as: UTF8.self)
    guard let range = text.range(of: "\"\(key)\":") else { return nil }
    return Int(text[range.upperBound...].prefix(while: { $0 == "-" || $0.isNumber }))
}

/// One request on a new connection; exits the run when the daemon does not answer as `expect` says.
@discardableResult
func callOnce(_ socket: String, _ method: String, _ params: String, expect: String) -> [UInt8] {
    guard let fd = connectUnix(socket) else { fail("connect \(socket) failed") }
    guard let reply = LineConnection(fd: fd).call(request(id: 1, method: method, params: params)),
        contains(reply, expect)
    else { fail("\(method) \(params) did not answer \(expect)") }
    return reply
}

/// The daemons of one run, in a temp dir: started with a dev ledger, stopped at the end.
final class AccountsLab {
    let root: String
    let t4gd: String
    private(set) var children: [String: Child] = [:]

    init(t4gd: String) {
        self.t4gd = t4gd
        root = "/tmp/t4gd-abench.\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Starts daemon `name` on the dev ledger `ledger`; returns its socket.
    @discardableResult
    func start(_ name: String, ledger: String) -> String {
        let dir = "\(root)/\(name)"
        try! FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let child = spawn(
            t4gd,
            [
                "--data-dir", dir, "--log-level", "warning", "--metrics-listen", "127.0.0.1:0", "--dev-ledger",
                "\(root)/\(ledger)",
            ], logFile: "\(dir).log", name: "t4gd \(name)")
        children[name] = child
        waitForSocket("\(dir)/t4gd.sock", child: child)
        return "\(dir)/t4gd.sock"
    }

    func stop(_ name: String) { children.removeValue(forKey: name)?.stop() }

    /// The SQLite store of daemon `name`.
    func storePath(_ name: String) -> String { "\(root)/\(name)/t4gd.sqlite" }

    func finish() {
        for child in children.values { child.stop() }
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Creates account `id` on `owner` and funds it with `msat` through a paid invoice from `funder`.
func createFundedAccount(_ id: String, owner: String, funder: String, msat: Int) {
    callOnce(owner, "account.create", "{\"id\":\"\(id)\"}", expect: "\"result\"")
    let invoice = callOnce(
        owner, "invoice.create", "{\"amount_msat\":\(msat),\"description\":\"fund\",\"account\":\"\(id)\"}",
        expect: "\"bolt11\"")
    guard let bolt11 = stringField(invoice, "bolt11") else { fail("no bolt11 for \(id)") }
    callOnce(funder, "payment.send", "{\"bolt11\":\"\(bolt11)\"}", expect: "\"status\":\"succeeded\"")
}

/// A worker that moves 1 msat from its account of `ring` to the next one, each call with a new idempotency key.
func transferWorker(socket: String, ring: [String]) -> (Int) -> (Int) -> String? {
    return { index in
        let run = UUID().uuidString.prefix(8)
        guard let fd = connectUnix(socket) else { fail("connect \(socket) failed") }
        let connection = LineConnection(fd: fd)
        let route = "\"from\":\"\(ring[index % ring.count])\",\"to\":\"\(ring[(index + 1) % ring.count])\""
        return { sequence in
            let params = "{\(route),\"amount_msat\":1,\"idempotency_key\":\"\(run)-\(index)-\(sequence)\"}"
            guard let reply = connection.call(request(id: sequence, method: "account.transfer", params: params)) else {
                return "connection lost"
            }
            return contains(reply, "\"transfer_id\"") ? nil : String(decoding: reply.prefix(300), as: UTF8.self)
        }
    }
}

/// A subject and its baseline measured in alternating rounds, pooled per side.
struct PairedRun {
    var label: String
    var baselineLabel: String
    var clients: Int
    var subject = LoadResult()
    var baseline = LoadResult()

    var ratio: Double { subject.rate / baseline.rate }

    static func pool(_ into: inout LoadResult, _ round: LoadResult) {
        into.operations += round.operations
        into.errors += round.errors
        into.seconds += round.seconds
        into.latencies += round.latencies
        if into.firstError == nil { into.firstError = round.firstError }
    }
}

/// Runs `rounds` rounds of `subject` and `baseline`, the order swapped each round.
func paired(
    _ label: String, against baselineLabel: String, clients: Int, rounds: Int, duration: Double,
    subject: @escaping (Int) -> (Int) -> String?, baseline: @escaping (Int) -> (Int) -> String?
) -> PairedRun {
    var run = PairedRun(label: label, baselineLabel: baselineLabel, clients: clients)
    for round in 0..<rounds {
        for isSubject in round % 2 == 0 ? [false, true] : [true, false] {
            let result = runLoad(clients: clients, duration: duration, makeWorker: isSubject ? subject : baseline)
            log(
                "  round \(round + 1) \(isSubject ? label : baselineLabel): \(fmt(result.rate)) /s, errors \(result.errors) \(result.firstError ?? "")"
            )
            if isSubject { PairedRun.pool(&run.subject, result) } else { PairedRun.pool(&run.baseline, result) }
        }
    }
    run.subject.latencies.sort()
    run.baseline.latencies.sort()
    return run
}

/// The documented seed of the audit phase: `count` transfer entries of 1 msat around the ring of
/// `accounts` funded accounts `seed:0`..., each with its two postings and its `transfers` row, spread over the
/// 30 days before `before` (older than the rolling spend window, as a long history is). `count` is a multiple
/// of `accounts`, so every account sends as much as it receives and its stored balance stays what its
/// postings say: the audit must find the store clean.
func seedTransfersSQL(count: Int, accounts: Int, before: Int) -> String {
    """
    PRAGMA synchronous = NORMAL;
    BEGIN;
    CREATE TEMP TABLE seed_base AS SELECT coalesce(max(id), 0) AS base FROM ledger_entries;
    WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < \(count - 1))
    INSERT INTO ledger_entries (id, kind, at, transfer_id)
        SELECT (SELECT base FROM seed_base) + 1 + n, 'transfer', \(before - 30 * 86_400) + n * \(30 * 86_400) / \(count),
            printf('5eed%028x', n) FROM k;
    INSERT INTO postings (entry_id, account, amount_msat, at)
        SELECT id, 'seed:' || ((id - (SELECT base FROM seed_base) - 1) % \(accounts)), -1, at FROM ledger_entries
        WHERE id > (SELECT base FROM seed_base)
        UNION ALL
        SELECT id, 'seed:' || ((id - (SELECT base FROM seed_base)) % \(accounts)), 1, at FROM ledger_entries
        WHERE id > (SELECT base FROM seed_base);
    INSERT INTO transfers (transfer_id, from_account, to_account, amount_msat, memo, created_at, entry_id)
        SELECT transfer_id, 'seed:' || ((id - (SELECT base FROM seed_base) - 1) % \(accounts)),
            'seed:' || ((id - (SELECT base FROM seed_base)) % \(accounts)), 1, 'seed', at, id FROM ledger_entries
        WHERE id > (SELECT base FROM seed_base);
    COMMIT;
    """
}

/// The audit's two full scans of the postings (per entry and per account), as the bare SQLite baseline.
let bareAuditScansSQL = """
    SELECT count(*) FROM (SELECT entry_id FROM postings GROUP BY entry_id HAVING sum(amount_msat) != 0);
    SELECT count(*) FROM (SELECT account, sum(amount_msat) FROM postings GROUP BY account);
    """

func seconds(since start: UInt64) -> Double { Double(nowNanos() - start) / 1e9 }

func runAccounts(_ t4gd: String) -> Never {
    let duration = Double(option("--duration") ?? "5") ?? 5
    let rounds = Int(option("--rounds") ?? "2") ?? 2
    let clients = Int(option("--clients") ?? "16") ?? 16
    let payWorkers = Int(option("--pay-workers") ?? "16") ?? 16
    let postings = Int(option("--postings") ?? "1000000") ?? 1_000_000
    let phases = Set((option("--phases") ?? "transfer,get,pay,audit").split(separator: ",").map(String.init))
    signal(SIGPIPE, SIG_IGN)
    raiseFileLimit()
    let lab = AccountsLab(t4gd: t4gd)
    let loadStart = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
    log("accounts: work dir \(lab.root), \(duration) s per round, \(rounds) rounds per side")

    var runs: [PairedRun] = []
    if !phases.isDisjoint(with: ["transfer", "get", "pay"]) {
        let funder = lab.start("funder", ledger: "ledger")
        let wallet = lab.start("wallet", ledger: "ledger")
        let ring = (0..<clients).map { "bench:\($0)" }
        for id in ring { createFundedAccount(id, owner: wallet, funder: funder, msat: 10_000_000) }
        if phases.contains("transfer") {
            log("account.transfer against invoice.create, \(clients) clients")
            runs.append(
                paired(
                    "account.transfer", against: "invoice.create", clients: clients, rounds: rounds,
                    duration: duration,
                    subject: transferWorker(socket: wallet, ring: ring),
                    baseline: roundTripWorker(
                        socket: wallet, method: "invoice.create",
                        params: "{\"amount_msat\":1000,\"description\":\"bench\"}", expect: "\"bolt11\"")))
        }
        if phases.contains("get") {
            // Quiet accounts: funded, never spent from. The ring's accounts have just made the transfers, and
            // account.get sums their spends of the last 24 hours (spent_24h_msat).
            let quiet = (0..<clients).map { "quiet:\($0)" }
            for id in quiet { createFundedAccount(id, owner: wallet, funder: funder, msat: 1_000_000) }
            let cases = [
                ("account.get, no spends today", quiet, clients), ("account.get, no spends today", quiet, 64),
                ("account.get, the ring's accounts", ring, clients),
            ]
            for (label, accounts, getClients) in cases where phases.contains("transfer") || accounts == quiet {
                log("\(label) against daemon.info, \(getClients) clients")
                runs.append(
                    paired(
                        label, against: "daemon.info", clients: getClients, rounds: rounds, duration: duration,
                        subject: { index in
                            roundTripWorker(
                                socket: wallet, method: "account.get",
                                params: "{\"id\":\"\(accounts[index % accounts.count])\"}",
                                expect: "\"available_msat\"")(index)
                        },
                        baseline: roundTripWorker(
                            socket: wallet, method: "daemon.info", params: "{}", expect: "\"result\"")))
            }
        }
        if phases.contains("pay") {
            log("paid invoices with accounts against without, \(payWorkers) workers")
            for index in 0..<payWorkers {
                callOnce(funder, "account.create", "{\"id\":\"payee:\(index)\"}", expect: "\"result\"")
                createFundedAccount("payer:\(index)", owner: wallet, funder: funder, msat: 50_000_000)
            }
            runs.append(
                paired(
                    "paid invoice, accounts", against: "paid invoice, no accounts", clients: payWorkers,
                    rounds: rounds, duration: duration,
                    subject: paidInvoiceWorker(
                        payee: { _ in funder }, payer: { _ in wallet }, accounts: { ("payee:\($0)", "payer:\($0)") }),
                    baseline: paidInvoiceWorker(payee: { _ in funder }, payer: { _ in wallet }, accounts: nil)))
        }
        lab.stop("wallet")
        lab.stop("funder")
    }

    var auditLines: [String] = []
    if phases.contains("audit") {
        auditLines = runAuditPhase(lab, postings: postings)
    }
    let loadEnd = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"

    print("")
    print("load average at start: \(loadStart.trimmingCharacters(in: .whitespacesAndNewlines))")
    print("")
    print(
        "| operation | clients | ops/s | p50 ms | p99 ms | ops | errors | baseline | baseline ops/s | baseline p50 ms | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for run in runs {
        let s = run.subject
        let b = run.baseline
        print(
            "| \(run.label) | \(run.clients) | \(fmt(s.rate)) | \(fmt(s.percentileMillis(0.5), 3)) | \(fmt(s.percentileMillis(0.99), 3)) | \(s.operations) | \(s.errors) | \(run.baselineLabel) | \(fmt(b.rate)) | \(fmt(b.percentileMillis(0.5), 3)) | \(fmt(run.ratio, 3)) |"
        )
    }
    for line in auditLines { print(line) }
    print("")
    print("load average at end: \(loadEnd.trimmingCharacters(in: .whitespacesAndNewlines))")
    for run in runs {
        if let error = run.subject.firstError { print("first error, \(run.label): \(error)") }
        if let error = run.baseline.firstError { print("first error, \(run.baselineLabel): \(error)") }
    }
    lab.finish()
    exit(0)
}

/// Phase 4: builds a store of `postings` postings and times the daemon's `ledger.audit` on it.
func runAuditPhase(_ lab: AccountsLab, postings: Int) -> [String] {
    let accounts = 100
    let entries = max(accounts, postings / 2 / accounts * accounts)
    log("ledger.audit over \(entries * 2) seeded postings")
    let funder = lab.start("audit-funder", ledger: "audit-ledger")
    var audited = lab.start("audited", ledger: "audit-ledger")
    for index in 0..<accounts {
        createFundedAccount("seed:\(index)", owner: audited, funder: funder, msat: 1_000_000)
    }
    lab.stop("audited")
    lab.stop("audit-funder")
    let store = lab.storePath("audited")
    let seedFile = "\(lab.root)/seed.sql"
    try! seedTransfersSQL(count: entries, accounts: accounts, before: Int(Date().timeIntervalSince1970) - 86_400)
        .write(toFile: seedFile, atomically: true, encoding: .utf8)
    let seedStart = nowNanos()
    shell("sqlite3 '\(store)' < '\(seedFile)'")
    let seedSeconds = seconds(since: seedStart)
    log("  seeded in \(fmt(seedSeconds, 1)) s")
    audited = lab.start("audited", ledger: "audit-ledger")
    var auditTimes: [Double] = []
    var auditCPU: [Double] = []
    var lastReply: [UInt8] = []
    let daemon = lab.children["audited"]!.pid
    for _ in 0..<3 {
        let start = nowNanos()
        let cpuBefore = cpuSeconds(pid: daemon)
        lastReply = callOnce(audited, "ledger.audit", "{}", expect: "\"clean\":true")
        auditTimes.append(seconds(since: start))
        auditCPU.append(cpuSeconds(pid: daemon) - cpuBefore)
        log("  ledger.audit \(fmt(auditTimes.last!, 3)) s, daemon CPU \(fmt(auditCPU.last!, 2)) s")
    }
    let getLoad = runLoad(
        clients: 1, duration: 2,
        makeWorker: roundTripWorker(
            socket: audited, method: "account.get", params: "{\"id\":\"seed:0\"}", expect: "\"available_msat\""))
    lab.stop("audited")
    let scanFile = "\(lab.root)/scans.sql"
    try! bareAuditScansSQL.write(toFile: scanFile, atomically: true, encoding: .utf8)
    var scanTimes: [Double] = []
    for _ in 0..<3 {
        let start = nowNanos()
        shell("sqlite3 '\(store)' < '\(scanFile)'")
        scanTimes.append(seconds(since: start))
    }
    let counted = integerField(lastReply, "postings") ?? -1
    return [
        "",
        "| ledger.audit over the socket | postings | entries | seed s | audit s (3 calls) | t4gd CPU s (same calls) | bare scans in sqlite3 s (3 runs) | audit / best bare | account.get p50 ms on this store |",
        "|---|---:|---:|---:|---|---|---|---:|---:|",
        "| clean: \(contains(lastReply, "\"clean\":true")) | \(counted) | \(integerField(lastReply, "entries") ?? -1) | \(fmt(seedSeconds, 1)) | \(auditTimes.map { fmt($0, 3) }.joined(separator: ", ")) | \(auditCPU.map { fmt($0, 2) }.joined(separator: ", ")) | \(scanTimes.map { fmt($0, 3) }.joined(separator: ", ")) | \(fmt(auditTimes.min()! / scanTimes.min()!, 2)) | \(fmt(getLoad.percentileMillis(0.5), 3)) |",
    ]
}
