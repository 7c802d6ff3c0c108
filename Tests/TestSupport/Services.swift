import Foundation

/// Runs `body`, then `cleanup`, whether `body` threw or not.
public func withCleanup<T>(_ body: () async throws -> T, finally cleanup: () async -> Void) async throws -> T {
    do {
        let value = try await body()
        await cleanup()
        return value
    } catch {
        await cleanup()
        throw error
    }
}

/// Starts and stops the test services of `regtest/` (a real LNbits, the LND simulator) on 127.0.0.1, each in a
/// fresh short directory under /tmp, with the repository's own scripts.
public enum Services {
    /// The repository's `regtest/` folder, found from this source file.
    public static let regtest = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../regtest").standardizedFileURL.path

    /// A failed script, with its output.
    public struct ScriptFailed: Error, CustomStringConvertible {
        public let script: String
        public let status: Int32
        public let output: String
        public var description: String { "\(script) exited \(status): \(output)" }
    }

    /// Runs `bash script arguments…` (``ChildProcess``) and waits for it on a thread of its own, not on the
    /// cooperative pool; its stdout on success.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String], in directory: TemporaryDirectory) async throws
        -> String
    {
        let name = URL(fileURLWithPath: script).lastPathComponent + "-" + String(UInt32.random(in: 0...UInt32.max))
        let outPath = directory.file("\(name).out")
        let errPath = directory.file("\(name).err")
        let status = try await ChildProcess(
            "/bin/bash", [script] + arguments, standardOutput: .file(outPath), standardError: .file(errPath)
        ).exitStatus()
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw ScriptFailed(script: script, status: status, output: output + errors)
        }
        return output
    }

    /// Decodes JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// A real LNbits 1.6.2 with FakeWallet (`regtest/lnbits/start.sh`): wallets of one instance pay each other.
public struct LNbitsService: Sendable {
    public struct State: Decodable, Sendable {
        public let url: String
        let admin_token: String
    }
    public struct Wallet: Decodable, Sendable {
        public let id: String
        public let adminkey: String
        public let inkey: String
    }

    public let directory: TemporaryDirectory
    public let url: String

    /// Starts LNbits; its super user token is recorded for the run's secret scan (``TestRun``).
    ///
    /// `scripts/test.sh` installs the LNbits venv before the tests start. Run alone (`swift test --filter`) on a
    /// machine without it, the first start installs it (`regtest/lnbits/install.sh`, 1.5-6 min) under a lock;
    /// starts at the same time wait for that install (bounded by `T4G_INSTALL_WAIT`) instead of racing it.
    public static func start() async throws -> LNbitsService {
        let directory = TemporaryDirectory()
        do {
            let output = try await Services.run(
                "\(Services.regtest)/lnbits/start.sh", [directory.file("data")], in: directory)
            let state = try Services.decode(State.self, output)
            TestRun.recordSecret(text: state.admin_token, kind: "lnbits admin token")
            return LNbitsService(directory: directory, url: state.url)
        } catch {
            _ = try? await Services.run("\(Services.regtest)/lnbits/stop.sh", [directory.file("data")], in: directory)
            directory.remove()
            throw error
        }
    }

    /// A new account with one wallet; its keys are recorded for the run's secret scan (``TestRun``).
    public func createWallet(_ name: String) async throws -> Wallet {
        let wallet = try Services.decode(Wallet.self, try await wallet(["create", name]))
        TestRun.recordSecret(text: wallet.adminkey, kind: "lnbits admin key")
        TestRun.recordSecret(text: wallet.inkey, kind: "lnbits invoice key")
        return wallet
    }

    /// Credits `sats` to a wallet (super user top-up).
    public func fund(_ wallet: Wallet, sats: Int64) async throws {
        try await self.wallet(["fund", wallet.id, String(sats)])
    }

    @discardableResult
    private func wallet(_ arguments: [String]) async throws -> String {
        try await Services.run(
            "\(Services.regtest)/lnbits/wallet.sh", [directory.file("data")] + arguments, in: directory)
    }

    /// Stops LNbits and removes its directory.
    public func stop() async {
        _ = try? await Services.run("\(Services.regtest)/lnbits/stop.sh", [directory.file("data")], in: directory)
        directory.remove()
    }
}

/// The LND REST simulator (`regtest/lnd-sim/start.sh`) and its control API.
public struct LNDSimService: Sendable {
    public struct Node: Decodable, Sendable {
        public let pubkey: String
        public let url: String
        public let tls_cert: String
        public let admin_macaroon: String
        public let invoice_macaroon: String
        public let admin_macaroon_hex: String
    }

    public struct State: Decodable, Sendable {
        public let control_url: String
        public let nodes: [String: Node]
    }

    public let directory: TemporaryDirectory
    public let state: State

    /// Starts the simulator with `arguments` (nodes, channels, network), inside the network namespace
    /// `namespace` when one is given (`ip netns exec`; pass `--host` with an address of that namespace); its
    /// macaroons are recorded for the run's secret scan (``TestRun``).
    public static func start(_ arguments: [String], namespace: String? = nil) async throws -> LNDSimService {
        let directory = TemporaryDirectory()
        let script = "\(Services.regtest)/lnd-sim/start.sh"
        do {
            let output =
                if let namespace {
                    try await Services.run(
                        "-c",
                        [#"ip netns exec "$1" /bin/bash "${@:2}""#, "sh", namespace, script, directory.file("sim")]
                            + arguments, in: directory)
                } else {
                    try await Services.run(script, [directory.file("sim")] + arguments, in: directory)
                }
            let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let state = try Services.decode(State.self, text)
            for node in state.nodes.values {
                TestRun.recordSecret(text: node.admin_macaroon_hex, kind: "lnd admin macaroon")
                if let macaroon = FileManager.default.contents(atPath: node.invoice_macaroon) {
                    TestRun.recordSecret([UInt8](macaroon), kind: "lnd invoice macaroon")
                }
            }
            return LNDSimService(directory: directory, state: state)
        } catch {
            _ = try? await Services.run("\(Services.regtest)/lnd-sim/stop.sh", [directory.file("sim")], in: directory)
            directory.remove()
            throw error
        }
    }

    /// A node by name.
    public func node(_ name: String) -> Node { state.nodes[name]! }

    /// Sends `json` to a control endpoint (`/v1/fault`, `/v1/resolve`, `/v1/reset`); its answer.
    @discardableResult
    public func control(_ path: String, _ json: String) async throws -> String {
        try await Services.run(
            "-c",
            [
                "curl -sf -X POST -H 'Content-Type: application/json' --data-binary \"$1\" \"$2\"", "curl", json,
                state.control_url + path,
            ], in: directory)
    }

    /// The simulator's whole state (`GET /v1/state`): nodes, channels and per-hash payment counters.
    public func currentState() async throws -> String {
        try await Services.run("-c", ["curl -sf \"$1\"", "curl", state.control_url + "/v1/state"], in: directory)
    }

    /// How often the simulated nodes were asked to pay a hash, over all nodes (`GET /v1/state`).
    public struct PaymentCounters: Decodable, Sendable {
        /// SendPaymentV2 requests that passed validation (duplicates included).
        public let sends: Int
        /// Payments actually started.
        public let initiated: Int
        public let succeeded: Int
        public let failed: Int
    }

    /// The simulator's counters for `paymentHash` (hex), or `nil` when no node was asked to pay it.
    public func paymentCounters(_ paymentHash: String) async throws -> PaymentCounters? {
        try await paymentCounters()[paymentHash]
    }

    /// The simulator's counters of every payment hash (hex) a node was asked to pay.
    public func paymentCounters() async throws -> [String: PaymentCounters] {
        struct State: Decodable { let payment_hashes: [String: PaymentCounters] }
        return try Services.decode(State.self, try await currentState()).payment_hashes
    }

    /// How often each RPC (e.g. `TrackPaymentV2`) of the node `name` was called (`GET /v1/state`).
    public func calls(of name: String) async throws -> [String: Int] {
        struct Node: Decodable { let calls: [String: Int] }
        struct State: Decodable { let nodes: [String: Node] }
        return try Services.decode(State.self, try await currentState()).nodes[name]?.calls ?? [:]
    }

    /// Stops the simulator and removes its directory.
    public func stop() async {
        _ = try? await Services.run("\(Services.regtest)/lnd-sim/stop.sh", [directory.file("sim")], in: directory)
        directory.remove()
    }
}
