import ArgumentParser
import Foundation
import JSONRPC
import RPCClient

/// Options every daemon-facing subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The daemon's socket (default: $T4GD_SOCKET, else ./data/t4gd.sock).")
    var socket: String?

    @Flag(help: "Print the raw JSON result.")
    var json = false

    var socketPath: String { socket ?? ProcessInfo.processInfo.environment["T4GD_SOCKET"] ?? "./data/t4gd.sock" }

    /// Calls `method` and prints its result (JSON or rows); failures exit with a documented code.
    func run(_ method: String, _ params: JSONObject = [:]) async throws {
        print(try await call(method, params))
    }

    /// Calls `method`, returning its result; prints the error and exits on failure. A `progress` line is
    /// erased before anything is printed.
    func call(_ method: String, _ params: JSONObject = [:], progress: ProgressLine? = nil) async throws -> JSONValue {
        let client = try await connect(progress: progress)
        defer { Task { await client.close() } }
        do {
            let result = try await client.call(method, params: params)
            progress?.stop()
            return result
        } catch let error as RPCError {
            progress?.stop()
            CommandOutput.printError(rpcError: error, asJSON: json)
            throw ExitCode(ExitCodes.rpcError)
        } catch {
            progress?.stop()
            CommandOutput.printError(reason: "connection_failed", message: "\(error)", asJSON: json)
            throw ExitCode(ExitCodes.unreachable)
        }
    }

    /// A connection to the daemon; erases `progress`, prints why there is none (not running, or permission
    /// denied) and exits when there is none.
    func connect(progress: ProgressLine? = nil) async throws -> RPCClient {
        do {
            return try await RPCClient.connect(unixDomainSocketPath: socketPath)
        } catch {
            progress?.stop()
            if let denied = SocketAccess.denial(socketPath) {
                CommandOutput.printError(reason: "permission_denied", message: denied, asJSON: json)
            } else {
                CommandOutput.printError(
                    reason: "daemon_unreachable", message: "cannot reach t4gd at \(socketPath): is it running?",
                    asJSON: json)
            }
            throw ExitCode(ExitCodes.unreachable)
        }
    }

    /// Prints a result as JSON or as readable rows.
    func print(_ result: JSONValue) {
        if json {
            Swift.print(String(decoding: result.serialized(), as: UTF8.self))
        } else {
            HumanOutput.forStandardOutput().print(result)
        }
    }
}

/// t4gctl's exit codes (documented in `t4gctl --help` and the README).
enum ExitCodes {
    static let rpcError: Int32 = 1
    static let invalidInput: Int32 = 2
    static let unreachable: Int32 = 3
}
