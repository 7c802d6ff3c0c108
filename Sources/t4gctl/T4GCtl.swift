import ArgumentParser

/// `t4gctl`: the administration command line of t4gd.
@main
struct T4GCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "t4gctl",
        abstract: "Administer a t4gd Lightning payment daemon.",
        discussion: """
            Exit codes: 0 success; 1 the daemon answered an error (printed to stderr with its reason and \
            request_id); 2 invalid input (for example an invalid invoice); 3 the daemon cannot be reached; \
            64 bad command-line usage. The socket is --socket, else $T4GD_SOCKET, else ./data/t4gd.sock.
            """,
        subcommands: [
            Status.self, InvoiceCommand.self, Pay.self, PaymentCommand.self, Balance.self, Rates.self,
            Transactions.self, Events.self, AccountCommand.self, LedgerCommand.self, ProofCommand.self,
            Decode.self, Info.self, Health.self, Node.self, Stop.self, Backup.self, Restore.self, StoreCommand.self,
            Call.self,
        ]
    )
}
