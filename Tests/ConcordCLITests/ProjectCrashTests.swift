import Foundation
import Testing

/// Imports are all-or-nothing transactions: a `kill -9` in the middle of a 100,000-row
/// import leaves all of it or none of it, and an intact audit log.
/// SQLite only: the rollback is SQLite's journal (PostgreSQL's server side: PostgresRestartTests).
@Suite(.serialized) struct ProjectCrashTests {
    static let clips = 1000
    static let raters = 20
    static let rows = clips * raters * 5   // 5 criteria each: 100,000

    /// 1,000 one-frame clips in batch "big", raters r1…r20. Audit events: init,
    /// rubric.add, clip.add, 20 × rater.add = 23.
    static func template() throws -> Project {
        try TemplateCache.shared.project("hundred-thousand") {
            let project = try Project.create("crash")
            try project.ok(["rubric", "add", Standard.rubric])
            let clips = try Clips.many(Self.clips, in: project.dir)
            try project.ok(["clip", "add"] + clips + ["--batch", "big", "--rubric", "av-cut-in"])
            for k in 1...raters { try project.ok(["rater", "add", "r\(k)", "--role", "rater"]) }
            try writeFile(project.dir + "/labels.csv", Self.labels())
            return project
        }
    }

    /// 100,000 valid rows: every criterion for every (clip, rater).
    static func labels() -> String {
        let severities = ["none", "minor", "moderate", "severe", "critical"]
        var lines = ["clip,rater,criterion,value,frame"]
        lines.reserveCapacity(rows + 1)
        for i in 0..<clips {
            let clip = Clips.name(of: i)
            for k in 1...raters {
                lines.append("\(clip),r\(k),present,yes,0")
                lines.append("\(clip),r\(k),severity,\(severities[(i + k) % 5]),")
                lines.append("\(clip),r\(k),ego-response,good,")
                lines.append("\(clip),r\(k),ttc,\((i + k) % 100 / 10).\((i + k) % 10),")
                lines.append("\(clip),r\(k),notes,clip \(i) by r\(k),")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : -1
    }

    /// Starts the import and kills it with SIGKILL when `when` says so (polled every
    /// 0.5 ms). Returns whether the kill landed before the process ended.
    static func importAndKill(_ project: Project, when: (_ elapsed: Double, _ walSize: Int64) -> Bool) throws -> (killed: Bool, result: CLIResult) {
        let launched = try Tool.launchConcord(["label", "import", template().dir + "/labels.csv", "--project", project.db])
        let start = Date()
        var killed = false
        while launched.process.isRunning {
            if when(Date().timeIntervalSince(start), fileSize(project.db + "-wal")) {
                kill(launched.process.processIdentifier, SIGKILL)
                killed = true
                break
            }
            usleep(500)
        }
        let result = launched.wait()
        return (killed && launched.killedBySignal, result)
    }

    /// All or none: the current labels (through label export and through sqlite3), the
    /// audit events, and an intact chain.
    @discardableResult
    static func expectAllOrNone(_ project: Project, sourceLocation: SourceLocation = #_sourceLocation) throws -> (all: Bool, export: String) {
        let labels = Int(try project.sql("SELECT count(*) FROM label;").dropLast()) ?? -1
        let events = try project.auditEventCount()
        #expect(labels == 0 || labels == rows, "\(labels) labels after the kill", sourceLocation: sourceLocation)
        #expect(events == (labels == 0 ? 23 : 24), "\(events) events with \(labels) labels", sourceLocation: sourceLocation)
        let exported = try project.ok(["label", "export"], sourceLocation: sourceLocation)
        #expect(exported.split(separator: "\n").count - 1 == labels, sourceLocation: sourceLocation)
        #expect(try project.ok(["audit", "verify"], sourceLocation: sourceLocation).hasPrefix("audit log intact: \(events) events, chain and \(2 * 21 + 1 + 2 * clips + 1 + labels) audited rows verified\nanchor "),
                sourceLocation: sourceLocation)
        return (labels == rows, exported)
    }

    @Test func killDuringAHundredThousandRowImportLeavesAllOrNone() throws {
        let template = try Self.template()

        // A whole import first: how long it takes, and what "all" looks like.
        let whole = try template.copy("crash-whole")
        defer { whole.remove() }
        let start = Date()
        #expect(try whole.ok(["label", "import", template.dir + "/labels.csv"])
                == "\(template.dir)/labels.csv: imported 100000 new labels and 0 revisions\n")
        let duration = Date().timeIntervalSince(start)
        let wholeExport = try Self.expectAllOrNone(whole)
        #expect(wholeExport.all)

        // Killed part-way through its run: still reading, checking or inserting. A loaded
        // machine makes run times vary, so earlier and earlier kills are tried until one
        // lands before the import ends; every attempt must leave all or none.
        var half = try template.copy("crash-half")
        var killedOnce = false
        for fraction in [0.5, 0.3, 0.15, 0.05] {
            let (killed, result) = try Self.importAndKill(half) { elapsed, _ in elapsed >= duration * fraction }
            let state = try Self.expectAllOrNone(half)
            if killed && !state.all {
                #expect(result.stdout == "")
                killedOnce = true
                break
            }
            // It committed first (whether or not the kill then hit the exiting process): all
            // of it must be there, and exactly once; try earlier on a fresh copy.
            #expect(state.all)
            half.remove()
            half = try template.copy("crash-half")
        }
        defer { half.remove() }
        #expect(killedOnce, "no kill landed before the import finished (whole run \(duration) s)")

        // Killed as soon as the transaction's pages reach the WAL (spilling or committing).
        let spilled = try template.copy("crash-wal")
        defer { spilled.remove() }
        let (killedWAL, _) = try Self.importAndKill(spilled) { _, wal in wal > 64 * 1024 }
        let all = try Self.expectAllOrNone(spilled).all
        if killedWAL && all {
            // The kill landed after the commit record was written: all of it is there.
            #expect(try spilled.sql("SELECT count(DISTINCT item_id || '/' || rater_id) FROM label;") == "20000\n")
        }

        // After a kill the project works: the same import then brings in all of it.
        #expect(try half.ok(["label", "import", template.dir + "/labels.csv"])
                == "\(template.dir)/labels.csv: imported 100000 new labels and 0 revisions\n")
        let recovered = try Self.expectAllOrNone(half)
        #expect(recovered.all)
        #expect(labelKeys(recovered.export) == labelKeys(wholeExport.export))
    }
}
