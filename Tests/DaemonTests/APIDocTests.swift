import Foundation
import Testing

@testable import RPCMethods

/// docs/api.md is the OpenRPC document rendered (`t4gd --print-api-doc`); it must not drift from it.
@Suite struct APIDocTests {
    @Test func docsAPIMatchesTheOpenRPCDocument() throws {
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let documented = try String(contentsOfFile: "/" + root + "/docs/api.md", encoding: .utf8)
        #expect(
            documented == APIDocument.markdown,
            "docs/api.md is out of date: run `swift run t4gd --print-api-doc > docs/api.md`")
    }

    @Test func everyMethodHasItsSectionWithRoleParamsResultErrorsAndAnExample() {
        let page = APIDocument.markdown
        for method in RPCMethod.Declaration.all {
            let start = page.range(of: "\n## \(method.name)\n")
            #expect(start != nil, "no section for \(method.name)")
            guard let start else { continue }
            let rest = page[start.upperBound...]
            let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
            #expect(section.contains("Role: `\(method.role.rawValue)`"), "\(method.name)")
            #expect(section.contains("Result: "), "\(method.name)")
            #expect(section.contains("Errors: `invalid_params` (-32602)"), "\(method.name)")
            for reason in method.errors { #expect(section.contains("`\(reason.name)` (\(reason.code))")) }
            for param in method.params { #expect(section.contains("| `\(param.name)` |"), "\(method.name)") }
            #expect(section.contains("\"method\": \"\(method.name)\""), "\(method.name) has no example request")
            #expect(section.contains("\"result\":"), "\(method.name) has no example answer")
        }
    }
}
