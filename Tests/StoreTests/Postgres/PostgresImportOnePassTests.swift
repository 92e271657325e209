import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// `concord.import_labels`' one pass for a project's first file (a rubric without `when`,
/// plain labels): every row resolved, checked and written by one statement, its names
/// taken from the client's list (`LabelImportNames`), the rows read once. Anything it
/// cannot write as it is (a problem, a name the list left out, lines out of order or with
/// a gap) sends the file through the checks of every row, with the same result.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresImportOnePassTests {
    static let rubricYAML = """
    name: plain
    criteria:
      - id: present
        question: Is there a cut-in?
        scale: nominal
        options: ["yes", "no"]
      - id: ttc
        question: Time to collision, in seconds?
        scale: ratio
        range: [0, 10]
        step: 0.1
      - id: notes
        question: Notes
        scale: text
    """

    /// A project on both stores whose one batch `p` (clips c1…cN) takes the rubric above.
    static func project(_ cluster: PostgresCluster, clips: Int) throws -> TwinProject {
        let twin = try TwinProject.make(cluster)
        let rubric = try Rubric.parse(rubricYAML, file: "plain.yaml")
        _ = try twin.sqlite(as: nil).addRubric(rubric, sourcePath: "rubrics/plain.yaml")
        try twin.call("add_rubric", [rubric.name, rubric.contentHash, rubric.canonicalJSON, "rubrics/plain.yaml", nil])
        _ = try twin.sqlite(as: nil).addClips(TwinProject.clips(1...clips), batch: "p", rubric: "plain")
        try twin.call("add_clips", ["p", "plain", TwinProject.json(TwinProject.clips(1...clips)), nil])
        return twin
    }

    /// Every clip × rater × criterion, one row a line from line 2: numbers in other
    /// spellings ("7", "03.3"), frames, given dates in two forms, text with a tab.
    static func rows(clips: Int, raters: [String]) -> [LabelImportRow] {
        var rows: [LabelImportRow] = []
        for c in 1...clips {
            for (r, rater) in raters.enumerated() {
                let k = c * 31 + r * 7
                rows.append(LabelImportRow(line: 0, clip: "c\(c).mp4", rater: rater, criterion: "present", value: k % 3 == 0 ? "no" : "yes",
                                           frame: k % 5 == 0 ? k % 30 : nil, submittedAt: ["2026-11-24T13:05:12Z", nil, "2026-01-31 23:59"][k % 3]))
                rows.append(LabelImportRow(line: 0, clip: "c\(c).mp4", rater: rater, criterion: "ttc",
                                           value: ["2.50", "7", "0.1", "10.0", "03.3"][k % 5], batch: k % 4 == 0 ? "p" : nil))
                rows.append(LabelImportRow(line: 0, clip: "c\(c).mp4", rater: rater, criterion: "notes", value: "n\(k % 4)\tü"))
            }
        }
        for i in rows.indices { rows[i].line = i + 2 }
        return rows
    }

    /// How an import ran on PostgreSQL: its answer, the labels and label_current rows it
    /// left (ids included), and how many times it read the caller's rows (`label_import`'s
    /// scans in this transaction: the one pass reads its first row, then all of them). The
    /// labels' times are left out: a row without a date takes the time of writing.
    struct Run: Equatable {
        var answer: String?
        var labels: [[String?]]
        var current: [[String?]]
        var scans: Int
    }

    /// Imports `rows` (copied in the order given) as lena, with `names` listed in
    /// label_import_names unless nil, and reads what it did; committed only when `keep`.
    static func run(_ twin: TwinProject, _ rows: [LabelImportRow], names: [[String?]]?, keep: Bool = false) throws -> Run {
        struct Undo: Error {}
        let connection = twin.admin
        var run: Run?
        do {
            try connection.transaction {
                try twin.copyImportRows(rows, names: names, on: connection)
                let answer = try connection.execute("SELECT concord.import_labels('f.csv', 'f', NULL, 'lena')::text").rows[0][0]
                // Not the times: a row without a date takes the time of writing, which differs run to run.
                let columns = "id, item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, revision, source"
                run = Run(answer: answer,
                          labels: try connection.execute("SELECT \(columns) FROM concord.label ORDER BY id").rows,
                          current: try connection.execute("SELECT * FROM concord.label_current ORDER BY label_id").rows,
                          scans: Int(try connection.execute("SELECT pg_stat_get_xact_numscans('pg_temp.label_import'::regclass)").rows[0][0] ?? "") ?? -1)
                if !keep { throw Undo() }
            }
        } catch is Undo {}
        return try #require(run)
    }

    /// `label_import_names`' rows for `rows`, as `concord label import` lists them.
    static func listed(_ rows: [LabelImportRow]) -> [[String?]] {
        var names = LabelImportNames()
        for row in rows { names.note(row) }
        return names.rows
    }

    /// The usual first file, its names listed as `concord label import` lists them: one
    /// pass, the rows read once, and the labels, label_current and audit event the Swift
    /// importer writes (ids included). Without the list the same rows are read once more,
    /// to gather the names, and written alike.
    @Test func aFirstFileWithItsNamesListedIsReadOnceAndWrittenAsTheSwiftImporterWrites() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 40)
            let rows = Self.rows(clips: 40, raters: ["alice", "bob", "lena"])
            let summary = try twin.sqlite(as: "lena").importLabels(rows, file: "f.csv", fileSHA256: "f")
            #expect(summary == ImportSummary(added: rows.count, revised: 0, unchanged: 0))
            let unlisted = try Self.run(twin, rows, names: nil)
            #expect(unlisted.answer == #"{"added": \#(rows.count), "revised": 0, "unchanged": 0}"#)
            #expect(unlisted.scans == 3)
            #expect(unlisted.labels.count == rows.count && unlisted.current.count == rows.count)
            let listed = try Self.run(twin, rows, names: Self.listed(rows), keep: true)
            #expect(listed.scans == 2)
            #expect(listed == Run(answer: unlisted.answer, labels: unlisted.labels, current: unlisted.current, scans: 2))
            try twin.expectSameRows()
            try twin.expectSameGivenDates()
            try twin.expectSameAuditEvents()
            let digest = try PostgresOperationsImportTests.lastImportDigest(twin)
            #expect(digest.range == "label 1-\(rows.count)" && digest.digest != nil && digest.digest == digest.reference)
        }
    }

    /// The list is a shortcut, not a source of truth: a list that leaves out a clip, a rater
    /// or a value gives the same labels through the checks of every row (the rows read
    /// again); names listed that no row uses change nothing; and a number criterion with
    /// more values than are listed one by one is listed by its name alone.
    @Test func aListThatLeavesANameOutOnlyCostsTime() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 12)
            let rows = Self.rows(clips: 12, raters: ["alice", "bob"])
            let reference = try Self.run(twin, rows, names: nil)
            #expect(reference.labels.count == rows.count)
            let all = Self.listed(rows)
            #expect(all.contains(["c7.mp4", nil, nil, nil, nil]) && all.contains([nil, nil, "bob", nil, nil])
                    && all.contains([nil, nil, nil, "ttc", "03.3"]))
            let short = [
                all.filter { $0 != ["c7.mp4", nil, nil, nil, nil] },
                all.filter { $0 != [nil, nil, "bob", nil, nil] },
                all.filter { $0 != [nil, nil, nil, "ttc", "03.3"] },   // stored as 3.3
            ]
            for names in short {
                let run = try Self.run(twin, rows, names: names)
                #expect(run.answer == reference.answer && run.labels == reference.labels && run.current == reference.current)
                #expect(run.scans > 3)
            }
            let extra = all + [["nowhere.mp4", nil, nil, nil, nil], [nil, nil, "nobody", nil, nil], [nil, nil, nil, "ttc", "99"]]
            let run = try Self.run(twin, rows, names: extra)
            #expect(run == Run(answer: reference.answer, labels: reference.labels, current: reference.current, scans: 2))

            var crowded = LabelImportNames()
            for i in 0...LabelImportNames.valuesPerCriterion {
                crowded.note(LabelImportRow(line: i + 2, clip: "c1.mp4", rater: "alice", criterion: "notes", value: "note \(i)"))
            }
            crowded.note(LabelImportRow(line: 0, clip: "c1.mp4", rater: "alice", criterion: "ttc", value: "1"))
            #expect(crowded.rows.filter { $0[3] == "notes" } == [[nil, nil, nil, "notes", nil]])
            #expect(crowded.rows.filter { $0[3] == "ttc" } == [[nil, nil, nil, "ttc", "1"]])
            #expect(crowded.rows.filter { $0[0] != nil } == [["c1.mp4", nil, nil, nil, nil]])
        }
    }

    /// A row's id follows its line on either way: lines with a gap (a value over two lines)
    /// and rows copied last line first are written as the Swift importer writes the file,
    /// through the checks of every row.
    @Test func linesWithAGapOrOutOfOrderGiveTheSwiftImportersIds() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 6)
            var rows = Self.rows(clips: 6, raters: ["alice", "bob"])
            for i in rows.indices where i >= 5 { rows[i].line += 1 }
            let summary = try twin.sqlite(as: "lena").importLabels(rows, file: "f.csv", fileSHA256: "f")
            #expect(summary.added == rows.count)
            let gap = try Self.run(twin, rows, names: Self.listed(rows))
            #expect(gap.scans > 3 && gap.labels.count == rows.count)
            let backwards = try Self.run(twin, Array(rows.reversed()), names: Self.listed(rows), keep: true)
            #expect(backwards.scans > 3)
            #expect(backwards.labels == gap.labels && backwards.current == gap.current)
            try twin.expectSameRows()
            try twin.expectSameAuditEvents()
        }
    }

    /// A problem in a first file stops the one pass; the file is refused with the Swift
    /// importer's lines and nothing is written, the keys of label and label_current as
    /// they were.
    @Test func aProblemInAFirstFileIsWordedAsTheSwiftImporterWordsIt() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 3)
            var rows = Self.rows(clips: 3, raters: ["alice"])
            rows[4].value = "11"
            rows[6].rater = "zed"
            let swift = #expect(throws: StoreError.self) { try twin.sqlite(as: nil).importLabels(rows, file: "f.csv", fileSHA256: "f") }
            let database = #expect(throws: PostgresError.self) { _ = try Self.run(twin, rows, names: Self.listed(rows)) }
            #expect(swift?.details.count == 2)
            #expect(database?.serverMessage == "\(swift?.message ?? "") (\(swift?.details.joined(separator: "; ") ?? ""))")
            #expect(try twin.project.column("SELECT count(*) FROM concord.label") == ["0"])
            #expect(try twin.project.column(PostgresOperationsImportTests.keys) == PostgresOperationsImportTests.installedKeys)
        }
    }

    /// The list is read with the owner's rights, so only a plain temporary table of the
    /// agreed columns is read; anything else is refused before a row is.
    @Test func theListIsReadOnlyFromAPlainTableOfTheAgreedColumns() throws {
        try PostgresCluster.with { cluster in
            let twin = try Self.project(cluster, clips: 1)
            let connection = twin.admin
            let owner = PostgresSchema.quoteIdentifier(PostgresSchema.roleName("owner", database: twin.project.database))
            let refusal = "import_labels reads the names the rows use, when the caller lists them, from the temporary table "
                + "label_import_names (clip text, batch text, rater text, criterion text, value text): a row each naming a clip "
                + "(with its batch column), a rater, or a criterion with a value"
            let lists = [
                "CREATE TEMP VIEW label_import_names AS SELECT 'c1.mp4'::text AS clip, NULL::text AS batch, NULL::text AS rater, NULL::text AS criterion, NULL::text AS value",
                PostgresOperations.labelImportNamesTable + ";ALTER TABLE label_import_names ENABLE ROW LEVEL SECURITY",
                "CREATE TEMP TABLE label_import_names (clip text, batch text, rater text, criterion text)",
            ]
            for setup in lists {
                let error = #expect(throws: PostgresError.self, "\(setup)") {
                    try connection.transaction {
                        try connection.execute(PostgresOperations.labelImportTable)
                        try connection.execute("GRANT SELECT ON label_import TO \(owner)")
                        for statement in setup.split(separator: ";") { try connection.execute(String(statement)) }
                        try connection.execute("GRANT SELECT ON label_import_names TO \(owner)")
                        try connection.execute("SELECT concord.import_labels('l.csv', 'x')")
                    }
                }
                #expect(error?.sqlState == "22023")
                #expect(error?.serverMessage == refusal)
            }
        }
    }
}
