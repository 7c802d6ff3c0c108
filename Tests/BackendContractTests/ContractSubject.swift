import BOLT11
import Foundation
import Lightning
import Logging
import Synchronization

/// Two backends of one kind that can pay each other, and what the contract may expect of that kind.
struct ContractSubject: Sendable {
    /// The backend kind, for messages.
    let name: String
    /// Pays B's invoices; funded.
    let payer: any LightningBackend
    /// Issues invoices.
    let payee: any LightningBackend
    /// The network both run on.
    let network: Network
    /// The key that signs B's invoices (hex), when known.
    let payeeKey: String?
    /// Whether the backend can cancel an invoice (LNbits cannot).
    let cancels: Bool
    /// Whether the backend reveals the preimage when it creates an invoice.
    let revealsPreimage: Bool
}

/// A log handler that keeps every line, so that tests can check that no secret was logged.
struct RecordingLogHandler: LogHandler {
    /// The lines logged so far, shared by every copy of the handler.
    final class Lines: Sendable {
        private let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(Date().timeIntervalSince1970) \(event.level) \(event.message) \(merged)")
    }

    /// A logger writing into `lines`.
    static func logger(_ lines: Lines) -> Logger {
        Logger(label: "contract") { _ in RecordingLogHandler(lines: lines) }
    }
}
