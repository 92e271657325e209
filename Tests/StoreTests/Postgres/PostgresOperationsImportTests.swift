import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// `concord.import_labels`: the rows a client COPYs into its temporary table become the
/// labels and revisions the Swift importer writes from the same rows, or are refused with
/// the Swift importer's problems, line by line.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresOperationsImportTests {
    /// Clips c1…cN whose SHA-256s share a long prefix (…c0ffee, …c0ffef, …), so a reference
    /// by prefix can match several.
    static func facts(_ clips: ClosedRange<Int>) -> [ClipFacts] {
        TwinProject.clips(clips).map { clip in
            var clip = clip
            clip.sha256 = String(format: "%064x", 0xC0FFEE + Int(clip.name.dropFirst().dropLast(4))! - 1)
            return clip
        }
    }

    /// A project on both stores with batch `b` of `clips` clips.
    static func project(_ cluster: PostgresCluster, clips: Int) throws -> TwinProject {
        let twin = try TwinProject.make(cluster)
        _ = try twin.sqlite(as: nil).addClips(facts(1...clips), batch: "b", rubric: "ops")
        try twin.call("add_clips", ["b", "ops", TwinProject.json(facts(1...clips)), nil])
        return twin
    }

    /// Rows for every clip × rater × criterion, in file order, with values that need every
    /// rule: conditional answers (severity only when present is yes), numbers in other
    /// spellings, frames, dates in several forms, text with tabs and newlines.
    /// `seed` changes the values of even clips only: odd clips' rows stay as they were.
    static func rows(clips: Int, raters: [String], seed: Int) -> [LabelImportRow] {
        var rows: [LabelImportRow] = []
        var line = 1
        for c in 1...clips {
            for (r, rater) in raters.enumerated() {
                let k = c * 31 + r * 7 + (c % 2 == 0 ? seed : 0)
                let present = k % 3 == 0 ? "no" : "yes"
                line += 1
                rows.append(LabelImportRow(line: line, clip: "c\(c).mp4", rater: rater, criterion: "present", value: present,
                                           frame: k % 5 == 0 ? k % 30 : nil, submittedAt: ["2026-11-24T13:05:12Z", nil, "2026-01-31 23:59"][k % 3]))
                if present == "yes" {
                    line += 1
                    rows.append(LabelImportRow(line: line, clip: "c\(c).mp4", rater: rater, criterion: "severity", value: k % 2 == 0 ? "low" : "high"))
                }
                line += 1
                rows.append(LabelImportRow(line: line, clip: "c\(c).mp4", rater: rater, criterion: "ttc",
                                           value: ["2.50", "7", "0.1", "10.0", "03.3"][k % 5], batch: k % 4 == 0 ? "b" : nil))
                line += 1
                rows.append(LabelImportRow(line: line, clip: "c\(c).mp4", rater: rater, criterion: "notes", value: "n\(k % 4)\t\\ \n ü"))
            }
        }
        return rows
    }

    @Test func aFewThousandRowsBecomeTheLabelsTheSwiftImporterWrites() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 150)
            let raters = ["alice", "bob", "lena", "ada", "mo"]
            let first = Self.rows(clips: 150, raters: raters, seed: 0)
            #expect(first.count > 2_500)
            let lead = try twin.sqlite(as: "lena")
            let summary = try lead.importLabels(first, file: "first.csv", fileSHA256: "f1")
            #expect(summary.added == first.count && summary.revised == 0)
            #expect(try twin.importRows(first, file: "first.csv", sha256: "f1", batch: nil, as: "lena")
                    == #"{"added": \#(summary.added), "revised": 0, "unchanged": 0}"#)
            // Again with other values: revisions, rows equal to the current label, and answers
            // whose condition now holds only through the labels already stored.
            var second = Self.rows(clips: 150, raters: raters, seed: 1)
            let firstPresent = Dictionary(uniqueKeysWithValues: first.filter { $0.criterion == "present" }.map { ("\($0.clip) \($0.rater)", $0.value) })
            second.removeAll { $0.criterion == "present" && $0.value == "yes" && firstPresent["\($0.clip) \($0.rater)"] == "yes" && $0.line % 2 == 0 }
            let again = try lead.importLabels(second, file: "second.csv", fileSHA256: "f2", batch: "b")
            #expect(again.revised > 0 && again.unchanged > 0)
            #expect(try twin.importRows(second, file: "second.csv", sha256: "f2", batch: "b", as: "lena")
                    == #"{"added": \#(again.added), "revised": \#(again.revised), "unchanged": \#(again.unchanged)}"#)
            // The same file a third time changes nothing and writes no event.
            #expect(try lead.importLabels(second, file: "second.csv", fileSHA256: "f2") == ImportSummary(unchanged: second.count))
            #expect(try twin.importRows(second, file: "second.csv", sha256: "f2", batch: nil, as: "lena")
                    == #"{"added": 0, "revised": 0, "unchanged": \#(second.count)}"#)
            try twin.expectSameRows()
            try twin.expectSameGivenDates()
            try twin.expectSameAuditEvents()
        }
    }

    @Test func aFileWithProblemsIsRefusedWithTheSwiftImportersLines() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 3)
            try twin.call("add_clips", ["b2", "ops", TwinProject.json(Self.facts(3...3)), nil])
            _ = try twin.sqlite(as: nil).addClips(Self.facts(3...3), batch: "b2", rubric: "ops")
            try twin.call("add_clips", ["b3", "ops", TwinProject.json(TwinProject.clips(4...4)), nil])
            _ = try twin.sqlite(as: nil).addClips(TwinProject.clips(4...4), batch: "b3", rubric: "ops")
            // alice's current answer to present on c1 is "no": severity is hidden for her there.
            let current = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "present", value: "no")]
            _ = try twin.sqlite(as: nil).importLabels(current, file: "a.csv", fileSHA256: "a")
            _ = try twin.importRows(current, file: "a.csv", sha256: "a", batch: nil, as: nil)
            var rows = [
                LabelImportRow(line: 2, clip: "c9.mp4", rater: "alice", criterion: "present", value: "yes"),
                LabelImportRow(line: 3, clip: "0123456789ab", rater: "alice", criterion: "present", value: "yes"),
                LabelImportRow(line: 4, clip: String(repeating: "0", count: 58) + "C0FF", rater: "alice", criterion: "present", value: "yes"),
                LabelImportRow(line: 5, clip: "c3.mp4", rater: "alice", criterion: "present", value: "yes"),
                LabelImportRow(line: 6, clip: "c1.mp4", rater: "alice", criterion: "present", value: "yes", batch: "nope"),
                LabelImportRow(line: 7, clip: "c1.mp4", rater: "alice", criterion: "present", value: "yes", batch: "b2"),
                LabelImportRow(line: 8, clip: "c1.mp4", rater: "zed\u{1B}]0;x", criterion: "present", value: "yes"),
                LabelImportRow(line: 9, clip: "c1.mp4", rater: "aud", criterion: "present", value: "yes"),
                LabelImportRow(line: 10, clip: "c1.mp4", rater: "bob", criterion: "speed", value: "1"),
                LabelImportRow(line: 11, clip: "c1.mp4", rater: "bob", criterion: "notes", value: "bell\u{7}"),
                LabelImportRow(line: 12, clip: "c1.mp4", rater: "bob", criterion: "present", value: "maybe"),
                LabelImportRow(line: 13, clip: "c1.mp4", rater: "bob", criterion: "ttc", value: "10.05"),
                LabelImportRow(line: 14, clip: "c1.mp4", rater: "bob", criterion: "ttc", value: "1", frame: 30),
                LabelImportRow(line: 15, clip: "c1.mp4", rater: "bob", criterion: "ttc", value: "1", submittedAt: "24/11/2026"),
                LabelImportRow(line: 16, clip: "c1.mp4", rater: "bob", criterion: "present", value: "no"),
                LabelImportRow(line: 17, clip: "c1.mp4", rater: "bob", criterion: "present", value: "yes"),
                LabelImportRow(line: 18, clip: "c1.mp4", rater: "bob", criterion: "severity", value: "low"),
                LabelImportRow(line: 19, clip: "c1.mp4", rater: "alice", criterion: "severity", value: "low"),
                LabelImportRow(line: 20, clip: "c4.mp4", rater: "alice", criterion: "present", value: "yes"),
            ]
            // Past twenty problems: the first twenty, then how many more.
            rows += (21...26).map { LabelImportRow(line: $0, clip: "c2.mp4", rater: "nobody\($0)", criterion: "present", value: "yes") }
            let expected = #expect(throws: StoreError.self) {
                try twin.sqlite(as: "lena").importLabels(rows, file: "bad\tfile.csv", fileSHA256: "b", batch: "b")
            }
            #expect(expected?.message == "bad\\tfile.csv: 23 problems; nothing was imported")
            #expect(expected?.details.count == 21 && expected?.details.last == "… and 3 more")
            let found = #expect(throws: PostgresError.self) {
                try twin.importRows(rows, file: "bad\tfile.csv", sha256: "b", batch: "b", as: "lena")
            }
            #expect(found?.sqlState == "22023")
            #expect(found?.serverMessage == "\(expected?.message ?? "") (\(expected?.details.joined(separator: "; ") ?? ""))")
            // A label given twice and nothing else wrong: found when the second row cannot
            // enter label_current, and the `when` of severity then sees the first row only.
            let twiceOnly = [
                LabelImportRow(line: 2, clip: "c2.mp4", rater: "bob", criterion: "present", value: "yes"),
                LabelImportRow(line: 3, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no"),
                LabelImportRow(line: 4, clip: "c2.mp4", rater: "bob", criterion: "severity", value: "low"),
            ]
            let swiftTwice = #expect(throws: StoreError.self) { try twin.sqlite(as: nil).importLabels(twiceOnly, file: "t.csv", fileSHA256: "t") }
            #expect(swiftTwice?.details == ["t.csv:3: a second label for clip c2.mp4, rater bob, criterion present (first at line 2); keep one row each"])
            let databaseTwice = #expect(throws: PostgresError.self) { try twin.importRows(twiceOnly, file: "t.csv", sha256: "t", batch: nil, as: nil) }
            #expect(databaseTwice?.serverMessage == "\(swiftTwice?.message ?? "") (\(swiftTwice?.details.joined(separator: "; ") ?? ""))")
            // Without --batch, c3 is in two batches and c4 only in b3.
            let unbatched = [LabelImportRow(line: 2, clip: "c3.mp4", rater: "bob", criterion: "present", value: "yes")]
            let swift = #expect(throws: StoreError.self) { try twin.sqlite(as: nil).importLabels(unbatched, file: "u.csv", fileSHA256: "u") }
            let database = #expect(throws: PostgresError.self) { try twin.importRows(unbatched, file: "u.csv", sha256: "u", batch: nil, as: nil) }
            #expect(swift?.details == ["u.csv:2: the clip c3.mp4 is in 2 batches (b, b2); choose one with --batch"])
            #expect(database?.serverMessage == "u.csv: 1 problem; nothing was imported (u.csv:2: the clip c3.mp4 is in 2 batches (b, b2); choose one with --batch)")
            let noBatch = #expect(throws: PostgresError.self) { try twin.importRows(unbatched, file: "u.csv", sha256: "u", batch: "zz", as: nil) }
            #expect(noBatch?.serverMessage == "no batch named 'zz'; batches: b, b2, b3")
            try twin.expectSameRows()
        }
    }

    /// Label ids follow the lines, whatever order the rows were copied in: rows copied
    /// backwards (and, for the revisions, shuffled) are written as the Swift importer writes
    /// the file in line order. The import's own planner setting (no sorts while the new rows
    /// are digested) does not outlast it in the caller's transaction.
    @Test func idsFollowTheLinesWhateverOrderTheRowsWereCopiedIn() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 30)
            let raters = ["alice", "bob", "lena"]
            let first = Self.rows(clips: 30, raters: raters, seed: 0)
            let lead = try twin.sqlite(as: "lena")
            #expect(try lead.importLabels(first, file: "first.csv", fileSHA256: "f1").added == first.count)
            #expect(try twin.importRows(first.reversed(), file: "first.csv", sha256: "f1", batch: nil, as: "lena")
                    == #"{"added": \#(first.count), "revised": 0, "unchanged": 0}"#)
            try twin.expectSameRows()
            let second = Self.rows(clips: 30, raters: raters, seed: 1)
            let again = try lead.importLabels(second, file: "second.csv", fileSHA256: "f2")
            #expect(again.revised > 0 && again.unchanged > 0)
            let shuffled = second.enumerated().sorted { ($0.offset * 7919) % second.count < ($1.offset * 7919) % second.count }.map(\.element)
            #expect(shuffled.map(\.line) != second.map(\.line) && shuffled.map(\.line).sorted() == second.map(\.line))
            let connection = twin.admin
            let setting = try connection.transaction { () -> String? in
                try connection.execute(PostgresOperations.labelImportTable)
                try connection.execute("GRANT SELECT ON label_import TO \(PostgresSchema.quoteIdentifier(PostgresSchema.roleName("owner", database: twin.project.database)))")
                try connection.copyIn(PostgresOperations.labelImportCopy, rows: shuffled) { row, fields in
                    fields.append(row.line); fields.append(row.clip); fields.append(row.rater); fields.append(row.criterion)
                    fields.append(row.value); fields.append(row.frame); fields.append(row.submittedAt); fields.append(row.batch)
                }
                #expect(try connection.execute("SELECT concord.import_labels('second.csv', 'f2', NULL, 'lena')::text").rows[0][0]
                        == #"{"added": \#(again.added), "revised": \#(again.revised), "unchanged": \#(again.unchanged)}"#)
                return try connection.execute("SHOW enable_sort").rows[0][0]
            }
            #expect(setting == "on")
            try twin.expectSameRows()
            try twin.expectSameAuditEvents()
        }
    }

    /// The caller's table is read with the owner's rights: anything but a plain table of
    /// the agreed columns could run the caller's code as the owner (a policy, a view's
    /// function), so it is refused before a row is read.
    @Test func onlyAPlainTableOfTheAgreedColumnsIsRead() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 1)
            try twin.project.createLogin("lena")
            try twin.call("add_rater", ["lena", "lead", nil])
            let lead = try twin.project.connect(as: "lena")
            let owner = PostgresSchema.quoteIdentifier(PostgresSchema.roleName("owner", database: twin.project.database))
            let refusal = "import_labels reads the file's rows from the temporary table label_import (line bigint, clip text, rater text, "
                + "criterion text, value text, frame bigint, submitted_at text, batch text, confidence double precision, sample bigint), "
                + "filled by COPY in the same transaction"
            let tables = [
                "",   // none at all
                "CREATE TEMP VIEW label_import AS SELECT 2::bigint AS line, 'c1.mp4'::text AS clip, 'lena'::text AS rater, 'present'::text AS criterion, 'yes'::text AS value, NULL::bigint AS frame, NULL::text AS submitted_at, NULL::text AS batch, NULL::double precision AS confidence, NULL::bigint AS sample",
                PostgresOperations.labelImportTable + ";ALTER TABLE label_import ENABLE ROW LEVEL SECURITY",
                PostgresOperations.labelImportTable + ";ALTER TABLE label_import ADD COLUMN extra text",
                "CREATE TEMP TABLE label_import (line bigint, clip text, rater text, criterion text, value text, frame integer, submitted_at text, batch text, confidence double precision, sample bigint)",
            ]
            for setup in tables {
                let error = #expect(throws: PostgresError.self, "\(setup)") {
                    try lead.transaction {
                        for statement in setup.split(separator: ";") { try lead.execute(String(statement)) }
                        if !setup.isEmpty { try lead.execute("GRANT SELECT ON label_import TO \(owner)") }
                        try lead.execute("SELECT concord.import_labels('l.csv', 'x')")
                    }
                }
                #expect(error?.sqlState == "22023")
                #expect(error?.serverMessage == refusal)
            }
            #expect(try twin.project.column("SELECT count(*) FROM concord.label") == ["0"])
            // The lead's own login, the agreed table: imported.
            #expect(try twin.importRows([LabelImportRow(line: 2, clip: "c1.mp4", rater: "lena", criterion: "present", value: "yes")],
                                        file: "l.csv", sha256: "x", batch: nil, as: nil, connection: lead)
                    == #"{"added": 1, "revised": 0, "unchanged": 0}"#)
        }
    }

    /// The keys of label and label_current as `concord init` made them: each table's
    /// constraints and indexes.
    static let keys = """
        SELECT c.conname || ' ' || pg_get_constraintdef(c.oid) || ' ' || i.indexdef FROM pg_constraint c
          JOIN pg_indexes i ON i.schemaname = 'concord' AND i.indexname = c.conname
         WHERE c.conrelid IN ('concord.label'::regclass, 'concord.label_current'::regclass) AND c.contype IN ('p', 'u')
         UNION ALL
        SELECT indexname FROM pg_indexes WHERE schemaname = 'concord' AND tablename IN ('label', 'label_current')
         ORDER BY 1
        """
    static let installedKeys = [
        "label_current_pkey",
        "label_current_pkey PRIMARY KEY (item_id, rater_id, criterion) "
            + "CREATE UNIQUE INDEX label_current_pkey ON concord.label_current USING btree (item_id, rater_id, criterion)",
        "label_pkey",
        "label_pkey PRIMARY KEY (id) CREATE UNIQUE INDEX label_pkey ON concord.label USING btree (id)",
    ]

    /// A project's first labels are written before the keys of label and label_current are
    /// built, once: the keys are the same constraints afterwards (a second row for a key is
    /// refused), and the rows and the audit event are the Swift importer's.
    @Test func aProjectsFirstLabelsBuildTheKeysAsTheyWere() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 4)
            #expect(try twin.project.column(Self.keys) == Self.installedKeys)
            let rows = Self.rows(clips: 4, raters: ["alice", "bob", "lena"], seed: 0)
            let summary = try twin.sqlite(as: "lena").importLabels(rows, file: "first.csv", fileSHA256: "f1")
            #expect(try twin.importRows(rows, file: "first.csv", sha256: "f1", batch: nil, as: "lena")
                    == #"{"added": \#(summary.added), "revised": 0, "unchanged": 0}"#)
            #expect(try twin.project.column("SELECT count(*) FROM concord.label_current") == ["\(rows.count)"])
            #expect(try twin.project.column(Self.keys) == Self.installedKeys)
            let refused = #expect(throws: PostgresError.self) {
                try twin.project.connect().execute("INSERT INTO concord.label_current SELECT item_id, rater_id, criterion, label_id + 1 "
                                                   + "FROM concord.label_current ORDER BY label_id LIMIT 1")
            }
            #expect(refused?.sqlState == "23505")
            let label = #expect(throws: PostgresError.self) {
                try twin.project.connect().execute("INSERT INTO concord.label SELECT * FROM concord.label ORDER BY id LIMIT 1")
            }
            #expect(label?.serverMessage.hasPrefix(#"duplicate key value violates unique constraint "label_pkey""#) == true)
            try twin.expectSameRows()
            try twin.expectSameAuditEvents()
        }
    }

    /// A label given twice in a project's first file is refused with the Swift importer's
    /// line (the key built after the rows refuses the second), and nothing stays written:
    /// no label, and the keys as they were.
    @Test func aLabelTwiceInAProjectsFirstFileIsRefused() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 2)
            let twice = [
                LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "notes", value: "a"),
                LabelImportRow(line: 3, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no"),
                LabelImportRow(line: 4, clip: "c2.mp4", rater: "bob", criterion: "present", value: "yes"),
            ]
            let swift = #expect(throws: StoreError.self) { try twin.sqlite(as: nil).importLabels(twice, file: "t.csv", fileSHA256: "t") }
            #expect(swift?.details == ["t.csv:4: a second label for clip c2.mp4, rater bob, criterion present (first at line 3); keep one row each"])
            let database = #expect(throws: PostgresError.self) { try twin.importRows(twice, file: "t.csv", sha256: "t", batch: nil, as: nil) }
            #expect(database?.serverMessage == "\(swift?.message ?? "") (\(swift?.details.joined(separator: "; ") ?? ""))")
            #expect(try twin.project.column("SELECT count(*) FROM concord.label") == ["0"])
            #expect(try twin.project.column(Self.keys) == Self.installedKeys)
        }
    }

    /// The newest audit event's label range and digest, and `row_digest_label` over that
    /// range (the reference, PostgresSchemaDigestTests: RowDigest's bytes).
    static func lastImportDigest(_ twin: TwinProject) throws -> (range: String, digest: String?, reference: String?) {
        let payload = try #require(try twin.project.column("SELECT payload FROM concord.audit_event ORDER BY seq DESC LIMIT 1").first ?? nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        let first = try #require((rows.first?["first"] as? NSNumber)?.intValue), last = try #require((rows.first?["last"] as? NSNumber)?.intValue)
        let reference = try twin.project.column("SELECT concord.row_digest_label($1, $2)", ["\(first)", "\(last)"]).first ?? nil
        return ("\(rows.first?["table"] ?? "") \(first)-\(last)", rows.first?["digest"] as? String, reference)
    }

    /// An import's digest is RowDigest's whichever way it is computed: without the escapes
    /// when no stored text needs one (option and number values only), through
    /// row_digest_label when a text criterion is in the file (here with a backslash, a tab
    /// and a line feed), and on a revision.
    @Test func theImportsDigestIsRowDigestsWithOrWithoutEscapes() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 6)
            let plain = Self.rows(clips: 6, raters: ["alice", "bob"], seed: 0).filter { $0.criterion != "notes" }
            #expect(!plain.isEmpty && plain.allSatisfy { !$0.value.contains("\\") && !$0.value.contains("\n") })
            _ = try twin.importRows(plain, file: "plain.csv", sha256: "p", batch: nil, as: "lena")
            let first = try Self.lastImportDigest(twin)
            #expect(first.range == "label 1-\(plain.count)")
            #expect(first.digest != nil && first.digest == first.reference)
            let text = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "notes", value: "a\\b\tc\nd"),
                        LabelImportRow(line: 3, clip: "c1.mp4", rater: "alice", criterion: "ttc", value: "9.9")]
            #expect(try twin.importRows(text, file: "text.csv", sha256: "t", batch: nil, as: "lena")
                    == #"{"added": 1, "revised": 1, "unchanged": 0}"#)
            let second = try Self.lastImportDigest(twin)
            #expect(second.range == "label \(plain.count + 1)-\(plain.count + 2)")
            #expect(second.digest != nil && second.digest == second.reference)
            let revision = [LabelImportRow(line: 2, clip: "c2.mp4", rater: "bob", criterion: "ttc", value: "0.5")]
            #expect(try twin.importRows(revision, file: "r.csv", sha256: "r", batch: nil, as: "lena")
                    == #"{"added": 0, "revised": 1, "unchanged": 0}"#)
            let third = try Self.lastImportDigest(twin)
            #expect(third.digest != nil && third.digest == third.reference)
        }
    }

    /// `plainLabelDigest` is `row_digest_label` for rows without a character to escape, every
    /// column kind included (a PTS, a dwell, a frame; NULLs), and differs from it for a row
    /// with one: import_labels must not use it then.
    @Test func thePlainLabelDigestIsRowDigestForRowsWithoutEscapes() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 2)
            let connection = try twin.project.connect()
            let insert = """
                INSERT INTO concord.label (item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at,
                                           recorded_at, revision, source)
                VALUES (1, 'present', 1, 'yes', 1, 3, 0.1, 1200, '2026-11-24T13:05:12.000Z', '2026-11-24T13:05:13.000Z', 1, 'workbench'),
                       (2, 'ttc', 2, '2.5', 1, NULL, -0.0, NULL, '2026-11-24T13:05:12.000Z', '2026-11-24T13:05:13.000Z', 2, 'import'),
                       (2, 'notes', 2, 'ü ok', 1, NULL, NULL, 7, '2026-11-24T13:05:12.000Z', '2026-11-24T13:05:13.000Z', 1, 'import')
                """
            try connection.execute(insert)
            func digests(_ first: Int, _ last: Int) throws -> (plain: String?, reference: String?) {
                (try connection.execute(PostgresOperations.plainLabelDigest, ["\(first)", "\(last)"]).rows[0][0],
                 try connection.execute("SELECT concord.row_digest_label($1, $2)", ["\(first)", "\(last)"]).rows[0][0])
            }
            let clean = try digests(1, 3)
            #expect(clean.plain != nil && clean.plain == clean.reference)
            try connection.execute("INSERT INTO concord.label (item_id, criterion, rater_id, value, rubric_version_id, submitted_at, recorded_at, revision, source) "
                                   + "VALUES (1, 'notes', 1, 'a\\b', 1, 'x', 'y', 1, 'import')")
            let escaped = try digests(1, 4)
            #expect(escaped.plain != escaped.reference)
        }
    }

    /// `importedLabelDigest` is `row_digest_label` for labels as an import writes them (no
    /// PTS or dwell, the import's recorded_at, source 'import'; frames, revisions and NULL
    /// frames vary), and says when a row in the range is not such a label (a workbench
    /// label; another recorded_at), so that import_labels does not take its digest then.
    @Test func theImportedLabelDigestIsRowDigestForImportedLabels() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 2)
            let connection = try twin.project.connect()
            let now = "2026-11-24T13:05:13.000Z"
            try connection.execute("""
                INSERT INTO concord.label (item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at,
                                           recorded_at, revision, source)
                VALUES (1, 'present', 1, 'yes', 1, 3, NULL, NULL, '2026-11-24T13:05:12.000Z', '\(now)', 1, 'import'),
                       (2, 'ttc', 2, '2.5', 1, NULL, NULL, NULL, '2026-11-20T08:00:00.000Z', '\(now)', 12, 'import'),
                       (2, 'notes', 2, 'ü ok', 1, 0, NULL, NULL, '\(now)', '\(now)', 1, 'import'),
                       (1, 'present', 1, 'no', 1, 3, 0.1, 1200, '2026-11-24T13:05:12.000Z', '\(now)', 2, 'workbench'),
                       (1, 'ttc', 1, '1', 1, NULL, NULL, NULL, '2026-11-24T13:05:12.000Z', '2026-11-24T13:05:14.000Z', 1, 'import')
                """)
            func digests(_ first: Int, _ last: Int) throws -> (imported: String?, alike: String?, reference: String?) {
                let row = try connection.execute(PostgresOperations.importedLabelDigest, ["\(first)", "\(last)", now]).rows[0]
                return (row[0], row[1], try connection.execute("SELECT concord.row_digest_label($1, $2)", ["\(first)", "\(last)"]).rows[0][0])
            }
            let imported = try digests(1, 3)
            #expect(imported.imported != nil && imported.imported == imported.reference)
            #expect(imported.alike == "t")
            #expect(try digests(2, 2).imported == (try digests(2, 2).reference))
            #expect(try digests(1, 4).alike == "f")
            #expect(try digests(5, 5).alike == "f")
        }
    }

    /// A label given twice is found through label_current's key; any other unique violation
    /// (here: a unique index a DBA put on label's criterion, which the first try and the
    /// retry after the full pass both break) is the database's error, not retried for ever.
    /// Label ids are the import's own (the largest id + 1 on), so an identity set back
    /// behind the rows breaks nothing, and is moved past them again.
    @Test func aUniqueViolationThatIsNoDuplicateIsReported() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 1)
            let rows = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "bob", criterion: "present", value: "yes"),
                        LabelImportRow(line: 3, clip: "c1.mp4", rater: "bob", criterion: "notes", value: "x")]
            #expect(try twin.importRows(rows, file: "a.csv", sha256: "a", batch: nil, as: nil) == #"{"added": 2, "revised": 0, "unchanged": 0}"#)
            let superuser = try twin.project.connect()
            try superuser.execute("SELECT setval(pg_get_serial_sequence('concord.label', 'id'), 1, false)")
            let other = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "notes", value: "y")]
            #expect(try twin.importRows(other, file: "b.csv", sha256: "b", batch: nil, as: nil) == #"{"added": 1, "revised": 0, "unchanged": 0}"#)
            #expect(try twin.project.column("SELECT id FROM concord.label ORDER BY id") == ["1", "2", "3"])
            #expect(try twin.project.column("SELECT last_value FROM concord.label_id_seq") == ["3"])
            try superuser.execute("CREATE UNIQUE INDEX label_one_per_criterion ON concord.label (criterion) WHERE criterion = 'present'")
            let third = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "present", value: "yes")]
            let error = #expect(throws: PostgresError.self) { try twin.importRows(third, file: "c.csv", sha256: "c", batch: nil, as: nil) }
            #expect(error?.sqlState == "23505")
            #expect(error?.serverMessage == #"duplicate key value violates unique constraint "label_one_per_criterion" (Key (criterion)=(present) already exists.)"#)
            #expect(try twin.project.column("SELECT count(*) FROM concord.label") == ["3"])
        }
    }

    /// Not a test of speed (no timing is asserted): with CONCORD_PG_IMPORT_ROWS=N set, imports
    /// about N rows (1,000 clips × N/3,000 raters × 3 criteria: an option, a number, a text) and
    /// prints how long the COPY and `import_labels` took, for BENCHMARKS.md.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CONCORD_PG_IMPORT_ROWS"] != nil, "set CONCORD_PG_IMPORT_ROWS=1000000 to measure"))
    func measureAnImport() throws {
        let total = Int(ProcessInfo.processInfo.environment["CONCORD_PG_IMPORT_ROWS"] ?? "") ?? 1_000_000
        let clips = 1_000, raters = max(1, total / 3_000)
        try PostgresCluster.with { cluster in
            let twin = try TwinProject.make(cluster)
            let names = (0..<raters).map { String(format: "r%03d", $0) }
            for name in names { try twin.call("add_rater", [name, "rater", nil]) }
            try twin.call("add_clips", ["bench", "ops", TwinProject.json(TwinProject.clips(1...clips).enumerated().map { i, clip in
                var clip = clip
                clip.sha256 = String(format: "%064x", i)
                return clip
            }), nil])
            // Per clip and rater: present "no" (so severity is not asked), a number, a note.
            var rows: [[String?]] = []
            rows.reserveCapacity(clips * raters * 3)
            for c in 1...clips {
                for name in names {
                    for (criterion, value) in [("present", "no"), ("ttc", "\(c % 10).5"), ("notes", "n\(c % 7)")] {
                        rows.append([String(rows.count + 2), "c\(c).mp4", name, criterion, value, nil, nil, nil])
                    }
                }
            }
            let connection = twin.admin
            let owner = PostgresSchema.quoteIdentifier(PostgresSchema.roleName("owner", database: twin.project.database))
            print("rows: \(rows.count)")
            let clock = ContinuousClock()
            var copied = Duration.zero, imported = Duration.zero
            var result: String?
            let whole = try clock.measure {
                try connection.transaction {
                    try connection.execute(PostgresOperations.labelImportTable)
                    try connection.execute("GRANT SELECT ON label_import TO \(owner)")
                    copied = try clock.measure { try connection.copyIn(PostgresOperations.labelImportCopy, rows: rows) }
                    imported = try clock.measure {
                        result = try connection.execute("SELECT concord.import_labels('bench.csv', 'x')::text").rows[0][0]
                    }
                }
            }
            #expect(result == #"{"added": \#(rows.count), "revised": 0, "unchanged": 0}"#)
            print("import of \(rows.count) rows: COPY \(copied), import_labels \(imported), whole transaction \(whole)")
        }
    }
}
