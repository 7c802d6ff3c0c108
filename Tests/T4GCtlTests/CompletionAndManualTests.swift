import ArgumentParser
import Foundation
import Testing

@testable import t4gctl

/// Shell completions and man pages come from the command definitions (swift-argument-parser): completions
/// from `t4gctl --generate-completion-script SHELL`, man pages by the generate-manual plugin from
/// `t4gctl --experimental-dump-help`. Both generate, and cover every subcommand.
@Suite struct CompletionAndManualTests {
    static let subcommands = T4GCtl.configuration.subcommands.map { $0._commandName }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsGenerateForEverySubcommand(shell: String) throws {
        let result = try runT4GCtl(["--generate-completion-script", shell])
        #expect(result.status == 0)
        let script = String(decoding: result.stdout, as: UTF8.self)
        for name in Self.subcommands { #expect(script.contains(name), "\(shell) completes \(name)") }
        #expect(script.contains("--socket") || script.contains("-l socket") || script.contains("'socket'"))
    }

    @Test func theToolInfoManPagesAreWrittenFromCoversEveryCommand() throws {
        let result = try runT4GCtl(["--experimental-dump-help"])
        #expect(result.status == 0)
        let info = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let command = try #require(info["command"] as? [String: Any])
        #expect(command["commandName"] as? String == "t4gctl")
        let names = (command["subcommands"] as? [[String: Any]])?.compactMap { $0["commandName"] as? String } ?? []
        for name in Self.subcommands { #expect(names.contains(name), "the manual has \(name)") }
        #expect(names.contains("status"))
    }
}
