import JSONRPC
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `docs/rpc-errors.md` and ``RPCErrorReason/all`` must list the same errors, field for field.
@Suite struct ErrorCatalogDocTests {
    private struct Row: Equatable, CustomStringConvertible {
        var code: String
        var name: String
        var area: String
        var message: String
        var dataFields: String
        var summary: String

        var description: String {
            "| \(code) | `\(name)` | \(area) | \(message) | \(dataFields) | \(summary) |"
        }
    }

    @Test func docTableMatchesCatalog() throws {
        let documentPath = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let text = try #require(
            Self.readFile("/" + documentPath + "/docs/rpc-errors.md"), "cannot read docs/rpc-errors.md")
        let documented = Self.tableRows(in: text)
        let expected = RPCErrorReason.all.map { reason in
            Row(
                code: String(reason.code),
                name: reason.name,
                area: reason.area.rawValue,
                message: reason.message,
                dataFields: reason.dataFields.map { "`\($0)`" }.joined(separator: ", "),
                summary: reason.summary
            )
        }
        #expect(documented.count == expected.count)
        for (index, row) in expected.enumerated() {
            let found = index < documented.count ? documented[index] : nil
            #expect(found == row, "row \(index + 1) of the error table should be:\n\(row)")
        }
    }

    /// The rows of the first table whose header starts with `| code | reason |`.
    private static func tableRows(in text: String) -> [Row] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("| code | reason |") }) else { return [] }
        return lines[(header + 2)...].prefix { $0.hasPrefix("|") }.map { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingSpaces() }
            return Row(
                code: cells[0],
                name: cells[1].trimmingBackticks(),
                area: cells[2],
                message: cells[3],
                dataFields: cells[4],
                summary: cells[5]
            )
        }
    }

    private static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    fileprivate func trimmingBackticks() -> String {
        String(drop { $0 == "`" }.reversed().drop { $0 == "`" }.reversed())
    }
}
