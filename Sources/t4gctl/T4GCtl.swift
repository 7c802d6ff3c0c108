import ArgumentParser

/// `t4gctl`: the administration command line of t4gd.
@main
struct T4GCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "t4gctl",
        abstract: "Administer a t4gd Lightning payment daemon.",
        discussion: """
            Exit codes: 0 success; 1 the command failed (an error was printed to stderr); 2 invalid input \
            (for example an invalid invoice); 64 bad command-line usage.
            """,
        subcommands: [Decode.self]
    )
}
