import Foundation
import GRDB
import Rubric

/// Why a lead chose a final value (the reason codes of docs/adjudication.md "Decisions").
public enum DecisionReason: String, Sendable, CaseIterable {
    case raterError = "rater_error"
    case rubricAmbiguous = "rubric_ambiguous"
    case clipAmbiguous = "clip_ambiguous"
    case genuineDisagreement = "genuine_disagreement"
    case other
}

/// A lead's decision on an item: a final value for a criterion, a send-back to raters, or a
/// note that the rubric's criterion needs revision.
public struct Decision: Sendable, Equatable {
    public enum Kind: String, Sendable { case resolve, sendBack = "send_back", needsRevision = "needs_revision" }
    public let id: Int64
    public let item: Int64
    public let criterion: String?
    public let lead: String
    public let kind: Kind
    public let value: String?
    public let reason: DecisionReason?
    public let note: String?
    public let raters: [String]
    public let at: String
}

/// One rater's current answer to one criterion of an item, with how it was given.
public struct Vote: Sendable, Equatable {
    public let rater: String
    public let role: Role
    public let value: String
    public let revision: Int
    public let submittedAt: String
    public let dwellMs: Int?
    public let watchedShare: Double?
    /// What the vote was judged on (DisplayRecord), as the vote list shows it: "kitty
    /// 640×360"; nil for an import or a submission that recorded none.
    public var display: String? = nil
    /// On a pair item: whether the rater was shown clip a on the left (their assignment's
    /// side); nil for an item about one clip, or a pair answer without a recorded side.
    public var leftIsA: Bool? = nil
}

/// What a lead needs to work a batch's queue: every current label (in columns), flags,
/// decisions, gold answers and the batch's thresholds.
public struct AdjudicationContext: Sendable {
    public let labels: BatchLabels
    /// By item: the clip's path and SHA-256, and the item's position in the batch.
    public let clipPaths: [Int64: String]
    public let clipHashes: [Int64: String]
    /// By item: what the project records of its clip's file (name, SHA-256, size, path), to
    /// find the lead's own copy of it.
    public let clipFiles: [Int64: ClipFile]
    /// Item → (rater, note) of each flag.
    public let flags: [Int64: [(rater: String, note: String)]]
    /// Every decision, oldest first.
    public let decisions: [Decision]
    /// Latest gold answer per (item, criterion).
    public let gold: [GoldAnswer]
    /// By item, for the pair items of a pairwise batch: clip b, the group and each rater's
    /// side (`item.clip_id` and so `clipFiles` are clip a). Empty for a batch of one-clip items.
    public var pairs: [Int64: PairFacts] = [:]
    /// Ordinal and numeric criteria enter the queue when their spread exceeds this (0 when unset).
    public let spreadThreshold: Double
    /// Raters whose gold accuracy falls below this are flagged (nil: no threshold).
    public let goldThreshold: Double?

    /// The latest resolve decision per (item, criterion).
    public var resolutions: [ItemCriterion: Decision] {
        var out: [ItemCriterion: Decision] = [:]
        for d in decisions where d.kind == .resolve { out[ItemCriterion(item: d.item, criterion: d.criterion ?? "")] = d }
        return out
    }
}

public struct ItemCriterion: Hashable, Sendable {
    public let item: Int64
    public let criterion: String
    public init(item: Int64, criterion: String) { self.item = item; self.criterion = criterion }
}

public struct GoldAnswer: Sendable, Equatable {
    public let item: Int64
    public let criterion: String
    public let value: String
    public let addedBy: String
    public let source: String
    /// A training item: its answer is shown in training mode and never counts toward accuracy.
    public let training: Bool
    /// Each rater's first answer to it (the one accuracy counts), oldest first.
    public let responses: [GoldResponse]
}

extension ProjectSession {
    // MARK: - Reading

    public func adjudicationContext(batch: String) throws -> AdjudicationContext {
        try require(.adjudicate)
        return try store.read { db in
            let batchID = try Self.batchID(db, batch)
            return try Self.adjudicationContext(db, batchID: batchID, labels: Self.batchLabels(db, batch: batch, batchID: batchID))
        }
    }

    /// `adjudicationContext` inside a read the caller holds, around labels read in it.
    static func adjudicationContext(_ db: any SQLDatabase, batchID: Int64, labels: BatchLabels) throws -> AdjudicationContext {
        var paths: [Int64: String] = [:], hashes: [Int64: String] = [:], files: [Int64: ClipFile] = [:]
        try db.forEachRow("""
            SELECT i.id AS item, c.name, c.path, c.sha256, c.size_bytes FROM item i JOIN clip c ON c.id = i.clip_id WHERE i.batch_id = ?
            """, [batchID]) { row in
            paths[row["item"]] = row["path"]
            hashes[row["item"]] = row["sha256"]
            files[row["item"]] = ClipFile(name: row["name"], sha256: row["sha256"], sizeBytes: row["size_bytes"], recordedPath: row["path"])
        }
        var flags: [Int64: [(rater: String, note: String)]] = [:]
        for row in try db.rows("""
            SELECT m.item_id, r.name AS rater, coalesce(m.note, '') AS note FROM item_mark m JOIN item i ON i.id = m.item_id JOIN rater r ON r.id = m.rater_id
            WHERE i.batch_id = ? AND m.kind = 'flag' ORDER BY m.id
            """, [batchID]) {
            flags[row["item_id"], default: []].append((row["rater"], row["note"]))
        }
        let decisions = try Self.decisions(db, batchID: batchID)
        let gold = try Self.goldAnswers(db, batchID: batchID)
        let rule = try db.row("SELECT spread_threshold, gold_threshold FROM batch_rule WHERE batch_id = ? ORDER BY id DESC LIMIT 1",
                                    [batchID])
        var context = AdjudicationContext(labels: labels, clipPaths: paths, clipHashes: hashes, clipFiles: files, flags: flags, decisions: decisions,
                                          gold: gold, spreadThreshold: rule?["spread_threshold"] ?? 0, goldThreshold: rule?["gold_threshold"])
        context.pairs = try pairFacts(db, batchID: batchID)
        return context
    }

    /// Every rater's current answers on one item, with dwell time and watched share (and on a
    /// pair item the side each rater saw clip a on): what a lead sees beside the clip. Leads
    /// and admins only.
    public func votes(item: Int64) throws -> [String: [Vote]] {
        try require(.adjudicate)
        return try store.read { db in
            var out: [String: [Vote]] = [:]
            for row in try db.rows("""
                SELECT l.criterion, r.name AS rater, (SELECT role FROM rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role,
                       l.value, l.revision, l.submitted_at, l.dwell_ms,
                       s.watched_share, d.mode AS display, d.width AS display_width, d.height AS display_height,
                       (SELECT sd.left_clip FROM assignment a JOIN assignment_side sd ON sd.assignment_id = a.id
                        WHERE a.item_id = c.item_id AND a.rater_id = c.rater_id) AS left_clip
                FROM label_current c JOIN label l ON l.id = c.label_id JOIN rater r ON r.id = c.rater_id
                LEFT JOIN submission s ON s.rater_id = l.rater_id AND s.item_id = l.item_id
                                      AND l.id BETWEEN s.first_label_id AND s.last_label_id
                LEFT JOIN submission_display d ON d.submission_id = s.id
                WHERE c.item_id = ? AND l.value <> '' ORDER BY r.name, l.criterion
                """, [item]) {
                out[row["criterion"], default: []].append(Vote(rater: row["rater"], role: Role(rawValue: row["role"]) ?? .rater,
                                                               value: row["value"], revision: row["revision"], submittedAt: row["submitted_at"],
                                                               dwellMs: row["dwell_ms"], watchedShare: row["watched_share"],
                                                               display: (row["display"] as String?).map {
                                                                   "\($0) \(row["display_width"] as Int)×\(row["display_height"] as Int)"
                                                               }, leftIsA: (row["left_clip"] as String?).map { $0 == "a" }))
            }
            return out
        }
    }

    /// A batch's gold answers and its gold threshold: aggregates readers (leads, auditors,
    /// admins) may see them, for gold accuracy and the release gate.
    public func goldAnswers(batch: String) throws -> (answers: [GoldAnswer], threshold: Double?) {
        try require(.readAggregates)
        return try store.read { db in try Self.goldAnswersAndThreshold(db, batchID: Self.batchID(db, batch)) }
    }

    static func goldAnswersAndThreshold(_ db: any SQLDatabase, batchID: Int64) throws -> (answers: [GoldAnswer], threshold: Double?) {
        let threshold = try db.value(Double.self, "SELECT gold_threshold FROM batch_rule WHERE batch_id = ? ORDER BY id DESC LIMIT 1",
                                            [batchID])
        return (try Self.goldAnswers(db, batchID: batchID), threshold)
    }

    static func decisions(_ db: any SQLDatabase, batchID: Int64) throws -> [Decision] {
        let raters = try SendBackRaters.names(db, batchID: batchID)
        return try db.rows("""
            SELECT d.id, d.item_id, d.criterion, r.name AS lead, d.kind, d.value, d.reason, d.note, d.created_at
            FROM decision d JOIN item i ON i.id = d.item_id JOIN rater r ON r.id = d.lead_id WHERE i.batch_id = ? ORDER BY d.id
            """, [batchID]).map { row in
            Decision(id: row["id"], item: row["item_id"], criterion: row["criterion"], lead: row["lead"],
                     kind: Decision.Kind(rawValue: row["kind"]) ?? .resolve, value: row["value"],
                     reason: (row["reason"] as String?).flatMap(DecisionReason.init(rawValue:)), note: row["note"],
                     raters: raters[row["id"]] ?? [], at: row["created_at"])
        }
    }

    static func goldAnswers(_ db: any SQLDatabase, batchID: Int64) throws -> [GoldAnswer] {
        let training = try trainingItems(db, batchID: batchID)
        let responses = try goldResponses(db, batchID: batchID)
        return try db.rows("""
            SELECT g.item_id, g.criterion, g.value, r.name AS added_by, g.source FROM gold g JOIN item i ON i.id = g.item_id
            JOIN rater r ON r.id = g.added_by
            WHERE i.batch_id = ? AND g.id = (SELECT max(id) FROM gold WHERE item_id = g.item_id AND criterion = g.criterion)
            ORDER BY i.position, g.criterion
            """, [batchID]).map { row in
            let key = ItemCriterion(item: row["item_id"], criterion: row["criterion"])
            return GoldAnswer(item: key.item, criterion: key.criterion, value: row["value"], addedBy: row["added_by"], source: row["source"],
                              training: training.contains(key.item), responses: responses[key] ?? [])
        }
    }

    /// An item by its number, or by its clip's name within `batch` (or the only batch).
    public func item(_ text: String, batch: String?) throws -> Int64 {
        try store.read { db in
            if let number = Int64(text) {
                guard try db.value(Bool.self, "SELECT 1 FROM item WHERE id = ?", [number]) == true else {
                    throw StoreError.input("no item \(number); concord queue and concord label export print item numbers")
                }
                return number
            }
            var sql = "SELECT i.id AS item, b.name AS batch FROM item i JOIN clip c ON c.id = i.clip_id JOIN batch b ON b.id = i.batch_id WHERE c.name = ?"
            var arguments: [any SQLBindable] = [text]
            if let batch {
                sql += " AND i.batch_id = ?"
                arguments.append(try Self.batchID(db, batch))
            }
            // By batch name: the message below lists them in the same order on every store.
            let rows = try db.rows(sql + " ORDER BY b.name", arguments)
            guard let first = rows.first else { throw StoreError.input("no item with the clip \(quoted(text))\(batch.map { " in batch \(quoted($0))" } ?? "")") }
            guard rows.count == 1 else {
                var batches: [String] = []
                for row in rows where !batches.contains(row["batch"]) { batches.append(row["batch"]) }
                // In a pairwise batch a clip is its pool item and clip a of its pairs: only the
                // number names one of them.
                if batches.count == 1 {
                    throw StoreError.input("the clip \(quoted(text)) is in \(rows.count) items of batch \(quoted(batches[0])) (its pool item and the pairs it is clip a of); give the item number concord queue prints")
                }
                throw StoreError.input("the clip \(quoted(text)) is an item of several batches (\(batches.joined(separator: ", "))); give --batch or the item number")
            }
            return first["item"]
        }
    }

    // MARK: - Deciding

    /// The final value of `criterion` on `item`, with a reason: a new revision of the
    /// decision, audited. Leads and admins only.
    @discardableResult
    public func resolve(item: Int64, criterion: String, value: String, reason: DecisionReason, note: String?) throws -> Int64 {
        try require(.adjudicate)
        try StoredText.check(value, "the value")
        try StoredText.check(note, "the note")
        if let postgres = store.postgres { return try resolve(item: item, criterion: criterion, value: value, reason: reason, note: note, on: postgres) }
        return try audited("decision.resolve", tables: ["decision"]) { db in
            let rubric = try itemRubric(store.sql(db), item)
            guard let spec = rubric.criterion(criterion) else {
                throw StoreError.input("the rubric \(quoted(rubric.name)) has no criterion \(quoted(criterion)); criteria: \(rubric.criteria.map(\.id).joined(separator: ", "))")
            }
            guard spec.isPartOfAgreement else { throw StoreError.input("\(quoted(criterion)) is a text criterion: notes are not resolved") }
            let canonical = spec.canonicalAnswer(value)
            if let problem = spec.problem(with: canonical) { throw StoreError.input("\(criterion): \(problem)") }
            let previous = try store.sql(db).row("SELECT value FROM decision WHERE item_id = ? AND criterion = ? AND kind = 'resolve' ORDER BY id DESC LIMIT 1",
                                            [item, criterion])
            try db.execute(sql: """
                INSERT INTO decision (item_id, criterion, lead_id, kind, value, reason, note, created_at) VALUES (?, ?, ?, 'resolve', ?, ?, ?, ?)
                """, arguments: [item, criterion, actor.id, canonical, reason.rawValue, Self.trimmed(note), Clock.now()])
            return (db.lastInsertedRowID, ["item": item, "criterion": criterion, "value": canonical, "reason": reason.rawValue,
                                           "before": (previous?["value"] as String?) as Any? ?? NSNull()])
        }
    }

    /// Sends `item` back to raters who rated it: it re-enters their queues (until they
    /// submit it again), with the lead's note.
    public func sendBack(item: Int64, raters: [String], note: String?) throws {
        try require(.adjudicate)
        guard !raters.isEmpty else { throw StoreError.input("--raters needs at least one rater") }
        try StoredText.check(note, "the note")
        if let postgres = store.postgres { return try sendBack(item: item, raters: raters, note: note, on: postgres) }
        try audited("decision.send_back", tables: ["decision", "decision_rater"]) { db in
            _ = try itemRubric(store.sql(db), item)
            var ids: [Int64] = []
            for name in raters {
                guard let rater = try Self.actor(store.sql(db), named: name) else { throw StoreError.input("no rater named \(quoted(name))") }
                ids.append(rater.id)
                guard try store.sql(db).value(Bool.self, "SELECT 1 FROM assignment WHERE item_id = ? AND rater_id = ?", [item, rater.id]) == true else {
                    throw StoreError.input("item \(item) is not assigned to \(name); send it back only to raters who had it")
                }
            }
            guard Set(raters).count == raters.count else { throw StoreError.input("a rater is named twice in --raters") }
            let at = Clock.now()
            try db.execute(sql: "INSERT INTO decision (item_id, lead_id, kind, note, created_at) VALUES (?, ?, 'send_back', ?, ?)",
                           arguments: [item, actor.id, Self.trimmed(note), at])
            try SendBackRaters.insert(db, decision: db.lastInsertedRowID, raters: ids, at: at)
            return ((), ["item": item, "raters": raters, "note": Self.trimmed(note) as Any? ?? NSNull()])
        }
    }

    /// Marks a criterion of the item's rubric as needing revision (the wording misled raters).
    public func markNeedsRevision(item: Int64, criterion: String, note: String?) throws {
        try require(.adjudicate)
        try StoredText.check(note, "the note")
        if let postgres = store.postgres { return try markNeedsRevision(item: item, criterion: criterion, note: note, on: postgres) }
        try audited("decision.needs_revision", tables: ["decision"]) { db in
            let rubric = try itemRubric(store.sql(db), item)
            guard rubric.criterion(criterion) != nil else { throw StoreError.input("the rubric \(quoted(rubric.name)) has no criterion \(quoted(criterion))") }
            try db.execute(sql: "INSERT INTO decision (item_id, criterion, lead_id, kind, note, created_at) VALUES (?, ?, ?, 'needs_revision', ?, ?)",
                           arguments: [item, criterion, actor.id, Self.trimmed(note), Clock.now()])
            return ((), ["item": item, "criterion": criterion])
        }
    }

    /// A known answer for a gold question. Leads and admins only. `training` marks the item
    /// as a training item: training mode shows its gold answers, and it never counts toward
    /// gold accuracy (an item is marked once; the mark is history, never removed).
    public func addGold(item: Int64, criterion: String, value: String, fromGolden: Bool = false, training: Bool = false) throws {
        try require(.manageGold)
        try StoredText.check(value, "the value")
        if let postgres = store.postgres { return try addGold(item: item, criterion: criterion, value: value, fromGolden: fromGolden, training: training, on: postgres) }
        try audited("gold.add", tables: ["gold", "training_item"]) { db in
            let rubric = try itemRubric(store.sql(db), item)
            guard let spec = rubric.criterion(criterion) else {
                throw StoreError.input("the rubric \(quoted(rubric.name)) has no criterion \(quoted(criterion)); criteria: \(rubric.criteria.map(\.id).joined(separator: ", "))")
            }
            guard spec.isPartOfAgreement else { throw StoreError.input("\(quoted(criterion)) is a text criterion and cannot be a gold question") }
            let canonical = spec.canonicalAnswer(value)
            if let problem = spec.problem(with: canonical) { throw StoreError.input("\(criterion): \(problem)") }
            try db.execute(sql: "INSERT INTO gold (item_id, criterion, value, added_by, source, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [item, criterion, canonical, actor.id, fromGolden ? "golden" : "manual", Clock.now()])
            if training, try store.sql(db).value(Bool.self, "SELECT 1 FROM training_item WHERE item_id = ?", [item]) != true {
                try db.execute(sql: "INSERT INTO training_item (item_id, added_by, created_at) VALUES (?, ?, ?)",
                               arguments: [item, actor.id, Clock.now()])
            }
            return ((), ["item": item, "criterion": criterion, "value": canonical, "training": training])
        }
    }

    /// Thresholds of a batch: the spread above which ordinal and numeric votes disagree,
    /// and the gold accuracy below which a rater is flagged.
    public func setBatchRule(batch: String, spreadThreshold: Double?, goldThreshold: Double?) throws {
        try require(.assign)
        if let spreadThreshold, !(spreadThreshold >= 0) { throw StoreError.input("--disagreement-spread must be 0 or more; got \(spreadThreshold)") }
        if let goldThreshold, !(0...1).contains(goldThreshold) { throw StoreError.input("--gold-threshold must be between 0 and 1; got \(goldThreshold)") }
        if let postgres = store.postgres { return try setBatchRule(batch: batch, spreadThreshold: spreadThreshold, goldThreshold: goldThreshold, on: postgres) }
        try audited("batch.rule", tables: ["batch_rule"]) { db in
            let id = try Self.batchID(store.sql(db), batch)
            let last = try store.sql(db).row("SELECT spread_threshold, gold_threshold FROM batch_rule WHERE batch_id = ? ORDER BY id DESC LIMIT 1", [id])
            let spread: Double? = spreadThreshold ?? last?["spread_threshold"], gold: Double? = goldThreshold ?? last?["gold_threshold"]
            try db.execute(sql: "INSERT INTO batch_rule (batch_id, spread_threshold, gold_threshold, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [id, spread, gold, Clock.now()])
            return ((), ["batch": batch, "spread_threshold": spreadThreshold as Any? ?? NSNull(), "gold_threshold": goldThreshold as Any? ?? NSNull()])
        }
    }

    /// For a rater in training mode: the gold answers of a training item they have already
    /// submitted (never before). Empty when the item is not a training item: the answers of
    /// gold questions that count toward accuracy are never shown.
    public func goldFeedback(item: Int64) throws -> [String: String] {
        try require(.submitLabels)
        if store.postgres != nil {
            // Raters cannot read gold there: the database's function applies the same rule.
            return try store.read { db in
                try db.rows("SELECT criterion, value FROM concord.training_answers(?, ?)", [item, actingAsArgument])
                    .reduce(into: [:]) { $0[$1["criterion"] as String] = $1["value"] as String }
            }
        }
        return try store.read { db in
            guard try db.value(Bool.self, "SELECT 1 FROM training_item WHERE item_id = ?", [item]) == true else { return [:] }
            let submitted = try db.value(Bool.self, """
                SELECT 1 FROM label WHERE item_id = ? AND rater_id = ? AND value <> '' LIMIT 1
                """, [item, actor.id]) == true
            guard submitted else { return [:] }
            var out: [String: String] = [:]
            for row in try db.rows("SELECT criterion, value FROM gold WHERE item_id = ? ORDER BY id", [item]) {
                out[row["criterion"]] = row["value"]
            }
            return out
        }
    }

    private func itemRubric(_ db: any SQLDatabase, _ item: Int64) throws -> Rubric {
        guard let id = try db.value(Int64.self, "SELECT b.rubric_version_id FROM item i JOIN batch b ON b.id = i.batch_id WHERE i.id = ?",
                                          [item]) else { throw StoreError.input("no item \(item)") }
        return try store.rubrics.rubric(id) { try Self.rubric(db, id: id) }
    }

    static func trimmed(_ note: String?) -> String? {
        guard let t = note?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }
}

/// One label revision, for a live view that applies changes as they arrive.
public struct LabelChange: Sendable, Equatable {
    public let id: Int64
    public let item: Int64
    public let rater: String
    public let role: Role
    public let criterion: String
    /// Empty: the answer was withdrawn.
    public let value: String
    public let submittedAt: String
}

extension ProjectSession {
    /// A number that changes whenever another process commits to the project file
    /// (SQLite's `PRAGMA data_version`): polling it costs a few microseconds, so a live view
    /// can check several times a second and read only when something happened.
    public func dataVersion() throws -> Int {
        // SQLite only: another store tells a live view of commits by notifications instead.
        switch store.engine {
        case .sqlite(let queue):
            do {
                return try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
            } catch let error as DatabaseError {
                throw StoreError(.project, "the project file could not be read: \(ProjectStore.describe(error))")
            }
        case .postgres(let project):
            return try project.changeCount()
        }
    }

    /// Label revisions of `batch` with ids above `after`, oldest first, and the highest label
    /// id of the project. Aggregates readers only (leads, auditors, admins).
    public func labelChanges(batch: String, after: Int64) throws -> (changes: [LabelChange], last: Int64) {
        try require(.readAggregates)
        return try store.read { db in
            let batchID = try Self.batchID(db, batch)
            let last = try db.value(Int64.self, "SELECT coalesce(max(id), 0) FROM label") ?? 0
            let changes = try db.rows("""
                SELECT l.id, l.item_id, r.name AS rater, (SELECT role FROM rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role,
                       l.criterion, l.value, l.submitted_at
                FROM label l JOIN item i ON i.id = l.item_id JOIN rater r ON r.id = l.rater_id
                WHERE l.id > ? AND l.id <= ? AND i.batch_id = ? ORDER BY l.id
                """, [after, last, batchID]).map {
                LabelChange(id: $0["id"], item: $0["item_id"], rater: $0["rater"], role: Role(rawValue: $0["role"]) ?? .rater,
                            criterion: $0["criterion"], value: $0["value"], submittedAt: $0["submitted_at"])
            }
            return (changes, last)
        }
    }

    /// The highest label id now: where a live view that has just read everything starts.
    /// For the live views of `adjudicate` (leads and admins): asked first, so someone else
    /// hears that they may not see the queue before anything is read.
    public func lastLabelID() throws -> Int64 {
        try require(.adjudicate)
        return try store.read { db in try db.value(Int64.self, "SELECT coalesce(max(id), 0) FROM label") ?? 0 }
    }
}
