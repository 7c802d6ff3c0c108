// `DaemonBench --t4gd PATH lnbits-overhead [--regtest DIR] [--ops N] [--concurrency C] [--rounds R]`
//
// t4gd over LNbits vs LNbits direct, on one real LNbits 1.6.2 (FakeWallet, regtest/lnbits/start.sh) with two
// wallets: A (payer, funded) and B (payee), and one t4gd per wallet (backend "lnbits").
//   (a) invoice creation: N x `POST /api/v1/payments {"out":false}` with B's invoice key on a keep-alive HTTP/1.1
//       connection per worker, vs N x t4gd `invoice.create` on B's daemon (one Unix-socket connection per worker).
//   (b) payment: N x `POST /api/v1/payments {"out":true}` with A's admin key, vs N x t4gd `payment.send` on A's
//       daemon, and a third side "direct + check": `GET /api/v1/payments/{hash}` with A's invoice key (what
//       t4gd's LNbits backend sends with `own_invoice_check = "lnbits"` to refuse the wallet's own invoice) and
//       then the `POST`, to price that extra request.
//       A fourth side, "t4gd + check", pays through a second daemon of wallet A configured with
//       `own_invoice_check = "lnbits"`, which sends that GET itself (t4gd's default, "store", does not).
//       The invoices (B's, made directly on LNbits) are created before each timed loop.
// Each round runs the sides of (a) then those of (b) with the same N and C; the order of the sides rotates
// between rounds, so slow drift of the machine hits all alike. The summary pools the latencies of all rounds and
// also gives the median of the per-round (paired) time ratios, which a load spike in one round cannot move.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking HTTP/1.1 keep-alive connection to 127.0.0.1 (Content-Length bodies only, as uvicorn sends them).
final class HTTPConnection {
    private let fd: Int32
    private let port: Int
    private var buffer: [UInt8] = []

    init?(port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
        self.port = port
    }

    deinit { close(fd) }

    /// Reads more bytes into the buffer; false on EOF or error.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            buffer += chunk[0..<count]
            return true
        }
    }

    /// One request; the status and body, or nil when the connection broke.
    func request(_ method: String, _ path: String, key: String, body: String?) -> (Int, [UInt8])? {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Api-Key: \(key)\r\n"
        let bodyBytes = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(bodyBytes.count)\r\n\r\n"
        let bytes = Array(head.utf8) + bodyBytes
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return nil }
            offset += written
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if buffer.count >= 4 {
                headEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator }
            }
            if headEnd == nil && !fill() { return nil }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        let lines = headText.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length { if !fill() { return nil } }
        let answer = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return (status, answer)
    }
}

/// Runs `operations` operations on `concurrency` threads (each with its own state from `makeWorker`), timing each.
func runCount(operations: Int, concurrency: Int, makeWorker: @escaping (Int) -> (Int) -> String?) -> LoadResult {
    let collector = Collector()
    let lock = NSLock()
    var next = 0
    let ready = DispatchSemaphore(value: 0)
    let go = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    for index in 0..<concurrency {
        let thread = Thread {
            let operation = makeWorker(index)
            var latencies: [UInt64] = []
            var errors = 0
            var firstError: String?
            ready.signal()
            go.wait()
            while true {
                lock.lock()
                let ticket = next
                next += 1
                lock.unlock()
                if ticket >= operations { break }
                let before = nowNanos()
                if let error = operation(ticket) {
                    errors += 1
                    if firstError == nil { firstError = error }
                } else {
                    latencies.append(nowNanos() - before)
                }
            }
            collector.add(operations: latencies.count, errors: errors, latencies: latencies, firstError: firstError)
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
    }
    for _ in 0..<concurrency { ready.wait() }
    let start = nowNanos()
    for _ in 0..<concurrency { go.signal() }
    for _ in 0..<concurrency { done.wait() }
    var result = collector.result
    result.seconds = Double(nowNanos() - start) / 1e9
    result.latencies.sort()
    return result
}

/// Runs a regtest script; its stdout, or the harness fails. `system(3)`, not `Process`: Foundation's `Process`
/// did not see start.sh exit here (LNbits, which start.sh leaves running, inherits its output), as TestSupport notes.
func runScript(_ script: String, _ arguments: [String]) -> String {
    let outputPath = NSTemporaryDirectory() + "dbench-script-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let command = (["/bin/bash", script] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let status = system("\(command) > '\(outputPath)' < /dev/null")
    guard status == 0 else { fail("\(script) \(arguments.first ?? "") exited with status \(status)") }
    return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
}

func jsonObject(_ text: String) -> [String: Any] {
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        fail("not a JSON object: \(text.prefix(200))")
    }
    return object
}

func runLNbitsOverhead(_ t4gd: String) -> Never {
    let operations = Int(option("--ops") ?? "200") ?? 200
    let concurrency = Int(option("--concurrency") ?? "4") ?? 4
    let rounds = Int(option("--rounds") ?? "5") ?? 5
    let regtest =
        option("--regtest")
        ?? URL(fileURLWithPath: #filePath).appendingPathComponent("../../../../../regtest").standardizedFileURL.path
    let amountSat = 10
    signal(SIGPIPE, SIG_IGN)
    let root = "/tmp/t4gd-lnbench.\(getpid())"
    try? FileManager.default.removeItem(atPath: root)
    try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    let loadStart =
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    log("work dir \(root); \(rounds) rounds of \(operations) ops, concurrency \(concurrency)")

    let lnbitsData = "\(root)/lnbits"
    let state = jsonObject(runScript("\(regtest)/lnbits/start.sh", [lnbitsData]))
    var daemons: [Child] = []
    func cleanup() {
        for daemon in daemons { daemon.stop() }
        _ = runScript("\(regtest)/lnbits/stop.sh", [lnbitsData])
    }
    guard let url = state["url"] as? String, let port = state["port"] as? Int else { fail("no LNbits url") }
    func wallet(_ name: String) -> (id: String, admin: String, invoice: String) {
        let object = jsonObject(runScript("\(regtest)/lnbits/wallet.sh", [lnbitsData, "create", name]))
        return (object["id"] as! String, object["adminkey"] as! String, object["inkey"] as! String)
    }
    let payer = wallet("A")
    let payee = wallet("B")
    // Four pay sides a round, with room for LNbits' fee reserve.
    _ = runScript(
        "\(regtest)/lnbits/wallet.sh",
        [lnbitsData, "fund", payer.id, String(rounds * operations * amountSat * 5 + 1000)])

    func startDaemon(
        _ name: String, _ keys: (id: String, admin: String, invoice: String), ownInvoiceCheck: String = "store"
    ) -> String {
        let dir = "\(root)/\(name)"
        try! FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let config = """
            [daemon]
            backend = "lnbits"
            network = "mainnet"
            [lnbits]
            url = "\(url)"
            invoice_key = "\(keys.invoice)"
            admin_key = "\(keys.admin)"
            own_invoice_check = "\(ownInvoiceCheck)"
            """
        try! config.write(toFile: "\(dir)/t4gd.toml", atomically: true, encoding: .utf8)
        chmod("\(dir)/t4gd.toml", 0o600)  // it holds LNbits keys: t4gd refuses a file others can read
        let child = spawn(
            t4gd, ["--config", "\(dir)/t4gd.toml", "--data-dir", dir, "--log-level", "warning", "--no-metrics"],
            logFile: "\(root)/\(name).log", name: "t4gd \(name)")
        daemons.append(child)
        let socket = "\(dir)/t4gd.sock"
        waitForSocket(socket, child: child)
        return socket
    }
    let payerSocket = startDaemon("A", payer)
    let payeeSocket = startDaemon("B", payee)
    let checkingPayerSocket = startDaemon("A-check", payer, ownInvoiceCheck: "lnbits")

    let invoiceBody = "{\"out\":false,\"amount\":\(amountSat),\"unit\":\"sat\",\"memo\":\"bench\",\"expiry\":3600}"
    func httpWorker(_ body: @escaping (HTTPConnection, Int) -> String?) -> (Int) -> (Int) -> String? {
        return { _ in
            guard let connection = HTTPConnection(port: port) else { fail("cannot connect to LNbits") }
            return { ticket in body(connection, ticket) }
        }
    }
    func rpcWorker(_ socket: String, _ body: @escaping (LineConnection, Int) -> String?) -> (Int) -> (Int) -> String? {
        return { _ in
            guard let fd = connectUnix(socket) else { fail("cannot connect to \(socket)") }
            let connection = LineConnection(fd: fd)
            return { ticket in body(connection, ticket) }
        }
    }
    /// `operations` fresh invoices of B (bolt11 and payment hash), made directly on LNbits (untimed).
    func prepareInvoices() -> [(bolt11: String, hash: String)] {
        let result = LockedList()
        _ = runCount(
            operations: operations, concurrency: concurrency,
            makeWorker: httpWorker { connection, _ in
                guard
                    let (status, body) = connection.request(
                        "POST", "/api/v1/payments", key: payee.invoice, body: invoiceBody),
                    status == 201, let bolt11 = stringField(body, "bolt11"),
                    let hash = stringField(body, "payment_hash")
                else { return "prepare invoice failed" }
                result.append(bolt11 + " " + hash)
                return nil
            })
        guard result.items.count == operations else { fail("could not prepare \(operations) invoices") }
        return result.items.map { item in
            let parts = item.split(separator: " ")
            return (String(parts[0]), String(parts[1]))
        }
    }

    let directCreate = httpWorker { connection, _ in
        guard let (status, body) = connection.request("POST", "/api/v1/payments", key: payee.invoice, body: invoiceBody)
        else { return "connection lost" }
        return status == 201 && contains(body, "\"bolt11\"")
            ? nil : "HTTP \(status): \(String(decoding: body.prefix(200), as: UTF8.self))"
    }
    let t4gdCreate = rpcWorker(payeeSocket) { connection, ticket in
        guard
            let reply = connection.call(
                request(
                    id: ticket, method: "invoice.create",
                    params: "{\"amount_msat\":\(amountSat * 1000),\"description\":\"bench\"}"))
        else { return "connection lost" }
        return contains(reply, "\"bolt11\"") ? nil : String(decoding: reply.prefix(200), as: UTF8.self)
    }
    func directPay(_ invoices: [(bolt11: String, hash: String)], check: Bool) -> (Int) -> (Int) -> String? {
        httpWorker { connection, ticket in
            if check {
                guard
                    let (status, _) = connection.request(
                        "GET", "/api/v1/payments/\(invoices[ticket].hash)", key: payer.invoice, body: nil)
                else { return "connection lost" }
                guard status == 404 else { return "check: HTTP \(status), expected 404" }
            }
            guard
                let (status, body) = connection.request(
                    "POST", "/api/v1/payments", key: payer.admin,
                    body: "{\"out\":true,\"bolt11\":\"\(invoices[ticket].bolt11)\"}")
            else { return "connection lost" }
            return status == 201 && contains(body, "\"status\":\"success\"")
                ? nil : "HTTP \(status): \(String(decoding: body.prefix(200), as: UTF8.self))"
        }
    }
    func t4gdPay(_ invoices: [(bolt11: String, hash: String)], socket: String) -> (Int) -> (Int) -> String? {
        rpcWorker(socket) { connection, ticket in
            guard
                let reply = connection.call(
                    request(id: ticket, method: "payment.send", params: "{\"bolt11\":\"\(invoices[ticket].bolt11)\"}"))
            else { return "connection lost" }
            return contains(reply, "\"status\":\"succeeded\"")
                ? nil : String(decoding: reply.prefix(200), as: UTF8.self)
        }
    }

    // Warm-up (connections, caches, SQLite files): a tenth of a round, not counted.
    let warm = max(operations / 10, concurrency)
    _ = runCount(operations: warm, concurrency: concurrency, makeWorker: directCreate)
    _ = runCount(operations: warm, concurrency: concurrency, makeWorker: t4gdCreate)

    var results: [String: [LoadResult]] = [:]
    /// `sides` rotated by `round`.
    func rotated(_ sides: [String], _ round: Int) -> [String] {
        Array(sides[(round % sides.count)...] + sides[..<(round % sides.count)])
    }
    for round in 0..<rounds {
        log("round \(round + 1)/\(rounds)")
        for side in rotated(["direct", "t4gd"], round) {
            let create = runCount(
                operations: operations, concurrency: concurrency,
                makeWorker: side == "direct" ? directCreate : t4gdCreate)
            results["create \(side)", default: []].append(create)
            log("  create \(side): \(fmt(create.rate, 1))/s, errors \(create.errors) \(create.firstError ?? "")")
        }
        for side in rotated(["direct", "t4gd", "direct + check", "t4gd + check"], round) {
            let invoices = prepareInvoices()
            let worker =
                switch side {
                case "t4gd": t4gdPay(invoices, socket: payerSocket)
                case "t4gd + check": t4gdPay(invoices, socket: checkingPayerSocket)
                default: directPay(invoices, check: side != "direct")
                }
            let pay = runCount(operations: operations, concurrency: concurrency, makeWorker: worker)
            results["pay \(side)", default: []].append(pay)
            log("  pay \(side): \(fmt(pay.rate, 1))/s, errors \(pay.errors) \(pay.firstError ?? "")")
        }
    }
    let loadEnd =
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    cleanup()
    try? FileManager.default.removeItem(atPath: root)

    func pooled(_ key: String) -> LoadResult {
        var total = LoadResult()
        for result in results[key] ?? [] {
            total.operations += result.operations
            total.errors += result.errors
            total.seconds += result.seconds
            total.latencies += result.latencies
            if total.firstError == nil { total.firstError = result.firstError }
        }
        total.latencies.sort()
        return total
    }
    print("load average at start: \(loadStart); at end: \(loadEnd)")
    print("\(rounds) rounds x \(operations) operations per side, concurrency \(concurrency), \(amountSat) sat each")
    print("")
    print(
        "| Operation | Path | ops | errors | ops/s | p50 ms | p99 ms | time ratio to direct (pooled) | median of per-round ratios | per-round ratios |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for operation in ["create", "pay"] {
        let direct = pooled("\(operation) direct")
        let name = operation == "create" ? "create invoice" : "pay invoice (A pays B)"
        let paths = operation == "create" ? ["direct", "t4gd"] : ["direct", "t4gd", "direct + check", "t4gd + check"]
        for path in paths {
            let result = pooled("\(operation) \(path)")
            var ratios = zip(results["\(operation) \(path)"] ?? [], results["\(operation) direct"] ?? [])
                .map { $0.0.seconds / $0.1.seconds }
            let perRound = ratios.map { fmt($0, 2) }.joined(separator: ", ")
            ratios.sort()
            let median =
                ratios.isEmpty
                ? Double.nan
                : ratios.count % 2 == 1
                    ? ratios[ratios.count / 2] : (ratios[ratios.count / 2 - 1] + ratios[ratios.count / 2]) / 2
            let labels = [
                "direct": "LNbits direct", "direct + check": "LNbits direct + check GET",
                "t4gd + check": "t4gd, own_invoice_check = \"lnbits\"",
            ]
            let label = labels[path] ?? path
            let columns =
                path == "direct"
                ? "| | |" : "\(fmt(result.seconds / direct.seconds, 3)) | \(fmt(median, 3)) | \(perRound) |"
            print(
                "| \(name) | \(label) | \(result.operations) | \(result.errors) | \(fmt(result.rate, 1)) | \(fmt(result.percentileMillis(0.5), 1)) | \(fmt(result.percentileMillis(0.99), 1)) | \(columns)"
            )
            if let error = result.firstError { print("first error (\(operation) \(path)): \(error)") }
        }
    }
    exit(0)
}

/// A list shared by worker threads.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) {
        lock.lock()
        storage.append(item)
        lock.unlock()
    }
    var items: [String] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
