import Foundation
import Testing

/// Many raters, one project file: concord processes writing the same SQLite file at once
/// lose nothing and never show "database is locked" (docs/project-file.md "Invariants").
/// SQLite only: processes sharing one file's lock (PostgreSQL's writers: PostgresRestartTests).
@Suite struct ProjectConcurrencyTests {
    static let clips = 200
    static let raters = (1...8).map { "r\($0)" }

    /// 200 one-frame clips in batch "c", raters r1…r8. Audit events: init, rubric.add,
    /// 8 rater.add, clip.add = 11.
    static func template() throws -> Project {
        try TemplateCache.shared.project("concurrency") {
            let project = try Project.create("concurrency")
            try project.ok(["rubric", "add", Standard.rubric])
            for rater in raters { try project.ok(["rater", "add", rater, "--role", "rater"]) }
            let clips = try Clips.many(Self.clips, in: project.dir)
            try project.ok(["clip", "add"] + clips + ["--batch", "c", "--rubric", "av-cut-in"])
            return project
        }
    }

    /// Rater k's labels: every criterion of every clip (1,000 rows); `round` 2 changes
    /// every TTC answer and keeps the rest.
    static func labels(rater k: Int, round: Int) -> String {
        let severities = ["none", "minor", "moderate", "severe", "critical"]
        let responses = ["unsafe", "poor", "acceptable", "good"]
        var csv = "clip,rater,criterion,value\n"
        for i in 0..<clips {
            let clip = Clips.name(of: i)
            // In the one spelling the project stores numbers in ("1", not "1.0"), so the
            // export can be compared as text.
            let tenths = (i * 7 + k * 13 + round * 29) % 101
            let ttc = tenths % 10 == 0 ? "\(tenths / 10)" : "\(Double(tenths) / 10)"
            csv += "\(clip),r\(k),present,yes\n\(clip),r\(k),severity,\(severities[(i + k) % 5])\n"
            csv += "\(clip),r\(k),ego-response,\(responses[(i * k) % 4])\n\(clip),r\(k),ttc,\(ttc)\n"
            csv += "\(clip),r\(k),notes,\"r\(k) on clip \(i), round 1\"\n"
        }
        return csv
    }

    /// Starts every command at once, then waits for them all.
    static func runTogether(_ commands: [[String]]) throws -> [CLIResult] {
        let launched = try commands.map { try Tool.launchConcord($0) }
        return launched.map { $0.wait() }
    }

    @Test func eightImportersAtOnceLoseNothing() throws {
        let project = try Self.template().copy("concurrency-run")
        defer { project.remove() }
        let files = (1...8).map { project.dir + "/r\($0)-round1.csv" }
        for (k, file) in zip(1...8, files) { try writeFile(file, Self.labels(rater: k, round: 1)) }

        // Round 1: eight importers (each its own rater's file) and two readers, all at once.
        var commands = files.map { ["label", "import", $0, "--project", project.db] }
        commands += [["status", "--format", "json", "--project", project.db], ["audit", "verify", "--project", project.db]]
        let round1 = try Self.runTogether(commands)
        for (i, result) in round1.enumerated() {
            #expect(result.status == 0, "\(commands[i]): \(result.stderr)")
            #expect(Self.onlyWaitNotes(result.stderr), "\(commands[i]): \(result.stderr)")
            #expect(!result.stderr.lowercased().contains("locked") && !result.stdout.lowercased().contains("locked"))
        }
        for (i, file) in files.enumerated() {
            #expect(round1[i].stdout == "\(file): imported 1000 new labels and 0 revisions\n")
        }

        let export = try project.ok(["label", "export"])
        let rows = exportedRows(export)
        #expect(rows.count == 8000)
        for k in 1...8 {
            let expected = Set(parseCSV(Self.labels(rater: k, round: 1)).dropFirst().map { $0.joined(separator: "|") })
            let got = Set(rows.filter { $0["rater"] == "r\(k)" }.map { [$0["clip"]!, $0["rater"]!, $0["criterion"]!, $0["value"]!].joined(separator: "|") })
            #expect(got == expected, "rater r\(k): \(expected.subtracting(got).count) rows missing, \(got.subtracting(expected).count) unexpected")
        }
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 19 events, chain and \(Self.auditedRows(labels: 8000)) audited rows verified\nanchor "))

        // Round 2: the same eight at once, each revising its 200 TTC answers.
        let files2 = (1...8).map { project.dir + "/r\($0)-round2.csv" }
        for (k, file) in zip(1...8, files2) { try writeFile(file, Self.labels(rater: k, round: 2)) }
        let round2 = try Self.runTogether(files2.map { ["label", "import", $0, "--project", project.db] })
        for (i, result) in round2.enumerated() {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.onlyWaitNotes(result.stderr), "\(result.stderr)")
            #expect(result.stdout == "\(files2[i]): imported 0 new labels and 200 revisions; 800 rows unchanged\n")
        }
        let revised = exportedRows(try project.ok(["label", "export"]))
        #expect(revised.count == 8000)
        #expect(revised.filter { $0["criterion"] == "ttc" }.allSatisfy { $0["revision"] == "2" })
        #expect(revised.filter { $0["criterion"] != "ttc" }.allSatisfy { $0["revision"] == "1" })
        #expect(try project.sql("SELECT count(*) FROM label;") == "9600\n")
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 27 events, chain and \(Self.auditedRows(labels: 9600)) audited rows verified\nanchor "))
    }

    /// Four importers and four raters changing one answer per transaction (the workbench's
    /// commit path, submitItem, driven by store-bench), all at once on one file: every import
    /// row and every acknowledged label is there afterwards, and nobody saw a lock error.
    /// ("yes" makes severity, ego-response and ttc required: store-bench answers them too,
    /// so the counts below are of `present`, the criterion it changes.)
    @Test func importersAndLabelersAtOnceLoseNothing() throws {
        let project = try Self.template().copy("concurrency-mixed")
        defer { project.remove() }
        try project.ok(["assign", "--batch", "c", "--raters", "r5,r6,r7,r8"])
        let files = (1...4).map { project.dir + "/r\($0).csv" }
        for (k, file) in zip(1...4, files) { try writeFile(file, Self.labels(rater: k, round: 1)) }
        let storeBench = CLI.binary.deletingLastPathComponent().appendingPathComponent("store-bench").path
        var launched = try files.map { try Tool.launchConcord(["label", "import", $0, "--project", project.db]) }
        launched += try (5...8).map {
            try Tool.launch(storeBench, ["commit", "--project", project.db, "--as", "r\($0)", "--count", "300",
                                         "--criterion", "present", "--values", "yes,no,unclear"])
        }
        let results = launched.map { $0.wait() }
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.onlyWaitNotes(result.stderr), "\(result.stderr)")
            #expect(!result.stdout.lowercased().contains("locked"))
        }
        // 300 acknowledged commits each: 300 revisions in the label table, and the current
        // value is the last one submitted (item i % 200 got value i % 3 last at i = 200 + j).
        for k in 5...8 {
            #expect(try project.sql("SELECT count(*) FROM label l JOIN rater r ON r.id = l.rater_id WHERE r.name = 'r\(k)' AND l.criterion = 'present';") == "300\n")
        }
        let rows = exportedRows(try project.ok(["label", "export"]))
        #expect(rows.filter { ["r1", "r2", "r3", "r4"].contains($0["rater"]!) }.count == 4000)
        let r5 = rows.filter { $0["rater"] == "r5" && $0["criterion"] == "present" }
        #expect(r5.count == 200)
        let values = ["yes", "no", "unclear"]
        for row in r5 {
            let index = Int(row["item"]!)! - 1          // items 1…200 in order
            let lastSubmission = index < 100 ? 200 + index : index
            #expect(row["value"] == values[lastSubmission % 3], "\(row)")
        }
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    /// rater 9 + rater_role 9 + rubric_version 1 + clip 200 + batch 1 + item 200 + labels.
    /// Standard error holds nothing but Store's notes on long waits for the write lock
    /// ("project file busy: waited about N s…", one per second waited, then a line per retry). How long eight writers
    /// wait depends on the machine's load, so the notes may or may not appear; an error, a
    /// lock message or anything else fails.
    static func onlyWaitNotes(_ stderr: String) -> Bool {
        stderr.split(separator: "\n").allSatisfy { line in
            ["concord: ", "store-bench: "].contains { who in
                (line.hasPrefix(who + "project file busy: waited about ") && line.hasSuffix(" s for another writer"))
                    || line.hasPrefix(who + "project file still busy after 30 s of waiting; retry ")
            }
        }
    }

    static func auditedRows(labels: Int) -> Int { 9 + 9 + 1 + clips + 1 + clips + labels }
}
