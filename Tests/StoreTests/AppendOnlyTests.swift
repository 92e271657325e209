import Foundation
import Rubric
@testable import Store
import Testing

/// Every table but the current-label cache is append-only (docs/project-file.md): the
/// tables are listed from sqlite_master itself, not from Store's own list, so a table added
/// without its triggers — or a trigger dropped — fails here, and each trigger is tried by
/// a real UPDATE and DELETE on a real row through the sqlite3 CLI.
@Suite struct AppendOnlyTests {
    /// Tables that are not history: the current-label cache (updated by design, checked by
    /// `audit verify`) and GRDB's record of applied migrations.
    static let notHistory: Set<String> = ["label_current", "grdb_migrations"]

    /// A project with at least one row in every table.
    static func fullProject(_ kind: StoreKind) throws -> TestProject {
        let project = try TestProject.demo(kind)
        let admin = project.admin
        let alice = try project.session("alice")
        let bob = try project.session("bob")
        _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: 1, goldRate: nil)          // batch_setting
        try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "low"], frame: 1, pts: 0.04,
                                            dwellMs: 900, watchedShare: 1))                              // label, submission
        try bob.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 2, pts: 0.08, dwellMs: 700, watchedShare: 1,
                                          display: DisplayRecord(mode: .blocks, width: 80, height: 44, colors: "256",
                                                                 speeds: [1])))   // submission_display
        try bob.markItem(2, kind: .flag, note: "too dark")                                               // item_mark
        try admin.resolve(item: 1, criterion: "present", value: "yes", reason: .raterError, note: "see 0.5 s")  // decision
        try admin.sendBack(item: 1, raters: ["bob"], note: "look again")                                  // decision_rater
        try admin.addGold(item: 2, criterion: "present", value: "no")                                    // gold
        try admin.setBatchRule(batch: "b", spreadThreshold: 1, goldThreshold: 0.8)                       // batch_rule
        try admin.addGold(item: 1, criterion: "present", value: "yes", training: true)                   // training_item
        try admin.keepClipIndexes([ClipFrameIndex(sha256: String(repeating: "1", count: 64), format: "frames-1",
                                                  frames: [1, 2, 3])])                                     // clip_index
        _ = try admin.importLabels([LabelImportRow(line: 2, clip: "c2.mp4", rater: "bob", criterion: "present", value: "yes",
                                                   confidence: 0.5, sample: 2)],
                                   file: "m.csv", fileSHA256: String(repeating: "b", count: 64))          // label_prediction
        _ = try admin.addRubric(try Rubric.parse(PairsStoreTests.rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        _ = try admin.addPairs([PairRequest(a: "c1.mp4", b: "c2.mp4")], batch: "pb", rubric: "pref")  // item_pair
        _ = try admin.tagClips([ClipTag(clip: "c1.mp4", group: "g", system: "m")])                       // clip_tag
        _ = try admin.assign(batch: "pb", raters: ["alice"], overlap: nil, goldRate: nil)                 // assignment_side
        return project
    }

    static let historyTables = ["assignment", "assignment_side", "audit_event", "batch", "batch_rule", "batch_setting", "clip", "clip_index", "clip_tag",
                                "decision", "decision_rater", "gold", "item", "item_mark", "item_pair", "label", "label_prediction", "project", "rater", "rater_role", "rubric_version", "submission",
                                "submission_display", "training_item"]

    /// The same actions write the same rows on both stores, and the audit log covers them.
    @Test(arguments: StoreKind.all)
    func theSameActionsWriteTheSameRowsOnBothStores(kind: StoreKind) throws {
        let project = try Self.fullProject(kind)
        let counts = try project.store.read { db in
            try Self.historyTables.map { "\($0) \(try db.value(Int.self, "SELECT count(*) FROM \($0)") ?? -1)" }
        }
        // 21 events: init, rubric, 3 raters, clips, 2 assigns, 2 submissions, the flag, the
        // resolution, the send-back, 2 golds (the training one also a training item), the rule,
        // the import with a confidence; a pairwise rubric, a pair (its two clips in the pool:
        // items 3–5), a tag and its assignment with a side.
        #expect(counts == ["assignment 5", "assignment_side 1", "audit_event 21", "batch 2", "batch_rule 1", "batch_setting 1", "clip 2", "clip_index 1",
                           "clip_tag 1", "decision 2", "decision_rater 1", "gold 2", "item 5", "item_mark 1", "item_pair 1", "label 4", "label_prediction 1",
                           "project 1", "rater 4", "rater_role 4", "rubric_version 2", "submission 2", "submission_display 1", "training_item 1"])
        let report = try project.admin.verifyAudit()
        #expect(report.problems == [])
        #expect(report.events == 21)
    }

    static func sqlite(_ path: String, _ sql: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// SQLite only: it tampers through the sqlite3 CLI. On PostgreSQL the same refusals, as
    /// every role, are PostgresRoleTests.noLoginCanInsertUpdateOrDeleteAnyTable's.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func everyHistoryTableRefusesUpdateAndDelete() throws {
        let project = try Self.fullProject(.sqlite)
        let (path, admin) = (project.store.path, project.admin)
        let tables = try Self.sqlite(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;")
            .stdout.split(separator: "\n").map(String.init).filter { !Self.notHistory.contains($0) }
        #expect(tables == Self.historyTables)
        let triggers = try Self.sqlite(path, "SELECT tbl_name || ' ' || name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1;").stdout
        let before = try Self.sqlite(path, tables.map { "SELECT '\($0)', count(*) FROM \($0);" }.joined()).stdout
        for table in tables {
            #expect(triggers.contains("\(table) \(table)_no_update\n") && triggers.contains("\(table) \(table)_no_delete\n"), "\(table)")
            let count = try Self.sqlite(path, "SELECT count(*) FROM \(table);").stdout
            #expect(count != "0\n", "\(table) has a row to try")
            let first = try Self.sqlite(path, "SELECT name FROM pragma_table_info('\(table)') ORDER BY cid LIMIT 1;").stdout
                .trimmingCharacters(in: .newlines)
            for statement in ["UPDATE \(table) SET \(first) = \(first) WHERE rowid = (SELECT min(rowid) FROM \(table));",
                              "DELETE FROM \(table) WHERE rowid = (SELECT min(rowid) FROM \(table));"] {
                let result = try Self.sqlite(path, statement)
                #expect(result.status != 0, "\(statement)")
                #expect(result.stderr.contains("\(table) is append-only: history is never rewritten"), "\(statement): \(result.stderr)")
            }
        }
        #expect(try Self.sqlite(path, tables.map { "SELECT '\($0)', count(*) FROM \($0);" }.joined()).stdout == before)
        #expect(try admin.verifyAudit().intact)
    }
}
