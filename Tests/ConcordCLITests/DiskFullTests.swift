import Foundation
import Testing

/// A write that fails for want of space (issue 9) is reported and loses nothing committed.
/// The disk is filled for real, for one process: `prlimit --fsize` caps the size any file
/// that process writes may reach, so SQLite's write of the WAL fails with EFBIG, exactly
/// where a full disk fails with ENOSPC (concord ignores SIGXFSZ so the failure is an error,
/// not a killed process).
/// SQLite only: the limit is on the file concord itself writes; PostgreSQL's files are the server's.
@Suite struct DiskFullTests {
    static var prlimit: String? { Tool.which("prlimit") }

    /// 6 notes of 400 kB: 2.4 MB of label text, more than the limit lets the WAL grow by.
    static func bigNotes() throws -> String {
        var csv = "clip,rater,criterion,value\n"
        for rater in ["alice", "bob"] { for clip in ["a.mp4", "b.mp4", "c.mp4"] {
            csv += "\(clip),\(rater),notes,\"\(rater) on \(clip): \(String(repeating: "x", count: 400_000))\"\n"
        } }
        return try CLI.temporaryFile(csv, name: "big-notes.csv")
    }

    /// The file-size cap: the WAL folded into the project file first (so the WAL starts
    /// empty), then the project file's size plus `room`.
    static func cap(_ project: Project, room: Int) throws -> String {
        try project.sql("PRAGMA wal_checkpoint(TRUNCATE);")
        let size = (try FileManager.default.attributesOfItem(atPath: project.db)[.size] as? Int) ?? 0
        return String(size + room)
    }

    @Test func aFullDiskDuringImportIsReportedAndChangesNothing() throws {
        let prlimit = try #require(Self.prlimit, "prlimit (util-linux) caps the file size")
        let project = try Standard.copy()
        let csv = try Self.bigNotes()
        let before = try project.snapshot()
        let result = try Tool.run(prlimit, ["--fsize=\(try Self.cap(project, room: 256 * 1024))", CLI.binary.path, "label", "import", csv, "--project", project.db])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(concordMessage(result.stderr).hasPrefix("concord: the project file refused a"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing of this change was saved and everything saved before is intact — free space and try again"))
        #expect(try project.snapshot() == before)
        // With room again, the same import goes through whole.
        #expect(try project.ok(["label", "import", csv]).contains("imported 6 new labels"))
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }

    /// The workbench's commit path (`submitItem`, driven by `store-bench soak`) writing until
    /// the disk is full: it stops with the message, every submission acknowledged before is
    /// there exactly once, the audit chain is intact, and writing resumes once there is room.
    @Test func aFullDiskDuringRatingLosesNothingAcknowledged() throws {
        let prlimit = try #require(Self.prlimit, "prlimit (util-linux) caps the file size")
        let project = try Project.create("diskfull")
        let rubric = try CLI.temporaryFile("""
            name: soak
            criteria:
              - {id: quality, question: Quality?, scale: ordinal, options: ["1", "2", "3", "4", "5"]}
              - {id: note, question: A note, scale: text}
            """, name: "soak.yaml")
        try project.ok(["rubric", "add", rubric])
        try project.ok(["rater", "add", "w1", "--role", "rater"])
        let clips = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("assets/demo").path)
            .filter { $0.hasSuffix(".mp4") }.map { CLI.packageRoot.appendingPathComponent("assets/demo/\($0)").path }
        try project.ok(["clip", "add"] + clips + ["--batch", "s", "--rubric", "soak"])
        try project.ok(["assign", "--batch", "s", "--raters", "w1"])
        let driver = CLI.binary.deletingLastPathComponent().appendingPathComponent("store-bench").path
        let acks = project.dir + "/w1.acks"
        let full = try Tool.run(prlimit, ["--fsize=\(try Self.cap(project, room: 1024 * 1024))", driver, "soak", "--project", project.db, "--as", "w1", "--acks", acks])
        #expect(full.status == 1, "the driver should stop at the full disk: \(full.stderr)")
        #expect(full.stderr.contains("refused a write") && full.stderr.contains("free space and try again"), "\(full.stderr)")
        let acknowledged = try String(contentsOfFile: acks, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ") }
        #expect(acknowledged.count > 20, "\(acknowledged.count) submissions before the disk filled")
        for ack in acknowledged {
            let count = try project.sql("SELECT count(*) FROM label WHERE criterion = 'note' AND value = '\(ack[2])';")
            #expect(count.trimmingCharacters(in: .newlines) == "1", "\(ack[2])")
        }
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
        // Room again: the same path commits (a driver killed after a moment, as in the soak).
        let resumed = try Tool.launch(driver, ["soak", "--project", project.db, "--as", "w1", "--acks", acks + ".2"])
        // Until it has acknowledged a few (a slow machine starts a debug build slowly), then killed.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline,
              ((try? String(contentsOfFile: acks + ".2", encoding: .utf8))?.split(separator: "\n").count ?? 0) <= 5 {
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(resumed.process.processIdentifier, SIGKILL)
        _ = resumed.wait()
        let more = try String(contentsOfFile: acks + ".2", encoding: .utf8).split(separator: "\n").count
        #expect(more > 5)
        #expect(try project.ok(["audit", "verify"]).contains("intact"))
    }
}
