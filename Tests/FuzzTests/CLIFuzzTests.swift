import Foundation
import Testing

/// The user's view of the same inputs: the built `concord` binary on mutated files, through
/// `agreement` (reliability CSV) and `label import` (labels CSV, into a real project, so the
/// Store's importer sees every parsed row too). Whatever the file, concord exits 0, 1 or 2,
/// never by a signal; on 2 its standard error is one line starting `concord: `.
///
/// Fewer inputs than the in-process fuzzers: each is a process launch.
@Suite(.serialized) struct CLIFuzzTests {
    @Test func agreementCommand() throws {
        let dir = try Fuzz.scratch("cli-agreement")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try fuzzCommand(kind: "reliability-csv", dir: dir, multiLine: false) { file in ["agreement", file] }
    }

    @Test func labelImportCommand() throws {
        let dir = try Fuzz.scratch("cli-labels")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/p.db"
        // A project matching the labels seeds: rubric av-cut-in, raters alice and bob, clip
        // a.mp4 (a 10-frame seed of the video corpus) in batch b1, both raters assigned.
        let clip = dir + "/a.mp4"
        try FileManager.default.copyItem(atPath: Fuzz.packageRoot.appendingPathComponent("fuzz/corpus/video/h264-faststart.mp4").path,
                                         toPath: clip)
        let setup: [[String]] = [
            ["init", "--project", db],
            ["rubric", "add", Fuzz.packageRoot.appendingPathComponent("rubrics/av-cut-in.yaml").path, "--project", db],
            ["rater", "add", "alice", "--role", "rater", "--project", db],
            ["rater", "add", "bob", "--role", "rater", "--project", db],
            ["clip", "add", clip, "--batch", "b1", "--rubric", "av-cut-in", "--project", db],
            ["assign", "--batch", "b1", "--raters", "alice,bob", "--project", db],
        ]
        for arguments in setup {
            let result = try ConcordProcess.run(arguments, limit: 60)
            try #require(result.status == 0 && !result.signalled, "setup \(arguments): \(result.stderr)")
        }
        var imported = 0
        // The importer lists every problem of a file, one per line, after a summary line.
        try fuzzCommand(kind: "labels-csv", dir: dir, multiLine: true, imported: &imported) { file in ["label", "import", file, "--project", db] }
        // The seeds include valid files, so the project really took labels: the fuzzer
        // reached the importer, not only the parser.
        #expect(imported > 0)
    }

    private func fuzzCommand(kind: String, dir: String, multiLine: Bool, _ arguments: (String) -> [String]) throws {
        var ignored = 0
        try fuzzCommand(kind: kind, dir: dir, multiLine: multiLine, imported: &ignored, arguments)
    }

    private func fuzzCommand(kind: String, dir: String, multiLine: Bool, imported: inout Int,
                             _ arguments: (String) -> [String]) throws {
        let seeds = try Fuzz.corpus(kind)
        let mutator = Mutator(dictionary: Mutator.csv)
        let count = Fuzz.iterations(share: 0.005, minimum: 10)
        var rng = SeededRandom(seed: Fuzz.seed ^ 0xC11 ^ UInt64(kind.utf8.count))
        var failures = 0, slowest = 0.0, exitedZero = 0
        let t0 = Date()
        let file = dir + "/input.csv"
        for i in 0..<(seeds.count + count) {
            let (input, origin) = mutator.input(i, of: seeds, rng: &rng)
            try Data(input).write(to: URL(fileURLWithPath: file))
            let started = Date()
            let result = try ConcordProcess.run(arguments(file), limit: 30)
            slowest = max(slowest, Date().timeIntervalSince(started))
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            var problem: String?
            if result.timedOut {
                problem = "did not finish within 30 s"
            } else if result.signalled || result.status >= 128 {
                problem = "ended by signal/status \(result.status)"
            } else if ![0, 1, 2].contains(result.status) {
                problem = "exit status \(result.status)"
            } else if result.status == 2 && !(lines.count >= 2 && lines.last!.isEmpty && lines[0].hasPrefix("concord: ")
                                                && lines[0].count > 20 && lines.dropLast().allSatisfy({ !$0.isEmpty })
                                                && (lines.count == 2 || multiLine)) {
                problem = "status 2 without a clear `concord: ` message on stderr: \(result.stderr.debugDescription)"
            } else if let bad = result.stderr.unicodeScalars.first(where: {
                $0 != "\n" && ($0.properties.generalCategory == .control || $0.properties.generalCategory == .format) }) {
                // Echoed file content must not reach the terminal raw: a CR rewrites the line
                // the user reads, an ESC starts an escape sequence.
                problem = "control character U+\(String(bad.value, radix: 16)) on stderr: \(result.stderr.debugDescription)"
            }
            if result.status == 0 && result.stdout.contains("imported") { imported += 1 }
            if result.status == 0 { exitedZero += 1 }
            if let problem {
                failures += 1
                let saved = FuzzRecord.save(kind: "cli-\(kind)", name: "failure", bytes: input)
                Issue.record("concord \(arguments(file).joined(separator: " ")) on \(origin): \(problem) (input saved to \(saved))")
            }
        }
        FuzzRecord.report(kind: "cli-\(kind)", executions: seeds.count + count, seconds: Date().timeIntervalSince(t0),
                          failures: failures, slowest: slowest,
                          note: imported > 0 ? "\(imported) imported" : "\(exitedZero) exited 0")
        #expect(failures == 0)
    }
}

/// Runs the `concord` binary built beside this test bundle, with a time limit.
enum ConcordProcess {
    struct Result {
        var status: Int32
        var signalled: Bool
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    static var binary: URL { ConcordBinary.url }

    static func run(_ arguments: [String], limit: Double) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = "120"
        process.environment = env
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("concord-fuzz-out-\(UUID().uuidString)").path
        let outPath = base + ".out", errPath = base + ".err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath); try? FileManager.default.removeItem(atPath: errPath) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(limit)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline { timedOut = true; process.terminate(); break }
            usleep(2_000)
        }
        process.waitUntilExit()
        let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return Result(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal && !timedOut,
                      timedOut: timedOut, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
