import Foundation
import Rubric
import Testing

/// Problems with the file itself, before any YAML: it must exist, be a file, and be UTF-8.
@Suite struct FileProblemTests {
    /// A fresh directory per test, removed afterwards.
    static func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rubric-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    static func loadProblems(_ path: String) -> [String] {
        do {
            _ = try Rubric.load(path: path)
            return []
        } catch let errors as RubricErrors {
            return errors.problems.map(\.description)
        } catch {
            return ["unexpected error type: \(error)"]
        }
    }

    @Test func missingFile() throws {
        try Self.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nope.yaml").path
            #expect(Self.loadProblems(path) == ["\(path): no such file; expected the path of a rubric YAML file"])
        }
    }

    @Test func directoryInsteadOfFile() throws {
        try Self.withTemporaryDirectory { directory in
            #expect(Self.loadProblems(directory.path) == ["\(directory.path): is a directory; expected the path of a rubric YAML file"])
        }
    }

    @Test func invalidUTF8IsLocated() throws {
        try Self.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("latin1.yaml")
            // "é" in Latin-1 is the single byte 0xE9, not valid UTF-8.
            try Data("name: x\ntitle: caf".utf8 + [0xE9] + Data("\ncriteria: []\n".utf8)).write(to: file)
            #expect(Self.loadProblems(file.path) == [
                "\(file.path):2:11: the file is not UTF-8 text (byte 0xE9 at byte offset 18); save it as UTF-8",
            ])
        }
    }

    @Test func byteOrderMarkIsIgnored() throws {
        try Self.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("bom.yaml")
            try Data([0xEF, 0xBB, 0xBF] + Array("name: b\ncriteria: x\n".utf8)).write(to: file)
            #expect(Self.loadProblems(file.path) == ["\(file.path):2:11: criteria must be a list of criteria; found 'x'"])
        }
    }

    @Test func loadAndParseAgree() throws {
        try Self.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("ok.yaml")
            try Data(CanonicalHashTests.tiny.utf8).write(to: file)
            #expect(try Rubric.load(path: file.path).contentHash == CanonicalHashTests.tinyHash)
        }
    }

    @Test func descriptionsArePositionedLines() {
        let errors = RubricErrors(problems: [
            RubricProblem(file: "a.yaml", line: 3, column: 7, message: "first"),
            RubricProblem(file: "a.yaml", line: 0, column: 0, message: "whole file"),
        ])
        #expect(errors.description == "a.yaml:3:7: first\na.yaml: whole file")
    }
}
