import Foundation

/// Runs one of the Python reference scripts in Tests/Reference (reference.py, sureal_reference.py)
/// the way every reference comparison does: JSON lines in on standard input, JSON lines out,
/// with the python `make test` puts in .build-venv (or `CONCORD_TEST_PYTHON`). Shared by the
/// Agreement and OpinionScores tests so the process handling is written once.
public enum ReferenceScript {
    /// The repository's root (this file is Tests/ReferenceTestSupport/ReferenceScript.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    public static var python: String {
        ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"]
            ?? root.appendingPathComponent(".build-venv/bin/python3").path
    }

    /// Whether the python exists (callers record a test issue naming `python` when not).
    public static var pythonExists: Bool { FileManager.default.isExecutableFile(atPath: python) }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Feeds `input` to Tests/Reference/`script` and returns its standard output's lines;
    /// a non-zero exit throws with the script's standard error.
    public static func run(_ script: String, input: String) throws -> [Substring] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("Tests/Reference/\(script)").path]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        nonisolated(unsafe) var out = Data(), err = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
        // A child that exits early must not kill the test runner with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(script) failed: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self).split(separator: "\n")
    }
}
