// DaemonBench: one-shot load, latency and memory benchmark for t4gd.
//
//   DaemonBench --t4gd PATH [--duration SECONDS] [--pay-workers N] [--idle-connections N]
//
// Phases (each against freshly started daemons in a temp dir under /tmp, Unix sockets only):
//   1. daemon.info round trips with 1, 16, 64 clients (one connection each, one request at a time),
//      interleaved with the same load against a minimal NDJSON echo server (this binary, `echo-server`
//      mode, a separate process, one thread per connection) that answers every line with the exact
//      daemon.info reply captured from t4gd: the transport ceiling.
//   2. invoice.create with 16 clients on the durable (SQLite) store.
//   3. Paid invoices: N workers, each invoice.create on daemon A then payment.send on daemon B
//      (two dev daemons sharing a dev ledger).
//   4. VmRSS of a fresh idle daemon, then with N extra idle connections open (each checked with one
//      daemon.info round trip, then left idle 3 s before reading VmRSS).
//
// Note: t4gd at 8dc34a4 exits at once when NOTIFY_SOCKET is unset (its SystemdNotifier service returns,
// which ServiceGroup treats as a failure; fixed in 60bb55c). The harness sets NOTIFY_SOCKET to a path nobody listens on;
// notifications are then dropped silently and the daemon runs normally.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Small utilities

@inline(__always) func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("[dbench] \(message)\n".utf8))
}

func fail(_ message: String) -> Never {
    log("FATAL: \(message)")
    exit(1)
}

func makeAddress(_ path: String) -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    precondition(bytes.count < MemoryLayout.size(ofValue: address.sun_path), "socket path too long: \(path)")
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (index, byte) in bytes.enumerated() { raw[index] = byte }
        raw[bytes.count] = 0
    }
    return address
}

func connectUnix(_ path: String) -> Int32? {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = makeAddress(path)
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    if result != 0 {
        close(fd)
        return nil
    }
    return fd
}

/// A blocking NDJSON connection: write a line, read a line.
final class LineConnection {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 16384)
    private var start = 0
    private var end = 0

    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// The next line without its newline, or nil on EOF/error.
    func readLine() -> [UInt8]? {
        var scanFrom = start
        while true {
            if let newline = buffer[scanFrom..<end].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                return line
            }
            scanFrom = end
            if start > 0 {
                let count = end - start
                if count > 0 {
                    buffer.withUnsafeMutableBufferPointer { p in
                        _ = memmove(p.baseAddress!, p.baseAddress! + start, count)
                    }
                }
                scanFrom -= start
                start = 0
                end = count
            }
            if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let readCount = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + end, $0.count - end) }
            if readCount < 0 && errno == EINTR { continue }
            if readCount <= 0 { return nil }
            end += readCount
        }
    }

    func call(_ request: [UInt8]) -> [UInt8]? {
        send(request) ? readLine() : nil
    }
}

func request(id: Int, method: String, params: String) -> [UInt8] {
    Array("{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"\(method)\",\"params\":\(params)}\n".utf8)
}

func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
    let n = Array(needle.utf8)
    guard haystack.count >= n.count else { return false }
    var i = 0
    while i <= haystack.count - n.count {
        if haystack[i] == n[0] && Array(haystack[i..<(i + n.count)]) == n { return true }
        i += 1
    }
    return false
}

/// The string value of `"key":"..."` in a compact JSON line (no escapes expected in bolt11).
func stringField(_ line: [UInt8], _ key: String) -> String? {
    let text = String(decoding: line, as: UTF8.self)
    guard let range = text.range(of: "\"\(key)\":\"") else { return nil }
    let rest = text[range.upperBound...]
    guard let close = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<close])
}

func rssKB(pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}

func raiseFileLimit() {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

// MARK: - Echo server mode (separate process)

/// `DaemonBench echo-server SOCKET REPLY`: answers every received line with REPLY + "\n".
func runEchoServer(path: String, reply: String) -> Never {
    signal(SIGPIPE, SIG_IGN)
    unlink(path)
    let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = makeAddress(path)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard bound == 0, listen(listener, 1024) == 0 else { fail("echo server cannot listen on \(path)") }
    let replyBytes = Array((reply + "\n").utf8)
    while true {
        let client = accept(listener, nil, nil)
        if client < 0 { continue }
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 16384)
            var out = [UInt8]()
            outer: while true {
                let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                var lines = 0
                for i in 0..<n where buffer[i] == 0x0A { lines += 1 }
                if lines == 0 { continue }
                out.removeAll(keepingCapacity: true)
                for _ in 0..<lines { out.append(contentsOf: replyBytes) }
                var offset = 0
                while offset < out.count {
                    let w = out.withUnsafeBytes { write(client, $0.baseAddress! + offset, out.count - offset) }
                    if w < 0 && errno == EINTR { continue }
                    if w <= 0 { break outer }
                    offset += w
                }
            }
            close(client)
        }
        thread.stackSize = 256 * 1024
        thread.start()
    }
}

// MARK: - Child processes

final class Child {
    let process: Process
    let name: String
    init(process: Process, name: String) {
        self.process = process
        self.name = name
    }
    var pid: Int32 { process.processIdentifier }

    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            log("\(name) did not stop after SIGTERM in 15 s; SIGKILL")
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
}

func spawn(_ executable: String, _ arguments: [String], logFile: String, name: String) -> Child {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    // Workaround, see the header comment: keeps t4gd's SystemdNotifier service alive.
    environment["NOTIFY_SOCKET"] = (logFile as NSString).deletingLastPathComponent + "/no-systemd-here"
    environment.removeValue(forKey: "WATCHDOG_USEC")
    process.environment = environment
    FileManager.default.createFile(atPath: logFile, contents: nil)
    let handle = FileHandle(forWritingAtPath: logFile)!
    process.standardOutput = handle
    process.standardError = handle
    do { try process.run() } catch { fail("cannot start \(executable): \(error)") }
    return Child(process: process, name: name)
}

func waitForSocket(_ path: String, child: Child, timeout: Double = 60) {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if !child.process.isRunning {
            fail("\(child.name) exited (status \(child.process.terminationStatus)) before listening")
        }
        if let fd = connectUnix(path) {
            close(fd)
            return
        }
        usleep(20_000)
    }
    fail("\(child.name) not listening on \(path) after \(timeout) s")
}

// MARK: - Load runner

struct LoadResult {
    var operations = 0
    var errors = 0
    var latencies: [UInt64] = []  // nanoseconds
    var seconds = 0.0
    var firstError: String?

    var rate: Double { Double(operations) / seconds }
    func percentileMillis(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return .nan }
        let index = min(latencies.count - 1, Int(Double(latencies.count) * p))
        return Double(latencies[index]) / 1e6
    }
}

final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    var result = LoadResult()
    func add(operations: Int, errors: Int, latencies: [UInt64], firstError: String?) {
        lock.lock()
        result.operations += operations
        result.errors += errors
        result.latencies.append(contentsOf: latencies)
        if result.firstError == nil { result.firstError = firstError }
        lock.unlock()
    }
}

/// Runs `clients` threads for `duration` seconds. `makeWorker(i)` runs on the thread before the start
/// barrier (connect there) and returns one operation: returns nil on success or an error text.
func runLoad(clients: Int, duration: Double, makeWorker: @escaping (Int) -> (Int) -> String?) -> LoadResult {
    let collector = Collector()
    let ready = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    let startGate = NSCondition()
    var started = false
    var startAt: UInt64 = 0
    var deadline: UInt64 = 0
    for index in 0..<clients {
        let thread = Thread {
            let operation = makeWorker(index)
            var latencies: [UInt64] = []
            latencies.reserveCapacity(1 << 16)
            var operations = 0
            var errors = 0
            var firstError: String?
            ready.signal()
            startGate.lock()
            while !started { startGate.wait() }
            let end = deadline
            startGate.unlock()
            var sequence = 1
            while true {
                let before = nowNanos()
                if before >= end { break }
                let error = operation(sequence)
                let after = nowNanos()
                sequence += 1
                if let error {
                    errors += 1
                    if firstError == nil { firstError = error }
                    if error.hasPrefix("connection lost") { break }
                } else {
                    operations += 1
                    latencies.append(after - before)
                }
            }
            collector.add(operations: operations, errors: errors, latencies: latencies, firstError: firstError)
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
    }
    for _ in 0..<clients { ready.wait() }
    startGate.lock()
    startAt = nowNanos()
    deadline = startAt + UInt64(duration * 1e9)
    started = true
    startGate.broadcast()
    startGate.unlock()
    for _ in 0..<clients { done.wait() }
    let elapsed = Double(nowNanos() - startAt) / 1e9
    var result = collector.result
    result.seconds = elapsed
    result.latencies.sort()
    return result
}

/// One worker that does `method` round trips on its own connection to `socket`.
func roundTripWorker(socket: String, method: String, params: String, expect: String)
    -> (Int) -> (Int) -> String?
{
    return { _ in
        guard let fd = connectUnix(socket) else { fail("connect \(socket) failed") }
        let connection = LineConnection(fd: fd)
        return { sequence in
            guard let reply = connection.call(request(id: sequence, method: method, params: params)) else {
                return "connection lost"
            }
            return contains(reply, expect) ? nil : String(decoding: reply.prefix(300), as: UTF8.self)
        }
    }
}

/// A worker that creates an invoice on its payee (`payee(index)`) and pays it from its payer, counting only a
/// `succeeded` payment; with `accounts`, the invoice is credited to and the payment debited from the worker's.
func paidInvoiceWorker(
    payee: @escaping (Int) -> String, payer: @escaping (Int) -> String,
    accounts: ((Int) -> (payee: String, payer: String))? = nil
) -> (Int) -> (Int) -> String? {
    return { index in
        guard let a = connectUnix(payee(index)), let b = connectUnix(payer(index)) else {
            fail("connect payee/payer failed")
        }
        let payeeConnection = LineConnection(fd: a)
        let payerConnection = LineConnection(fd: b)
        let names = accounts?(index)
        let credited = names.map { ",\"account\":\"\($0.payee)\"" } ?? ""
        let debited = names.map { ",\"account\":\"\($0.payer)\"" } ?? ""
        return { sequence in
            guard
                let invoice = payeeConnection.call(
                    request(
                        id: sequence, method: "invoice.create",
                        params: "{\"amount_msat\":1000,\"description\":\"pay\"\(credited)}"))
            else { return "connection lost (payee)" }
            guard let bolt11 = stringField(invoice, "bolt11") else {
                return "invoice.create: " + String(decoding: invoice.prefix(300), as: UTF8.self)
            }
            guard
                let paid = payerConnection.call(
                    request(id: sequence, method: "payment.send", params: "{\"bolt11\":\"\(bolt11)\"\(debited)}"))
            else { return "connection lost (payer)" }
            return contains(paid, "\"status\":\"succeeded\"")
                ? nil : "payment.send: " + String(decoding: paid.prefix(300), as: UTF8.self)
        }
    }
}

// MARK: - Main

let arguments = CommandLine.arguments
if arguments.count >= 4 && arguments[1] == "echo-server" {
    runEchoServer(path: arguments[2], reply: arguments[3])
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

guard let t4gd = option("--t4gd") else {
    print("usage: DaemonBench --t4gd PATH [--duration S] [--pay-workers N] [--idle-connections N]")
    print("       DaemonBench --t4gd PATH lnbits-overhead [--ops N] [--concurrency C] [--rounds R] [--regtest DIR]")
    print("       DaemonBench --t4gd PATH store-scaling [--duration S] [--clients N] [--pay-workers N]")
    print(
        "       DaemonBench --t4gd PATH accounts [--duration S] [--rounds R] [--clients N] [--pay-workers N] [--postings N] [--phases transfer,get,pay,audit]"
    )
    exit(2)
}
if arguments.contains("lnbits-overhead") { runLNbitsOverhead(t4gd) }
if arguments.contains("store-scaling") { runStoreScaling(t4gd) }
if arguments.contains("accounts") { runAccounts(t4gd) }
let duration = Double(option("--duration") ?? "10") ?? 10
let payWorkers = Int(option("--pay-workers") ?? "16") ?? 16
let idleConnections = Int(option("--idle-connections") ?? "1000") ?? 1000
let self_ = URL(fileURLWithPath: arguments[0]).path

signal(SIGPIPE, SIG_IGN)
raiseFileLimit()
let root = "/tmp/t4gd-dbench.\(getpid())"
try? FileManager.default.removeItem(atPath: root)
try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
log("work dir \(root), t4gd \(t4gd), duration \(duration) s")
var children: [Child] = []
func startDaemon(_ name: String, ledger: String?) -> (Child, String) {
    let dir = "\(root)/\(name)"
    var args = ["--data-dir", dir, "--log-level", "warning", "--metrics-listen", "127.0.0.1:0"]
    if let ledger { args += ["--dev-ledger", ledger] }
    try! FileManager.default.createDirectory(
        atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let child = spawn(t4gd, args, logFile: "\(root)/\(name).log", name: "t4gd \(name)")
    children.append(child)
    let socket = "\(dir)/t4gd.sock"
    waitForSocket(socket, child: child)
    return (child, socket)
}

var report: [String] = []
func emit(_ line: String) {
    print(line)
    fflush(stdout)
    report.append(line)
}
func fmt(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }

let loadStart =
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
emit("load average at start: \(loadStart)")

// Phase 4 first (idle RSS wants a daemon that has never seen load).
log("phase 4: RSS")
let (memDaemon, memSocket) = startDaemon("mem", ledger: nil)
sleep(3)
let idleRSS = rssKB(pid: memDaemon.pid) ?? -1
var held: [LineConnection] = []
var openFailures = 0
for index in 0..<idleConnections {
    guard let fd = connectUnix(memSocket) else {
        openFailures += 1
        continue
    }
    let connection = LineConnection(fd: fd)
    if let reply = connection.call(request(id: index + 1, method: "daemon.info", params: "{}")),
        contains(reply, "\"result\"")
    {
        held.append(connection)
    } else {
        openFailures += 1
    }
}
sleep(3)
let connectedRSS = rssKB(pid: memDaemon.pid) ?? -1
let heldCount = held.count
held.removeAll()
memDaemon.stop()
log("idle RSS \(idleRSS) kB, with \(heldCount) connections \(connectedRSS) kB (\(openFailures) failed)")

// Phase 1: daemon.info vs echo.
log("phase 1: daemon.info vs echo")
let (infoDaemon, infoSocket) = startDaemon("info", ledger: nil)
guard let probeFD = connectUnix(infoSocket),
    let infoReply = LineConnection(fd: probeFD).call(request(id: 1, method: "daemon.info", params: "{}"))
else { fail("daemon.info probe failed") }
let replyLine = String(decoding: infoReply, as: UTF8.self)
let echoSocket = "\(root)/echo.sock"
let echo = spawn(self_, ["echo-server", echoSocket, replyLine], logFile: "\(root)/echo.log", name: "echo")
children.append(echo)
waitForSocket(echoSocket, child: echo)
let nioEchoSocket = "\(root)/nio-echo.sock"
let nioEchoPath = URL(fileURLWithPath: self_).deletingLastPathComponent().appendingPathComponent("NIOEchoServer").path
let nioEcho = spawn(nioEchoPath, [nioEchoSocket, replyLine], logFile: "\(root)/nio-echo.log", name: "NIO echo")
children.append(nioEcho)
waitForSocket(nioEchoSocket, child: nioEcho)
let infoRequestBytes = request(id: 1, method: "daemon.info", params: "{}").count
var phase1: [(Int, LoadResult, LoadResult)] = []
var phase1NIO: [LoadResult] = []
for clients in [1, 16, 64] {
    log("  t4gd daemon.info, \(clients) clients")
    let daemon = runLoad(
        clients: clients, duration: duration,
        makeWorker: roundTripWorker(socket: infoSocket, method: "daemon.info", params: "{}", expect: "\"result\""))
    log("    \(fmt(daemon.rate)) /s, errors \(daemon.errors) \(daemon.firstError ?? "")")
    log("  echo, \(clients) clients")
    let echoResult = runLoad(
        clients: clients, duration: duration,
        makeWorker: roundTripWorker(socket: echoSocket, method: "daemon.info", params: "{}", expect: "\"result\""))
    log("    \(fmt(echoResult.rate)) /s, errors \(echoResult.errors)")
    log("  NIO echo, \(clients) clients")
    let nioEchoResult = runLoad(
        clients: clients, duration: duration,
        makeWorker: roundTripWorker(socket: nioEchoSocket, method: "daemon.info", params: "{}", expect: "\"result\""))
    log("    \(fmt(nioEchoResult.rate)) /s, errors \(nioEchoResult.errors)")
    phase1.append((clients, daemon, echoResult))
    phase1NIO.append(nioEchoResult)
}
let infoRSSAfter = rssKB(pid: infoDaemon.pid) ?? -1
for server in [echo, nioEcho] {
    server.process.terminate()
    server.process.waitUntilExit()
}
infoDaemon.stop()

// Phase 2: invoice.create, at 16 clients and at 64 (each commit syncs to disk: with few clients the rate is
// bound by sync latency, with more it is bound by CPU).
let invoiceClientCounts = [16, 64]
let (invoiceDaemon, invoiceSocket) = startDaemon("invoice", ledger: nil)
var invoiceRuns: [(clients: Int, result: LoadResult)] = []
for clients in invoiceClientCounts {
    log("phase 2: invoice.create, \(clients) clients")
    let result = runLoad(
        clients: clients, duration: duration,
        makeWorker: roundTripWorker(
            socket: invoiceSocket, method: "invoice.create",
            params: "{\"amount_msat\":1000,\"description\":\"bench\"}", expect: "\"bolt11\""))
    log("  \(fmt(result.rate)) /s, errors \(result.errors) \(result.firstError ?? "")")
    invoiceRuns.append((clients, result))
}
let invoiceRSSAfter = rssKB(pid: invoiceDaemon.pid) ?? -1
invoiceDaemon.stop()

// Phase 3: paid invoices between two dev daemons.
log("phase 3: pay, \(payWorkers) workers")
let ledger = "\(root)/ledger"
let (payeeDaemon, payeeSocket) = startDaemon("A", ledger: ledger)
let (payerDaemon, payerSocket) = startDaemon("B", ledger: ledger)
let payments = runLoad(
    clients: payWorkers, duration: duration,
    makeWorker: paidInvoiceWorker(payee: { _ in payeeSocket }, payer: { _ in payerSocket }))
log("  \(fmt(payments.rate)) /s, errors \(payments.errors) \(payments.firstError ?? "")")
payeeDaemon.stop()
payerDaemon.stop()

let loadEnd =
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"

// MARK: - Report

emit("")
emit(
    "| Benchmark | Clients | t4gd ops/s | t4gd p50 ms | t4gd p99 ms | echo ops/s | echo p50 ms | echo p99 ms | t4gd/echo | errors (t4gd/echo) |"
)
emit("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for (clients, daemon, echoResult) in phase1 {
    emit(
        "| daemon.info round trip | \(clients) | \(fmt(daemon.rate)) | \(fmt(daemon.percentileMillis(0.5), 3)) | \(fmt(daemon.percentileMillis(0.99), 3)) | \(fmt(echoResult.rate)) | \(fmt(echoResult.percentileMillis(0.5), 3)) | \(fmt(echoResult.percentileMillis(0.99), 3)) | \(fmt(100 * daemon.rate / echoResult.rate, 1))% | \(daemon.errors)/\(echoResult.errors) |"
    )
}
emit("")
emit("| Baseline 2: NIO echo | Clients | NIO echo ops/s | p50 ms | p99 ms | t4gd/NIO echo | NIO echo/echo | errors |")
emit("|---|---:|---:|---:|---:|---:|---:|---:|")
for ((clients, daemon, echoResult), nio) in zip(phase1, phase1NIO) {
    emit(
        "| daemon.info round trip | \(clients) | \(fmt(nio.rate)) | \(fmt(nio.percentileMillis(0.5), 3)) | \(fmt(nio.percentileMillis(0.99), 3)) | \(fmt(100 * daemon.rate / nio.rate, 1))% | \(fmt(100 * nio.rate / echoResult.rate, 1))% | \(nio.errors) |"
    )
}
emit("")
emit("(request \(infoRequestBytes) bytes, reply \(infoReply.count + 1) bytes, same for all three servers)")
emit("")
emit("| Benchmark | Clients/workers | ops/s | p50 ms | p99 ms | ops | errors |")
emit("|---|---:|---:|---:|---:|---:|---:|")
for run in invoiceRuns {
    let result = run.result
    emit(
        "| invoice.create (durable SQLite store) | \(run.clients) | \(fmt(result.rate)) | \(fmt(result.percentileMillis(0.5), 3)) | \(fmt(result.percentileMillis(0.99), 3)) | \(result.operations) | \(result.errors) |"
    )
}
emit(
    "| paid invoice (create on A + payment.send on B) | \(payWorkers) | \(fmt(payments.rate)) | \(fmt(payments.percentileMillis(0.5), 3)) | \(fmt(payments.percentileMillis(0.99), 3)) | \(payments.operations) | \(payments.errors) |"
)
emit("")
emit("| Memory (VmRSS) | MB |")
emit("|---|---:|")
emit("| fresh daemon, idle 3 s | \(fmt(Double(idleRSS) / 1024, 1)) |")
emit(
    "| with \(heldCount) idle connections (each did 1 daemon.info; \(openFailures) failed to open) | \(fmt(Double(connectedRSS) / 1024, 1)) |"
)
emit("| increase for \(heldCount) connections | \(fmt(Double(connectedRSS - idleRSS) / 1024, 1)) |")
emit("| (info) daemon after phase 1 load | \(fmt(Double(infoRSSAfter) / 1024, 1)) |")
emit("| (info) daemon after invoice.create load | \(fmt(Double(invoiceRSSAfter) / 1024, 1)) |")
emit("")
let invoiceLabels = invoiceRuns.map { ("invoice.create \($0.clients)", $0.result) }
for (label, r) in invoiceLabels + [("payments", payments)] + phase1.map { ("daemon.info \($0.0)", $0.1) } {
    if let e = r.firstError { emit("first error, \(label): \(e)") }
}
emit("load average at end: \(loadEnd)")

for child in children { child.stop() }
try? FileManager.default.removeItem(atPath: root)
