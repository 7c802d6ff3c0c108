import JSONRPC
import RPCClient

/// One kind of request the load tool sends, and how often relative to the others.
struct Operation: Sendable {
    /// The name used in `--mix`.
    let name: String
    /// Relative weight in the mix.
    let weight: Int
    /// Sends one request (or, for `pay`, the pair of requests it needs) and returns the result.
    let run: @Sendable (_ clients: ClientPair, _ sequence: Int) async throws -> Void
}

/// The connections one simulated client uses: to the daemon under load, and to a payee daemon for `pay`.
struct ClientPair: Sendable {
    let daemon: RPCClient
    let payee: RPCClient?
}

/// The operations `--mix` may name.
enum Workload {
    static let names = [
        "daemon.info", "daemon.health", "invoice.create", "invoice.list", "events.list", "payment.list", "pay",
    ]

    /// Parses `name=weight,name=weight` (a name alone has weight 1).
    static func parse(_ mix: String, hasPayee: Bool) throws -> [Operation] {
        try mix.split(separator: ",").map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = parts.first, names.contains(name) else {
                throw LoadError("unknown operation '\(entry)' in --mix; known: \(names.joined(separator: ", "))")
            }
            let weight = parts.count == 2 ? Int(parts[1]) : 1
            guard let weight, weight > 0 else { throw LoadError("weight of '\(name)' must be a positive integer") }
            if name == "pay" && !hasPayee {
                throw LoadError(
                    "'pay' needs --payee-socket (a daemon on the same dev network that issues the invoices)")
            }
            return Operation(name: name, weight: weight, run: body(of: name))
        }
    }

    private static func body(of name: String) -> @Sendable (ClientPair, Int) async throws -> Void {
        switch name {
        case "invoice.create":
            return { clients, sequence in
                _ = try await clients.daemon.call(
                    "invoice.create", params: ["amount_msat": 1_000, "description": .string("load \(sequence)")])
            }
        case "invoice.list", "payment.list", "events.list":
            return { clients, _ in _ = try await clients.daemon.call(name, params: ["limit": 10]) }
        case "pay":
            return { clients, sequence in
                guard let payee = clients.payee else { throw LoadError("no payee connection") }
                let invoice = try await payee.call(
                    "invoice.create", params: ["amount_msat": 1_000, "description": .string("pay \(sequence)")])
                guard case .string(let bolt11)? = invoice.objectValue?["bolt11"] else {
                    throw LoadError("invoice.create answered without bolt11")
                }
                _ = try await clients.daemon.call("payment.send", params: ["bolt11": .string(bolt11)])
            }
        default:
            return { clients, _ in _ = try await clients.daemon.call(name) }
        }
    }

    /// Picks operations at random, in proportion to their weights.
    struct Picker: Sendable {
        private let table: [Int]
        private let operations: [Operation]

        init(operations: [Operation]) {
            self.operations = operations
            self.table = operations.indices.flatMap { Array(repeating: $0, count: operations[$0].weight) }
        }

        func next() -> Operation { operations[table.randomElement()!] }
    }
}

/// A usage or set-up error of the load tool.
struct LoadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
