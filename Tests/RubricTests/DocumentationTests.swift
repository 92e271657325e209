import Foundation
import Rubric
import Testing

/// docs/rubrics.md is what leads copy from: every complete rubric in it must load, and the
/// hash it quotes must be the one computed.
@Suite struct DocumentationTests {
    static func codeBlocks(language: String) throws -> [String] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/rubrics.md"), encoding: .utf8)
        return text.components(separatedBy: "```\(language)\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
    }

    @Test func completeExamplesLoad() throws {
        let rubrics = try Self.codeBlocks(language: "yaml").filter { $0.hasPrefix("name:") }
        #expect(rubrics.count == 2)
        for yaml in rubrics { #expect(problems(yaml, file: "docs/rubrics.md") == []) }
    }

    @Test func quotedCanonicalJSONAndHashAreTheComputedOnes() throws {
        let tiny = try #require(try Self.codeBlocks(language: "yaml").first { $0.hasPrefix("name: tiny") })
        let json = try #require(try Self.codeBlocks(language: "json").first)
        let rubric = try rubric(tiny)
        #expect(rubric.canonicalJSON + "\n" == json)
        #expect(rubric.contentHash == CanonicalHashTests.tinyHash)
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/rubrics.md"), encoding: .utf8)
        #expect(doc.contains("`\(rubric.contentHash)`"))
    }

    @Test func reservedKeysAreDocumented() throws {
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/rubrics.md"), encoding: .utf8)
        #expect(doc.contains("`q`  `?`  space  `[`  `]`  `<`  `>`  `s`  `f`  `u`  `n`  `p`"))
        // And each of them is refused.
        for key in ["q", "?", " ", "[", "]", "<", ">", "s", "f", "u", "n", "p"] {
            let yaml = "name: k\ncriteria:\n  - {id: a, question: q, scale: nominal, options: [{value: x, key: \"\(key)\"}]}\n"
            #expect(problems(yaml).first?.contains("is reserved by the workbench") == true, "key '\(key)'")
        }
    }
}
