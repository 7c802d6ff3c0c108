// Mode `store-scaling`: invoice.create/s and paid invoices/s with the store in SQLite (1 instance) and in
// PostgreSQL with 1 and 3 instances per wallet, in one run, and where the CPU went (t4gd processes vs the
// PostgreSQL server) plus how often PostgreSQL backends waited on a lock.
//
//   DaemonBench --t4gd PATH store-scaling [--duration S] [--clients N] [--pay-workers N]
//
// PostgreSQL: a throwaway durable cluster (fsync on, PostgreSQL's defaults) from regtest/postgres/postgres.sh,
// on 127.0.0.1 and a free port, stopped at the end. Each wallet (payee, payer) is one database; its instances
// share the database, the seed and the dev ledger. Clients spread over the instances round-robin.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Total CPU seconds (user + system) of a process, from /proc.
func cpuSeconds(pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// The PostgreSQL server's processes: the postmaster and its children.
func postgresProcesses(postmaster: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return [postmaster]
        + entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == postmaster
        }
}

/// Runs a shell command with system(3) and returns its stdout (through a file: Foundation's `Process` never
/// saw the cluster's start command exit, as it leaves the cluster's supervisor running).
@discardableResult
func shell(_ command: String) -> String {
    let output = "/tmp/t4gd-sbench-shell.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: output) }
    let status = system("(\(command)) >'\(output)'")
    guard status == 0 else { fail("\(command) exited \(status)") }
    return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
}

func runStoreScaling(_ t4gd: String) -> Never {
    let duration = Double(option("--duration") ?? "8") ?? 8
    let clients = Int(option("--clients") ?? "16") ?? 16
    let payWorkers = Int(option("--pay-workers") ?? "16") ?? 16
    signal(SIGPIPE, SIG_IGN)
    raiseFileLimit()
    let root = "/tmp/t4gd-sbench.\(getpid())"
    try? FileManager.default.removeItem(atPath: root)
    try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../../regtest/postgres/postgres.sh").standardizedFileURL.path
    let cluster = "/tmp/t4g-pg-bench.\(getpid())"
    try! FileManager.default.createDirectory(atPath: cluster, withIntermediateDirectories: true)
    let password = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    try! password.write(toFile: cluster + "/password", atomically: true, encoding: .utf8)
    let port = 20_000 + Int(getpid() % 20_000)
    shell("'\(script)' start '\(cluster)' \(port) \(getpid()) durable")
    let postmaster =
        Int32(
            (try? String(contentsOfFile: cluster + "/data/postmaster.pid", encoding: .utf8))?
                .split(separator: "\n").first.map(String.init) ?? "") ?? 0
    defer { shell("'\(script)' stop '\(cluster)'") }
    let psql =
        "PGPASSWORD=\(password) $(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql -qAt -h 127.0.0.1 -p \(port) -U t4g"
    log("store-scaling: work dir \(root), PostgreSQL on 127.0.0.1:\(port) (durable), \(duration) s per phase")

    var children: [Child] = []
    func wallet(_ name: String, instances: Int, postgres: Bool) -> [(Child, String)] {
        var store = ""
        if postgres {
            shell("\(psql) -d postgres -c 'CREATE DATABASE \(name)'")
            store = "[store]\nurl = \"postgres://t4g:\(password)@127.0.0.1:\(port)/\(name)?sslmode=disable\"\n"
        }
        let config = "\(root)/\(name).toml"
        try! (store + "[dev]\nledger = \"\(root)/ledger-\(name.prefix(while: { $0 != "_" }))\"\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        // t4gd refuses a configuration holding a PostgreSQL password that other users can read.
        try! FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config)
        return (0..<instances).map { index in
            let dir = "\(root)/\(name)-\(index)"
            try! FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if index > 0 { try! FileManager.default.copyItem(atPath: "\(root)/\(name)-0/seed", toPath: "\(dir)/seed") }
            let child = spawn(
                t4gd,
                ["--config", config, "--data-dir", dir, "--log-level", "warning", "--metrics-listen", "127.0.0.1:0"],
                logFile: "\(dir).log", name: "t4gd \(name)-\(index)")
            children.append(child)
            waitForSocket("\(dir)/t4gd.sock", child: child)
            return (child, "\(dir)/t4gd.sock")
        }
    }

    struct Row {
        var label: String
        var result: LoadResult
        var daemonCPU: Double
        var postgresCPU: Double
        var lockWaits: Int
        var samples: Int
    }
    var rows: [Row] = []
    func measure(_ label: String, daemons: [Child], clients: Int, makeWorker: @escaping (Int) -> (Int) -> String?) {
        let pgBefore = postgresProcesses(postmaster: postmaster).map(cpuSeconds).reduce(0, +)
        let daemonBefore = daemons.map { cpuSeconds(pid: $0.pid) }.reduce(0, +)
        let sampling = DispatchSemaphore(value: 0)
        var lockWaits = 0
        var samples = 0
        let stop = NSLock()
        var stopped = false
        let sampler = Thread {
            while true {
                stop.lock()
                let done = stopped
                stop.unlock()
                if done { break }
                let line = shell(
                    "\(psql) -d postgres -c \"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'\"")
                lockWaits += Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                samples += 1
                usleep(500_000)
            }
            sampling.signal()
        }
        sampler.start()
        let result = runLoad(clients: clients, duration: duration, makeWorker: makeWorker)
        stop.lock()
        stopped = true
        stop.unlock()
        sampling.wait()
        let pgCPU = postgresProcesses(postmaster: postmaster).map(cpuSeconds).reduce(0, +) - pgBefore
        let daemonCPU = daemons.map { cpuSeconds(pid: $0.pid) }.reduce(0, +) - daemonBefore
        log("  \(label): \(fmt(result.rate)) /s, errors \(result.errors) \(result.firstError ?? "")")
        rows.append(
            Row(
                label: label, result: result, daemonCPU: daemonCPU, postgresCPU: pgCPU, lockWaits: lockWaits,
                samples: samples))
    }

    let loadStart = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
    for (label, instances, postgres) in [
        ("SQLite, 1 instance", 1, false), ("PostgreSQL, 1 instance", 1, true),
        ("PostgreSQL, 3 instances", 3, true),
    ] {
        let tag = postgres ? "pg\(instances)" : "sqlite"
        log("\(label)")
        let payee = wallet("\(tag)_payee", instances: instances, postgres: postgres)
        let payer = wallet("\(tag)_payer", instances: instances, postgres: postgres)
        let daemons = (payee + payer).map(\.0)
        measure("\(label): invoice.create", daemons: daemons, clients: clients) { index in
            roundTripWorker(
                socket: payee[index % payee.count].1, method: "invoice.create",
                params: "{\"amount_msat\":1000,\"description\":\"bench\"}", expect: "\"bolt11\"")(index)
        }
        measure(
            "\(label): paid invoice", daemons: daemons, clients: payWorkers,
            makeWorker: paidInvoiceWorker(
                payee: { payee[$0 % payee.count].1 }, payer: { payer[$0 % payer.count].1 }))
        for daemon in daemons { daemon.stop() }
    }
    let loadEnd = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"

    print("")
    print("load average at start: \(loadStart.trimmingCharacters(in: .whitespacesAndNewlines))")
    print("")
    print(
        "| Store, instances per wallet: operation | clients | ops/s | p50 ms | p99 ms | ops | errors | t4gd CPU s | PostgreSQL CPU s | backends waiting on a lock (mean of samples) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows {
        let waits = row.samples == 0 ? "-" : fmt(Double(row.lockWaits) / Double(row.samples), 2)
        print(
            "| \(row.label) | \(row.label.hasSuffix("paid invoice") ? payWorkers : clients) | \(fmt(row.result.rate)) | \(fmt(row.result.percentileMillis(0.5), 3)) | \(fmt(row.result.percentileMillis(0.99), 3)) | \(row.result.operations) | \(row.result.errors) | \(fmt(row.daemonCPU, 1)) | \(row.label.hasPrefix("SQLite") ? "-" : fmt(row.postgresCPU, 1)) | \(row.label.hasPrefix("SQLite") ? "-" : waits) |"
        )
    }
    print("")
    print("load average at end: \(loadEnd.trimmingCharacters(in: .whitespacesAndNewlines))")
    for row in rows { if let error = row.result.firstError { print("first error, \(row.label): \(error)") } }
    for child in children { child.stop() }
    try? FileManager.default.removeItem(atPath: root)
    exit(0)
}
