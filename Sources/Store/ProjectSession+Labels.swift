import Dispatch
import Foundation
import GRDB
import Rubric

/// One row of a labels CSV (docs/project-file.md "Decisions"), as the CLI parsed it.
public struct LabelImportRow: Sendable, Equatable {
    public var line: Int
    public var clip: String
    public var rater: String
    public var criterion: String
    public var value: String
    public var frame: Int?
    public var submittedAt: String?
    /// The batch column (as `label export` writes it): which batch the clip's item is in.
    public var batch: String?
    /// A model's confidence in the value ([0, 1]) and which repeated sample the row is
    /// (from 1): kept in `label_prediction` with the label (docs/release-gate-and-judges.md).
    public var confidence: Double?
    public var sample: Int?

    public init(line: Int, clip: String, rater: String, criterion: String, value: String, frame: Int? = nil,
                submittedAt: String? = nil, batch: String? = nil, confidence: Double? = nil, sample: Int? = nil) {
        self.line = line; self.clip = clip; self.rater = rater; self.criterion = criterion; self.value = value
        self.frame = frame; self.submittedAt = submittedAt; self.batch = batch
        self.confidence = confidence; self.sample = sample
    }
}

extension LabelImportRow {
    /// Whether a field holds a NUL character, which PostgreSQL text cannot store.
    var hasNUL: Bool {
        func nul(_ text: String?) -> Bool {
            guard var text else { return false }
            return text.withUTF8 { $0.contains(0) }
        }
        return nul(clip) || nul(rater) || nul(criterion) || nul(value) || nul(submittedAt) || nul(batch)
    }
}

public struct ImportSummary: Sendable, Equatable {
    /// Labels for (item, criterion, rater) that had none.
    public var added = 0
    /// New revisions of existing labels.
    public var revised = 0
    /// Rows equal to the current label (importing the same file twice adds nothing).
    public var unchanged = 0

    public init(added: Int = 0, revised: Int = 0, unchanged: Int = 0) {
        self.added = added
        self.revised = revised
        self.unchanged = unchanged
    }
}

/// A current label as `label export` writes it.
public struct ExportedLabel: Sendable, Equatable {
    public let clip: String
    public let rater: String
    public let criterion: String
    public let value: String
    public let frame: Int?
    public let submittedAt: String
    public let batch: String
    public let item: Int64
    public let rubricHash: String
    public let revision: Int
    public let pts: Double?
    public let dwellMs: Int?
    /// Share of the clip's frames the rater had seen when submitting from the workbench;
    /// nil for imported labels.
    public let watchedShare: Double?
    /// The display the label was judged on (DisplayRecord), from the submission that wrote
    /// it: mode, "640x360", colours, speeds ("0.5,1"). nil for imported labels and for
    /// submissions that did not record one.
    public let display: String?
    public let displaySize: String?
    public let colors: String?
    public let speeds: String?
    /// The model's confidence and repeated sample imported with the label (`label_prediction`).
    public let confidence: Double?
    public let sample: Int?
    /// For a pair item (docs/pairwise.md "Projects"): clip b (`clip` is clip a), and which of
    /// the two the rater saw on the left ("a" or "b"; nil for an imported label or an
    /// assignment without a side). nil for an item about one clip.
    public var clipB: String? = nil
    public var left: String? = nil
}

extension ProjectSession {
    /// Imports labels all-or-nothing: every row is checked (clip, rater, criterion, value,
    /// frame, the criterion's `when`), every problem is reported with its line, and only
    /// when there is none are the new labels and revisions written, in one transaction.
    public func importLabels(_ rows: [LabelImportRow], file: String, fileSHA256: String, batch: String? = nil) throws -> ImportSummary {
        try require(.importLabels)
        switch store.engine {
        case .sqlite: return try importLabelsSQLite(rows, file: file, fileSHA256: fileSHA256, batch: batch)
        case .postgres(let postgres):
            // PostgreSQL text cannot carry a NUL, so such a file cannot even reach the
            // database's checks: the Swift importer checks it instead, and refuses it with
            // every problem and its line, in the words the project file's import uses.
            if rows.contains(where: \.hasNUL) {
                try store.read { db in
                    var importer = try LabelImporter(db, file: file, batch: batch)
                    _ = try importer.plan(rows)
                }
            }
            return try importLabels(rows, file: file, fileSHA256: fileSHA256, batch: batch, on: postgres)
        }
    }

    /// `importLabels(_:…)` for rows made while they are imported: `rows` calls its argument
    /// once per row, in file order, and may be called more than once. On PostgreSQL the rows
    /// go to the server as they are made, so the server stores them while the file is still
    /// being read (a million rows: half a second sooner); the project file's import takes
    /// them all first. Errors `rows` throws (the file's own problems) end the import with
    /// nothing written.
    public func importLabels(file: String, fileSHA256: String, batch: String? = nil,
                             rows produce: (_ each: (LabelImportRow) throws -> Void) throws -> Void) throws -> ImportSummary {
        func collected() throws -> [LabelImportRow] {
            var rows: [LabelImportRow] = []
            try produce { rows.append($0) }
            return rows
        }
        guard case .postgres(let postgres) = store.engine else {
            return try importLabels(try collected(), file: file, fileSHA256: fileSHA256, batch: batch)
        }
        try require(.importLabels)
        let sent = try importLabels(file: file, fileSHA256: fileSHA256, batch: batch, on: postgres, produce: produce)
        // A NUL stopped the COPY: the Swift importer words every problem of the file.
        return sent.refusedNUL ? try importLabels(try collected(), file: file, fileSHA256: fileSHA256, batch: batch) : sent.summary
    }

    /// The project file's import: checked and planned here (`LabelImporter`), then a
    /// million rows through SQLite's C API (`BulkInsert`) while the other core hashes them.
    private func importLabelsSQLite(_ rows: [LabelImportRow], file: String, fileSHA256: String, batch: String?) throws -> ImportSummary {
        try store.write { db in
            var importer = try LabelImporter(store.sql(db), file: file, batch: batch)
            let plan = try importer.plan(rows)
            guard !plan.writes.isEmpty else { return plan.summary }
            let first = try Audit.maxID(db, "label") + 1
            let recordedAt = Clock.now()
            let insert = try db.cachedStatement(sql: """
                INSERT INTO label (id, item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at, recorded_at, revision, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, 'import')
                """)
            // The audit digest is computed from the values as they are written (the same
            // canonical encoding `audit verify` applies to the rows read back), on the other
            // core while this one feeds SQLite: no second pass over a million rows.
            let writes = plan.writes.map { $0! }
            nonisolated(unsafe) var digest = ""
            let hashing = DispatchGroup()
            DispatchQueue.global().async(group: hashing) {
                var d = RowDigest()
                for (offset, write) in writes.enumerated() {
                    d.row([.int(first + Int64(offset)), .int(write.item), .text(write.criterion), .int(write.rater),
                           .text(write.value), .int(write.rubricVersion), write.frame.map { .int(Int64($0)) } ?? .null,
                           .null, .null, .text(write.submittedAt ?? recordedAt), .text(recordedAt),
                           .int(Int64(write.revision)), .text("import")])
                }
                digest = d.finish()
            }
            let bulk = BulkInsert(statement: insert.sqliteStatement, connection: db.sqliteConnection)
            for (offset, write) in writes.enumerated() {
                try bulk.insertLabel(id: first + Int64(offset), write: write, recordedAt: recordedAt)
            }
            hashing.wait()
            let last = first + Int64(plan.writes.count) - 1
            try Self.updateCurrent(db, first: first, last: last)
            var ranges = [Audit.RowRange(table: "label", first: first, last: last, digest: digest)]
            if let predictions = try Self.insertPredictions(db, writes, firstLabel: first, at: recordedAt) { ranges.append(predictions) }
            try Audit.append(db, actor: actor.name, action: "label.import",
                             details: auditDetails(["file": file, "file_sha256": fileSHA256, "rows": rows.count,
                                                    "added": plan.summary.added, "revised": plan.summary.revised]),
                             ranges: ranges)
            return plan.summary
        }
    }

    /// The `label_prediction` rows of the written labels that carry a confidence or a
    /// sample (labels firstLabel… in `writes`' order), and their audit range; nil when none does.
    static func insertPredictions(_ db: Database, _ writes: [LabelImporter.Write], firstLabel: Int64, at: String) throws -> Audit.RowRange? {
        let first = try Audit.maxID(db, "label_prediction") + 1
        var id = first
        let insert = try db.cachedStatement(sql: "INSERT INTO label_prediction (id, label_id, confidence, sample, created_at) VALUES (?, ?, ?, ?, ?)")
        for (offset, write) in writes.enumerated() where write.confidence != nil || write.sample != nil {
            try insert.execute(arguments: [id, firstLabel + Int64(offset), write.confidence, write.sample, at])
            id += 1
        }
        return id == first ? nil : Audit.RowRange(table: "label_prediction", first: first, last: id - 1, digest: nil)
    }

    /// Points the current-label cache at labels first...last. One write holds at most one
    /// label per (item, rater, criterion) — imports reject repeats — so no order is needed;
    /// rows go in id order, which for an import is file order, usually near key order.
    static func updateCurrent(_ db: Database, first: Int64, last: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO label_current (item_id, rater_id, criterion, label_id)
            SELECT item_id, rater_id, criterion, id FROM label WHERE id BETWEEN ? AND ?
            """).execute(arguments: [first, last])
    }

    /// Current labels (latest revisions) the acting user may read: a rater only their own,
    /// leads and admins everyone's.
    public func exportLabels(batch: String? = nil) throws -> [ExportedLabel] {
        let everyone = allows(.readAllLabels)
        if !everyone { try require(.readOwnLabels) }
        return try store.read { db in
            // An empty value is a withdrawn answer (see `submitItem`): history, not a label.
            var conditions: [String] = ["l.value <> ''"]
            var arguments: [any SQLBindable] = []
            if let batch {
                conditions.append("i.batch_id = ?")
                arguments.append(try Self.batchID(db, batch))
            }
            if !everyone {
                conditions.append("c.rater_id = ?")
                arguments.append(actor.id)
            }
            // Clip b and the side, for a project with pairs only: the four look-ups cost a
            // 1,000,000-label export a third more CPU (1.3 → 1.75 s of SQLite's time).
            let pairs = try db.value(Bool.self, "SELECT 1 FROM item_pair LIMIT 1") == true
            let pairColumns = pairs ? ", cb.name AS clip_b, CASE WHEN l.source = 'workbench' THEN sd.left_clip END AS left_clip" : ""
            let pairJoins = pairs ? """
                LEFT JOIN item_pair ip ON ip.item_id = c.item_id LEFT JOIN clip cb ON cb.id = ip.clip_b_id
                LEFT JOIN assignment asg ON asg.item_id = c.item_id AND asg.rater_id = c.rater_id AND ip.id IS NOT NULL
                LEFT JOIN assignment_side sd ON sd.assignment_id = asg.id
                """ : ""
            let sql = """
                SELECT cl.name AS clip, r.name AS rater, l.criterion, l.value, l.frame, l.submitted_at, b.name AS batch, l.item_id,
                       rv.hash AS rubric_hash, l.revision, l.pts, l.dwell_ms, s.watched_share,
                       d.mode AS display, d.width AS display_width, d.height AS display_height, d.colors, d.speeds,
                       p.confidence, p.sample\(pairColumns)
                FROM label_current c JOIN label l ON l.id = c.label_id JOIN item i ON i.id = c.item_id
                JOIN batch b ON b.id = i.batch_id JOIN clip cl ON cl.id = i.clip_id JOIN rater r ON r.id = c.rater_id
                JOIN rubric_version rv ON rv.id = l.rubric_version_id
                LEFT JOIN submission s ON s.rater_id = l.rater_id AND s.item_id = l.item_id
                                      AND l.id BETWEEN s.first_label_id AND s.last_label_id
                LEFT JOIN submission_display d ON d.submission_id = s.id
                LEFT JOIN label_prediction p ON p.label_id = l.id
                \(pairJoins)
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY b.name, i.position, r.name, l.criterion
                """
            // Up to a million rows: each column's position is found once, by name.
            var columns: ExportColumns?
            var out: [ExportedLabel] = []
            try db.forEachRow(sql, arguments) { row in
                let c = columns ?? ExportColumns(row)
                columns = c
                out.append(ExportedLabel(clip: row[at: c.clip], rater: row[at: c.rater], criterion: row[at: c.criterion], value: row[at: c.value],
                                         frame: row[at: c.frame], submittedAt: row[at: c.at], batch: row[at: c.batch], item: row[at: c.item],
                                         rubricHash: row[at: c.hash], revision: row[at: c.revision], pts: row[at: c.pts],
                                         dwellMs: row[at: c.dwell], watchedShare: row[at: c.watched],
                                         display: row[at: c.display],
                                         displaySize: (row[at: c.width] as Int?).map { "\($0)x\(row[at: c.height] as Int)" },
                                         colors: row[at: c.colors], speeds: row[at: c.speeds],
                                         confidence: row[at: c.confidence], sample: row[at: c.sample],
                                         clipB: c.clipB.flatMap { row[at: $0] as String? }, left: c.left.flatMap { row[at: $0] as String? }))
            }
            return out
        }
    }
}

/// Where `exportLabels`' columns are, found once by name from its first row.
private struct ExportColumns {
    let clip, rater, criterion, value, frame, at, batch, item, hash, revision, pts, dwell, watched: Int
    let display, width, height, colors, speeds, confidence, sample: Int
    /// Only in a project with pairs.
    let clipB, left: Int?

    init(_ row: SQLRow) {
        clip = row.position(of: "clip"); rater = row.position(of: "rater"); criterion = row.position(of: "criterion")
        value = row.position(of: "value"); frame = row.position(of: "frame"); at = row.position(of: "submitted_at")
        batch = row.position(of: "batch"); item = row.position(of: "item_id"); hash = row.position(of: "rubric_hash")
        revision = row.position(of: "revision"); pts = row.position(of: "pts"); dwell = row.position(of: "dwell_ms")
        watched = row.position(of: "watched_share")
        display = row.position(of: "display"); width = row.position(of: "display_width")
        height = row.position(of: "display_height"); colors = row.position(of: "colors"); speeds = row.position(of: "speeds")
        confidence = row.position(of: "confidence"); sample = row.position(of: "sample")
        clipB = row.positions["clip_b"]; left = row.positions["left_clip"]
    }
}
