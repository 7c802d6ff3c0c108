import ArgumentParser
import Foundation
import Store

/// `t4gctl store …`: operations on a store while no daemon serves it.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Operate on a store while no daemon serves it.",
        subcommands: [StoreMigrate.self])
}

/// `t4gctl store migrate --from URL --to URL`: copies a whole store between SQLite and PostgreSQL.
struct StoreMigrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a whole store into an empty one (SQLite to PostgreSQL or back), verifying every table.",
        discussion: """
            Stop every daemon using the source first. The target is created and migrated if needed and must \
            hold no rows. Each table is copied in one transaction, then its row count and checksum are compared \
            with the source's; the command prints one line per table as it is verified (a status line on a terminal shows the table \
            being copied), then a summary, and exits 1 when any differs (the target \
            is then incomplete: drop it before trying again). URLs: sqlite:PATH or \
            postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…]; passwords are never printed.
            """)

    @Option(help: "The source store (sqlite:PATH or postgres://…).") var from: String
    @Option(help: "The target store (sqlite:PATH or postgres://…).") var to: String
    @Option(help: "CA certificates (PEM) for a postgres sslmode=verify-full server.") var caFile: String?

    func run() async throws {
        do {
            let started = ContinuousClock.now
            let source = try await open(from)
            let target = try await open(to)
            let progress = ProgressLine.onStandardError()
            let reports = try await StoreCopy.copy(from: source, to: target) { step in
                switch step {
                case .copying(let table, let position, let count):
                    progress.show("copying \(table) (table \(position) of \(count))")
                case .verified(let report):
                    progress.above {
                        print("\(report.table): \(report.rows) rows, checksum \(report.checksum), verified")
                    }
                }
            }
            progress.stop()
            try await source.close()
            try await target.close()
            let rows = reports.reduce(0) { $0 + $1.rows }
            let elapsed = (ContinuousClock.now - started).components.seconds
            print(
                "copied and verified \(reports.count) tables, \(AmountText.grouped(UInt64(rows))) rows, in "
                    + DurationText.format(seconds: elapsed))
        } catch {
            CommandOutput.printError(reason: "store_migrate_failed", message: "\(error)", asJSON: false)
            throw ExitCode(1)
        }
    }

    private func open(_ url: String) async throws(StoreError) -> Store {
        try await Store(configuration: .init(location: try StoreLocation(url: url), caFile: caFile, instance: "t4gctl"))
    }
}
