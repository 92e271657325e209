import Foundation
import GRDB
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// The write functions of a PostgreSQL project (`PostgresOperations`) write what the Swift
/// Store writes on a project file: the same operations, with the same inputs, on both
/// stores leave the same rows in every audited table and in `label_current`, and audit
/// events with the same actions and details.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresOperationsTests {
    @Test func everyWriteLeavesTheRowsAndAuditDetailsTheSwiftStoreLeaves() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            // Clips: a new batch, then a second batch that reuses one clip (not a new clip).
            let clips = TwinProject.clips(1...3)
            #expect(try twin.sqlite(as: "lena").addClips(clips, batch: "b", rubric: "ops").map(\.item) == [1, 2, 3])
            #expect(try twin.call("add_clips", ["b", "ops", TwinProject.json(clips), "lena"])
                    == #"[{"clip": "c1.mp4", "item": 1, "new_clip": true}, {"clip": "c2.mp4", "item": 2, "new_clip": true}, {"clip": "c3.mp4", "item": 3, "new_clip": true}]"#)
            let reused = TwinProject.clips(3...4)
            #expect(try twin.sqlite(as: nil).addClips(reused, batch: "b2", rubric: "ops").map(\.newClip) == [false, true])
            #expect(try twin.call("add_clips", ["b2", "ops", TwinProject.json(reused), nil])
                    == #"[{"clip": "c3.mp4", "item": 4, "new_clip": false}, {"clip": "c4.mp4", "item": 5, "new_clip": true}]"#)
            // Assignments: overlap 1, then everyone (existing ones kept).
            #expect(try twin.sqlite(as: "lena").assign(batch: "b", raters: ["alice", "bob"], overlap: 1, goldRate: nil) == 3)
            #expect(try twin.call("assign", ["b", "{alice,bob}", "1", nil, "lena"]) == #"{"created": 3}"#)
            #expect(try twin.sqlite(as: nil).assign(batch: "b", raters: ["alice", "bob", "lena"], overlap: nil, goldRate: nil) == 6)
            #expect(try twin.call("assign", ["b", "{alice,bob,lena}", nil, nil, nil]) == #"{"created": 6}"#)
            // Submissions: answers (a number in another spelling), a change that withdraws a
            // hidden answer, an unchanged resubmission, and a lead's.
            let submissions: [(String, ItemSubmission)] = [
                ("alice", ItemSubmission(item: 1, answers: ["present": "yes", "severity": "high", "ttc": "2.50", "notes": "tab\there"],
                                         frame: 3, pts: 0.12, dwellMs: 1_500, watchedShare: 1)),
                ("alice", ItemSubmission(item: 1, answers: ["present": "no", "ttc": "2.5", "notes": "tab\there"],
                                         frame: nil, pts: nil, dwellMs: nil, watchedShare: 0.5)),
                ("alice", ItemSubmission(item: 1, answers: ["present": "no", "ttc": "2.5", "notes": "tab\there"],
                                         frame: 0, pts: 0, dwellMs: 10, watchedShare: 0.25)),
                ("bob", ItemSubmission(item: 2, answers: ["present": "yes", "severity": "low"], frame: 1, pts: 0.04, dwellMs: 900,
                                       watchedShare: 0.75)),
                ("lena", ItemSubmission(item: 3, answers: ["present": "no"], frame: nil, pts: nil, dwellMs: 1, watchedShare: 1)),
            ]
            for (rater, submission) in submissions {
                let result = try twin.sqlite(as: rater).submitItem(submission)
                #expect(try twin.submit(submission, as: rater)
                        == #"{"written": \#(result.written), "replayed": false, "withdrawn": \#(result.withdrawn)}"#)
            }
            // Skips and flags, with the note trimmed.
            try twin.sqlite(as: "alice").markItem(1, kind: .flag, note: "  odd frame \n")
            #expect(try twin.call("mark_item", ["1", "flag", "  odd frame \n", "alice"]) == #"{"mark": 1}"#)
            try twin.sqlite(as: "bob").markItem(2, kind: .skip, note: "blurry")
            #expect(try twin.call("mark_item", ["2", "skip", "blurry", "bob"]) == #"{"mark": 2}"#)
            // A lead's decisions, gold (a training item, then the same item again) and rules.
            let lead = try twin.sqlite(as: "lena")
            #expect(try lead.resolve(item: 1, criterion: "ttc", value: "3.0", reason: .raterError, note: " checked ") == 1)
            #expect(try twin.call("resolve", ["1", "ttc", "3.0", "rater_error", " checked ", "lena"]) == #"{"decision": 1}"#)
            try lead.resolve(item: 1, criterion: "ttc", value: "3.1", reason: .other, note: nil)
            #expect(try twin.call("resolve", ["1", "ttc", "3.1", "other", nil, "lena"]) == #"{"decision": 2}"#)
            try lead.sendBack(item: 1, raters: ["bob", "alice"], note: "look again")
            #expect(try twin.call("send_back", ["1", "{bob,alice}", "look again", "lena"]) == #"{"decision": 3}"#)
            try lead.markNeedsRevision(item: 2, criterion: "severity", note: nil)
            #expect(try twin.call("mark_needs_revision", ["2", "severity", nil, "lena"]) == #"{"decision": 4}"#)
            try lead.addGold(item: 2, criterion: "present", value: "yes", training: true)
            #expect(try twin.call("add_gold", ["2", "present", "yes", "false", "true", "lena"]) == #"{"gold": 1}"#)
            try lead.addGold(item: 2, criterion: "ttc", value: "04", fromGolden: true, training: true)
            #expect(try twin.call("add_gold", ["2", "ttc", "04", "true", "true", "lena"]) == #"{"gold": 2}"#)
            try lead.setBatchRule(batch: "b", spreadThreshold: 1.5, goldThreshold: nil)
            #expect(try twin.call("set_batch_rule", ["b", "1.5", nil, "lena"]) == #"{"rule": 1}"#)
            try lead.setBatchRule(batch: "b", spreadThreshold: nil, goldThreshold: 0.8)
            #expect(try twin.call("set_batch_rule", ["b", nil, "0.8", "lena"]) == #"{"rule": 2}"#)
            // Gold mixed into each queue.
            #expect(try lead.assign(batch: "b2", raters: ["alice", "bob"], overlap: 1, goldRate: nil) == 2)
            #expect(try twin.call("assign", ["b2", "{alice,bob}", "1", nil, "lena"]) == #"{"created": 2}"#)
            try lead.addGold(item: 4, criterion: "present", value: "no")
            #expect(try twin.call("add_gold", ["4", "present", "no", "false", "false", "lena"]) == #"{"gold": 3}"#)
            #expect(try lead.assign(batch: "b2", raters: ["alice", "bob"], overlap: 1, goldRate: 0.5) == 1)
            #expect(try twin.call("assign", ["b2", "{alice,bob}", "1", "0.5", "lena"]) == #"{"created": 1}"#)
            // An import: new labels, revisions, an unchanged row, numbers respelled, dates.
            let rows = [
                LabelImportRow(line: 2, clip: "c2.mp4", rater: "alice", criterion: "present", value: "no", frame: 2,
                               submittedAt: "2026-11-24T13:05:12Z"),
                LabelImportRow(line: 3, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no", submittedAt: "2026-03-02 10:00:00.5+01:00"),
                LabelImportRow(line: 4, clip: "c2.mp4", rater: "bob", criterion: "notes", value: "x"),
                LabelImportRow(line: 5, clip: "c1.mp4", rater: "alice", criterion: "ttc", value: "2.50", frame: 3),
                LabelImportRow(line: 6, clip: String(repeating: "1", count: 12), rater: "alice", criterion: "present", value: "yes", batch: "b"),
                LabelImportRow(line: 7, clip: "c3.mp4", rater: "bob", criterion: "notes", value: "imported", batch: "b2"),
            ]
            let summary = try lead.importLabels(rows, file: "labels.csv", fileSHA256: "feed")
            #expect(summary == ImportSummary(added: 3, revised: 2, unchanged: 1))
            #expect(try twin.importRows(rows, file: "labels.csv", sha256: "feed", batch: nil, as: "lena")
                    == #"{"added": 3, "revised": 2, "unchanged": 1}"#)
            try twin.expectSameRows()
            try twin.expectSameGivenDates()
            #expect(try twin.project.column("SELECT submitted_at FROM concord.label WHERE submitted_at < '2026-12-01' ORDER BY id")
                    == ["2026-11-24T13:05:12.000Z", "2026-03-02T09:00:00.500Z"])
            try twin.expectSameAuditEvents()
        }
    }

    @Test func aSubmissionRetriedWithItsClientIDWritesOnceAndReplaysTheResult() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            _ = try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...2)), nil])
            _ = try twin.call("assign", ["b", "{alice,bob}", nil, nil, nil])
            try twin.project.createLogin("alice")
            try twin.project.createLogin("bob")
            _ = try twin.call("add_rater", ["alice", "rater", nil])
            _ = try twin.call("add_rater", ["bob", "rater", nil])
            let alice = try twin.project.connect(as: "alice")
            let id = "5c1e7a4e-0000-4000-8000-000000000001"
            let submit = "SELECT concord.submit_item($1, 1, $2, NULL, NULL, NULL, 1)::text"
            let first = try alice.execute(submit, [id, #"{"present": "yes", "severity": "low"}"#]).rows[0][0]
            #expect(first == #"{"written": 2, "replayed": false, "withdrawn": 0}"#)
            let counts = "SELECT (SELECT count(*) FROM concord.label) || ' ' || (SELECT count(*) FROM concord.submission) || ' ' || (SELECT count(*) FROM concord.audit_event)"
            let before = try twin.project.column(counts)
            // The retry — even with other answers, the id says it is the same submission.
            let again = try alice.execute(submit, [id, #"{"present": "no"}"#]).rows[0][0]
            #expect(again == #"{"written": 2, "replayed": true, "withdrawn": 0}"#)
            #expect(try twin.project.column(counts) == before)
            #expect(try twin.project.column("SELECT rater_id || ' ' || submission_id || ' ' || result::text FROM concord.submission_request")
                    == [#"2 1 {"written": 2, "withdrawn": 0}"#])
            // Another rater cannot use (or learn the result of) alice's id.
            let bob = try twin.project.connect(as: "bob")
            let stolen = #expect(throws: PostgresError.self) { try bob.execute("SELECT concord.submit_item($1, 2, '{}', NULL, NULL, NULL, 1)", [id]) }
            #expect(stolen?.sqlState == "22023")
            #expect(stolen?.serverMessage == "the submission id \(id) was used by another rater; the client must make a new id for each submission")
            #expect(try twin.project.column(counts) == before)
            // A new id is a new submission.
            let next = try alice.execute(submit, ["5c1e7a4e-0000-4000-8000-000000000002", #"{"present": "yes", "severity": "low"}"#]).rows[0][0]
            #expect(next == #"{"written": 0, "replayed": false, "withdrawn": 0}"#)
            #expect(try twin.project.column("SELECT count(*) FROM concord.submission") == ["2"])
        }
    }

    /// The retry of a client that gave up waiting, sent while the first call still runs: it
    /// waits for the first to commit (the write lock) and replays its result.
    @Test func aRetryDuringTheFirstCallWaitsForItAndReplays() throws {
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            try twin.call("add_clips", ["b", "ops", TwinProject.json(TwinProject.clips(1...1)), nil])
            try twin.call("assign", ["b", "{alice}", nil, nil, nil])
            try twin.project.createLogin("alice")
            try twin.call("add_rater", ["alice", "rater", nil])
            let id = "5c1e7a4e-0000-4000-8000-00000000000a"
            let submit = "SELECT concord.submit_item($1, 1, '{\"present\": \"no\"}', NULL, NULL, NULL, 1)::text"
            let first = try twin.project.connect(as: "alice")
            try first.execute("BEGIN")
            #expect(try first.execute(submit, [id]).rows == [[#"{"written": 1, "replayed": false, "withdrawn": 0}"#]])
            final class Outcome: @unchecked Sendable { var result: String?; var error: String? }
            let outcome = Outcome(), done = DispatchSemaphore(value: 0)
            let uri = cluster.uri(database: twin.project.database, user: "alice")
            DispatchQueue.global().async {
                do { outcome.result = try PostgresConnection(uri: uri).execute(submit, [id]).rows[0][0] } catch { outcome.error = "\(error)" }
                done.signal()
            }
            // The retry is waiting for the write lock the first call holds.
            let waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            var polls = 0
            while try twin.project.column(waiting) != ["1"] && polls < 500 {
                usleep(20_000)
                polls += 1
            }
            #expect(try twin.project.column(waiting) == ["1"])
            try first.execute("COMMIT")
            done.wait()
            #expect(outcome.error == nil)
            #expect(outcome.result == #"{"written": 1, "replayed": true, "withdrawn": 0}"#)
            #expect(try twin.project.column("SELECT count(*) || ' ' || (SELECT count(*) FROM concord.label) FROM concord.submission") == ["1 1"])
        }
    }
}

/// One project on both stores, made the same way: the SQLite file through the Swift Store,
/// the PostgreSQL database through `concord init` (PostgresSchema.install) and the write
/// functions, with the same admin (`ada`), raters, rubric and, step by step, the same
/// writes, so their rows can be compared.
struct TwinProject {
    let store: ProjectStore
    let project: InstalledProject
    /// The admin's connection: every function is called as ada, `p_as` naming who acts.
    let admin: PostgresConnection

    static let rubricYAML = """
    name: ops
    criteria:
      - id: present
        question: Is there a cut-in?
        scale: nominal
        options: ["yes", "no"]
      - id: severity
        question: How severe?
        scale: ordinal
        when: {present: "yes"}
        options: [low, high]
      - id: ttc
        question: Time to collision, in seconds?
        scale: ratio
        range: [0, 10]
        step: 0.1
        required: false
      - id: notes
        question: Notes
        scale: text
    """

    static let raters: [(String, Role)] = [("alice", .rater), ("bob", .rater), ("lena", .lead), ("aud", .auditor), ("mo", .model)]

    static func make(_ cluster: PostgresCluster) throws -> TwinProject {
        let project = try InstalledProject.install(cluster, name: "t")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("twin-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "ada")
        let twin = TwinProject(store: store, project: project, admin: try project.connect(as: "ada"))
        let rubric = try Rubric.parse(rubricYAML, file: "ops.yaml")
        _ = try twin.sqlite(as: nil).addRubric(rubric, sourcePath: "rubrics/ops.yaml")
        _ = try twin.call("add_rubric", [rubric.name, rubric.contentHash, rubric.canonicalJSON, "rubrics/ops.yaml", nil])
        for (name, role) in raters {
            try twin.sqlite(as: nil).addRater(name, role: role)
            _ = try twin.call("add_rater", [name, role.rawValue, nil])
        }
        return twin
    }

    /// The Swift Store's session for ada, acting as `name` (nil: as herself).
    func sqlite(as name: String?) throws -> ProjectSession {
        try store.session(login: "ada", actingAs: name)
    }

    /// `concord.<function>(arguments…)` as ada, its result as text.
    @discardableResult
    func call(_ function: String, _ arguments: [String?]) throws -> String? {
        let placeholders = (1...arguments.count).map { "$\($0)" }.joined(separator: ", ")
        return try admin.execute("SELECT concord.\(function)(\(placeholders))::text", arguments).rows[0][0]
    }

    /// `submit_item` for what the workbench submits: every criterion of the rubric mapped to
    /// its answer, "" for those the rubric's `when` hides or the rater left empty.
    func submit(_ submission: ItemSubmission, as rater: String, clientID: UUID = UUID()) throws -> String? {
        let rubric = try Rubric.parse(Self.rubricYAML, file: "ops.yaml")
        var answers: [String: String] = [:]
        for criterion in rubric.criteria {
            answers[criterion.id] = rubric.isShown(criterion, answers: submission.answers) ? submission.answers[criterion.id] ?? "" : ""
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: answers, options: [.sortedKeys]), as: UTF8.self)
        return try call("submit_item", [clientID.uuidString, String(submission.item), json, submission.frame.map(String.init),
                                        submission.pts.map { "\($0)" }, submission.dwellMs.map(String.init), "\(submission.watchedShare)", rater])
    }

    /// What `concord label import` does on PostgreSQL: the rows COPYed into the temporary
    /// table, then `import_labels`, in one transaction.
    func importRows(_ rows: [LabelImportRow], file: String, sha256: String, batch: String?, as rater: String?,
                    connection: PostgresConnection? = nil) throws -> String? {
        let connection = connection ?? admin
        return try connection.transaction {
            try copyImportRows(rows, on: connection)
            return try connection.execute("SELECT concord.import_labels($1, $2, $3, $4)::text", [file, sha256, batch, rater]).rows[0][0]
        }
    }

    /// In the caller's transaction: `rows` into label_import and, when given, `names` into
    /// label_import_names, both readable by the owner, as concord's client sends them
    /// before it calls `concord.import_labels`.
    func copyImportRows(_ rows: [LabelImportRow], names: [[String?]]? = nil, on connection: PostgresConnection) throws {
        let owner = PostgresSchema.quoteIdentifier(PostgresSchema.roleName("owner", database: project.database))
        try connection.execute(PostgresOperations.labelImportTable)
        try connection.execute("GRANT SELECT ON label_import TO \(owner)")
        try connection.copyIn(PostgresOperations.labelImportCopy, rows: rows.lazy.map {
            [String($0.line), $0.clip, $0.rater, $0.criterion, $0.value, $0.frame.map(String.init), $0.submittedAt, $0.batch]
        })
        if let names {
            try connection.execute(PostgresOperations.labelImportNamesTable)
            try connection.execute("GRANT SELECT ON label_import_names TO \(owner)")
            _ = try connection.copyIn(PostgresOperations.labelImportNamesCopy, rows: names)
        }
    }

    static func clips(_ numbers: ClosedRange<Int>) -> [ClipFacts] {
        numbers.map { i in
            ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 1_000 + Int64(i),
                      codec: "h264", duration: 0.1 * Double(i), frameRate: 29.97, frameCount: 30, width: 64, height: 48, rotation: -90)
        }
    }

    /// Clips as `add_clips` takes them: the clip table's columns. Numbers in Swift's
    /// shortest round-trip spelling, which PostgreSQL reads back to the same bits.
    static func json(_ clips: [ClipFacts]) -> String {
        "[" + clips.map { c in
            #"{"sha256": "\#(c.sha256)", "name": "\#(c.name)", "path": "\#(c.path)", "codec": "\#(c.codec)", "duration": \#(c.duration), "#
                + #""frame_rate": \#(c.frameRate), "frame_count": \#(c.frameCount), "width": \#(c.width), "height": \#(c.height), "#
                + #""rotation": \#(c.rotation), "size_bytes": \#(c.sizeBytes)}"#
        }.joined(separator: ", ") + "]"
    }

    /// Columns that hold the time of writing: equal only by chance on two stores.
    static let timeColumns: Set = ["created_at", "submitted_at", "recorded_at"]

    /// Every audited table and `label_current`, row for row and column for column (ids
    /// included: both stores number from 1 and these writes fail nowhere), but the times.
    func expectSameRows() throws {
        let postgres = PostgresDatabase(connection: try project.connect(), statements: PlaceholderCache())
        let tables = Schema.auditedTables + [("label_current", ["item_id", "rater_id", "criterion", "label_id"])]
        try SeededProject.sqlite(store).read { db in
            for (table, columns) in tables {
                let kept = columns.filter { !Self.timeColumns.contains($0) }
                let order = table == "label_current" ? "item_id, rater_id, criterion" : "id"
                let sql = "SELECT \(kept.joined(separator: ", ")) FROM \(table) ORDER BY \(order)"
                let expected = try SQLiteDatabase(db).rows(sql).map(\.values)
                let found = try postgres.rows("SELECT \(kept.joined(separator: ", ")) FROM concord.\(table) ORDER BY \(order)").map(\.values)
                #expect(found == expected, "\(table)")
            }
        }
    }

    /// The dates an import gave (`submitted_at` before the tests were written; the others
    /// are times of writing), in the Store's form on both stores.
    func expectSameGivenDates() throws {
        let given = "SELECT id, submitted_at FROM label WHERE submitted_at < '2026-12-01' ORDER BY id"
        let expected = try SeededProject.sqlite(store).read { db in try SQLiteDatabase(db).rows(given).map(\.values) }
        let found = try PostgresDatabase(connection: project.connect(), statements: PlaceholderCache())
            .rows(given.replacingOccurrences(of: "FROM label", with: "FROM concord.label")).map(\.values)
        #expect(found == expected)
    }

    /// Parsed JSON as one text, keys sorted and every number as a Double (Swift writes the
    /// watched share 1 as 1.0, jsonb as 1: the same number).
    static func canonical(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]: return "{" + object.keys.sorted().map { "\($0): \(canonical(object[$0]!))" }.joined(separator: ", ") + "}"
        case let array as [Any]: return "[" + array.map(canonical).joined(separator: ", ") + "]"
        case let text as String: return "\"\(text)\""
        case let number as NSNumber: return "\(number.doubleValue)"
        default: return "null"
        }
    }

    /// The audit events: the same sequence of actors and actions, the same details, and the
    /// same tables and id ranges (the digests cover times, so they differ).
    func expectSameAuditEvents() throws {
        func events(_ rows: [[String?]]) throws -> [String] {
            try rows.map { row in
                var payload = try #require(try JSONSerialization.jsonObject(with: Data(row[2]!.utf8)) as? [String: Any])
                let ranges = (payload.removeValue(forKey: "rows") as? [[String: Any]] ?? []).map { "\($0["table"]!) \($0["first"]!)-\($0["last"]!)" }
                return "\(row[0]!) \(row[1]!) \(Self.canonical(payload)) \(ranges)"
            }
        }
        let expected = try SeededProject.sqlite(store).read { db in
            try SQLiteDatabase(db).rows("SELECT actor, action, payload FROM audit_event ORDER BY seq").map { row in
                row.values.map { value -> String? in if case .text(let text) = value { return text } else { return nil } }
            }
        }
        let found = try project.connect().execute("SELECT actor, action, payload FROM concord.audit_event ORDER BY seq").rows
        let want = try events(expected), got = try events(found)
        #expect(got.count == want.count)
        for (g, w) in zip(got, want) { #expect(g == w) }
    }
}
