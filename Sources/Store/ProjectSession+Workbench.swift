import Foundation
import GRDB
import Rubric

/// One item of the acting rater's queue, with what they themselves have answered so far.
/// Never another rater's labels (blind by default).
public struct QueueEntry: Sendable, Equatable {
    public let item: Int64
    public let batch: String
    public let clip: String
    /// Where the clip was when it was added; the workbench opens it from here.
    public let clipPath: String
    /// The clip's content hash and size as the project recorded them: what finds the file
    /// on a rater's own machine, whatever its name or folder there.
    public let clipSHA256: String
    public let clipSizeBytes: Int64
    public let frameCount: Int
    public let frameRate: Double
    public let position: Int
    public let rubricHash: String
    /// The rater's own current answers: criterion → value.
    public var answers: [String: String]
    /// Submitted from the workbench at least once.
    public var submitted: Bool
    public var skipped: Bool
    public var flagged: Bool
    /// A lead sent the item back to this rater after their last submission: the lead's
    /// note ("" when none). The item is unfinished until they submit it again.
    public var sentBack: String?
    /// For an item of a pairwise batch: clip b and the side the rater sees clip a on
    /// (docs/pairwise.md). nil for an item about one clip.
    public var pair: PairShown? = nil
}

/// The acting rater's queue in batch order, and the rubric versions its batches use.
public struct RatingQueue: Sendable {
    public var entries: [QueueEntry]
    /// By content hash.
    public let rubrics: [String: Rubric]

    public func rubric(for entry: QueueEntry) -> Rubric { rubrics[entry.rubricHash]! }

    /// Done for now: skipped, or every required criterion it shows is answered (an item of
    /// optional criteria only is done once submitted).
    public func isFinished(_ entry: QueueEntry) -> Bool {
        if entry.sentBack != nil { return false }
        if entry.skipped { return true }
        if !rubric(for: entry).unanswered(entry.answers).isEmpty { return false }
        return entry.submitted || !entry.answers.isEmpty
    }

    /// Where a restarted workbench resumes: the first unfinished item, else the last one.
    public var resumeIndex: Int {
        entries.firstIndex { !isFinished($0) } ?? max(0, entries.count - 1)
    }
}

/// What the workbench sends when a rater submits an item.
public struct ItemSubmission: Sendable, Equatable {
    public var item: Int64
    /// Criterion → value. Missing or empty: no answer.
    public var answers: [String: String]
    /// The frame on screen at submission, and its PTS in seconds.
    public var frame: Int?
    public var pts: Double?
    /// Time spent on the item, this visit.
    public var dwellMs: Int?
    /// Share of the clip's frames shown to the rater, 0...1.
    public var watchedShare: Double
    /// Made by the client when the rater submits, and kept while it retries: a PostgreSQL
    /// store writes a submission once per id, so a retry after a lost connection whose
    /// first attempt did commit changes nothing (docs/server.md "Faults").
    public var clientID: UUID
    /// The display the item was judged on; nil from a client that does not say (no row).
    public var display: DisplayRecord?

    public init(item: Int64, answers: [String: String], frame: Int?, pts: Double?, dwellMs: Int?, watchedShare: Double,
                clientID: UUID = UUID(), display: DisplayRecord? = nil) {
        self.clientID = clientID
        self.display = display
        self.item = item
        self.answers = answers
        self.frame = frame
        self.pts = pts
        self.dwellMs = dwellMs
        self.watchedShare = watchedShare
    }
}

public struct SubmitResult: Sendable, Equatable {
    /// Labels written: new answers and changed ones (each a new revision).
    public let written: Int
    /// Earlier answers withdrawn because the criterion is no longer asked or was cleared.
    public let withdrawn: Int

    public init(written: Int, withdrawn: Int) {
        self.written = written
        self.withdrawn = withdrawn
    }
}

public enum ItemMarkKind: String, Sendable { case skip, flag }

extension ProjectSession {
    /// The acting user's queue, with their own answers, skips and flags. Five scans keyed
    /// by rater, so a 100,000-item queue loads in well under a second.
    public func ratingQueue(batch: String? = nil) throws -> RatingQueue {
        guard allows(.submitLabels) else {
            throw StoreError.permission("\(actor.name) is \(actor.role.withArticle) and has no labeling queue")
        }
        return try store.read { db in
            if let batch { _ = try Self.batchID(db, batch) }   // an unknown batch is an error, not an empty queue
            var entries: [QueueEntry] = []
            var indexOf: [Int64: Int] = [:]
            var hashes: [String: Int64] = [:]
            try db.forEachRow("""
                SELECT i.id AS item, b.name AS batch, c.name AS clip, c.path AS clip_path, c.sha256 AS clip_sha256,
                       c.size_bytes AS clip_size_bytes, c.frame_count, c.frame_rate, i.position,
                       rv.hash AS rubric_hash, rv.id AS rubric_id
                FROM assignment a JOIN item i ON i.id = a.item_id JOIN batch b ON b.id = i.batch_id
                JOIN clip c ON c.id = i.clip_id JOIN rubric_version rv ON rv.id = b.rubric_version_id
                WHERE a.rater_id = ? \(batch == nil ? "" : "AND b.name = ?") ORDER BY b.name, i.position
                """, batch == nil ? [actor.id] : [actor.id, batch]) { row in
                let entry = QueueEntry(item: row["item"], batch: row["batch"], clip: row["clip"], clipPath: row["clip_path"],
                                       clipSHA256: row["clip_sha256"], clipSizeBytes: row["clip_size_bytes"],
                                       frameCount: row["frame_count"], frameRate: row["frame_rate"], position: row["position"],
                                       rubricHash: row["rubric_hash"], answers: [:],
                                       submitted: false, skipped: false, flagged: false, sentBack: nil)
                indexOf[entry.item] = entries.count
                hashes[entry.rubricHash] = row["rubric_id"]
                entries.append(entry)
            }
            // Pair items (docs/pairwise.md "Projects"): clip b and the side the rater sees clip a
            // on. Never the clips' system tags: raters judge blind to the model. Skipped in a
            // project without pairs (a 100,000-item queue would pay ~10 ms of index probes).
            if try db.value(Bool.self, "SELECT 1 FROM item_pair LIMIT 1") == true {
                try db.forEachRow("""
                    SELECT p.item_id, c.name, c.path, c.sha256, c.size_bytes, c.frame_count, c.frame_rate, p.pair_group, s.left_clip
                    FROM assignment a JOIN item_pair p ON p.item_id = a.item_id JOIN clip c ON c.id = p.clip_b_id
                    LEFT JOIN assignment_side s ON s.assignment_id = a.id
                    WHERE a.rater_id = ?
                    """, [actor.id]) { row in
                    guard let i = indexOf[row["item_id"]] else { return }
                    entries[i].pair = PairShown(clipB: row["name"], clipBPath: row["path"], clipBSHA256: row["sha256"],
                                                clipBSizeBytes: row["size_bytes"], frameCountB: row["frame_count"], frameRateB: row["frame_rate"],
                                                leftIsA: row["left_clip"] as String? != "b", group: row["pair_group"])
                }
            }
            try db.forEachRow("""
                SELECT c.item_id, l.criterion, l.value FROM assignment a
                JOIN label_current c ON c.item_id = a.item_id AND c.rater_id = a.rater_id JOIN label l ON l.id = c.label_id
                WHERE a.rater_id = ? AND l.value <> ''
                """, [actor.id]) { row in
                if let i = indexOf[row["item_id"]] { entries[i].answers[row["criterion"]] = row["value"] }
            }
            for row in try db.rows("SELECT item_id, kind FROM item_mark WHERE rater_id = ?", [actor.id]) {
                guard let i = indexOf[row["item_id"]] else { continue }
                if row["kind"] as String == "skip" { entries[i].skipped = true } else { entries[i].flagged = true }
            }
            for id in try db.values(Int64.self, "SELECT DISTINCT item_id FROM submission WHERE rater_id = ?", [actor.id]) {
                if let i = indexOf[id] { entries[i].submitted = true }
            }
            // Send-backs naming this rater that are newer than their last answer on the item.
            for row in try db.rows("""
                SELECT d.item_id, coalesce(d.note, '') AS note, d.created_at,
                       (SELECT max(t) FROM (SELECT max(l.recorded_at) AS t FROM label l WHERE l.item_id = d.item_id AND l.rater_id = ?
                                            UNION ALL SELECT max(s.created_at) FROM submission s WHERE s.item_id = d.item_id AND s.rater_id = ?) answered) AS answered_at
                FROM decision d JOIN decision_rater dr ON dr.decision_id = d.id
                WHERE d.kind = 'send_back' AND dr.rater_id = ? ORDER BY d.id
                """, [actor.id, actor.id, actor.id]) {
                guard let i = indexOf[row["item_id"]] else { continue }
                let sentAt: String = row["created_at"]
                let answeredAt: String? = row["answered_at"]
                if answeredAt.map({ $0 < sentAt }) ?? true { entries[i].sentBack = row["note"] } else { entries[i].sentBack = nil }
            }
            var rubrics: [String: Rubric] = [:]
            for (hash, id) in hashes {
                rubrics[hash] = try store.rubrics.rubric(id) { try Self.rubric(db, id: id) }
            }
            if store.postgres != nil {
                // What `itemContext` would read before each commit, known now: the queue's
                // items are the actor's assignments (a round trip and 4 statements fewer per Enter).
                store.itemContexts.remember(entries.map { entry in
                    (entry.item, (hashes[entry.rubricHash]!, rubrics[entry.rubricHash]!, entry.frameCount, entry.clip))
                }, actor: actor.id)
            }
            return RatingQueue(entries: entries, rubrics: rubrics)
        }
    }

    /// Submits a whole item in one transaction — every answer, withdrawals of answers the
    /// item no longer asks for, and a `submission` row with what the rater had watched — so
    /// an item is either entirely saved or not at all, and is committed when this returns.
    ///
    /// A changed answer is a new revision; an unchanged one writes nothing. An answer that
    /// existed before but is now hidden (its `when` no longer holds) or cleared is withdrawn
    /// by a revision with an empty value, which every read treats as "no answer", so
    /// agreement never counts a stale conditional answer.
    @discardableResult
    public func submitItem(_ submission: ItemSubmission) throws -> SubmitResult {
        try require(.submitLabels)
        if let postgres = store.postgres {
            // An item's rubric, clip and a rater's assignment never change (history is append-
            // only), so a commit needs no read before its one call once the item was seen.
            let context = try store.itemContexts.context(item: submission.item, actor: actor.id) {
                try store.read { db in try itemContext(db, submission.item) }
            }
            let (_, rubric, answers) = try checkedAnswers(context, submission)
            return try submitItem(submission, wanted: rubric.criteria.reduce(into: [:]) {
                $0[$1.id] = rubric.isShown($1, answers: answers) ? answers[$1.id] ?? "" : ""
            }, on: postgres)
        }
        return try audited("item.submit", tables: ["label", "submission", "submission_display"]) { db in
            let (rubricID, rubric, answers) = try checkedAnswers(try itemContext(store.sql(db), submission.item), submission)
            var current: [String: (value: String, revision: Int)] = [:]
            for row in try store.sql(db).rows("""
                SELECT l.criterion, l.value, l.revision FROM label_current c JOIN label l ON l.id = c.label_id
                WHERE c.item_id = ? AND c.rater_id = ?
                """, [submission.item, actor.id]) {
                current[row["criterion"]] = (row["value"], row["revision"])
            }
            let now = Clock.now()
            var first: Int64?, last: Int64?, written = 0, withdrawn = 0
            for criterion in rubric.criteria {
                let wanted = rubric.isShown(criterion, answers: answers) ? answers[criterion.id] ?? "" : ""
                let before = current[criterion.id]
                if (before?.value ?? "") == wanted { continue }
                try db.cachedStatement(sql: """
                    INSERT INTO label (item_id, criterion, rater_id, value, rubric_version_id, frame, pts, dwell_ms, submitted_at, recorded_at, revision, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'workbench')
                    """).execute(arguments: [submission.item, criterion.id, actor.id, wanted, rubricID, submission.frame,
                                             submission.pts, submission.dwellMs, now, now, (before?.revision ?? 0) + 1])
                let id = db.lastInsertedRowID
                first = first ?? id
                last = id
                if wanted.isEmpty { withdrawn += 1 } else { written += 1 }
            }
            if let first, let last { try Self.updateCurrent(db, first: first, last: last) }
            try db.cachedStatement(sql: """
                INSERT INTO submission (item_id, rater_id, first_label_id, last_label_id, frame, pts, dwell_ms, watched_share, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [submission.item, actor.id, first, last, submission.frame, submission.pts,
                                         submission.dwellMs, submission.watchedShare, now])
            if let display = submission.display {
                try db.cachedStatement(sql: """
                    INSERT INTO submission_display (submission_id, mode, width, height, colors, speeds, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [db.lastInsertedRowID, display.mode.rawValue, display.width, display.height,
                                             display.colors, display.speedsText, now])
            }
            let result = SubmitResult(written: written, withdrawn: withdrawn)
            return (result, ["item": submission.item, "written": written, "withdrawn": withdrawn,
                             "watched_share": submission.watchedShare])
        }
    }

    /// Skips (with a reason) or flags (with a note) an item in the acting rater's queue.
    public func markItem(_ item: Int64, kind: ItemMarkKind, note: String) throws {
        try require(.submitLabels)
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw StoreError.input(kind == .skip ? "a skip needs a reason" : "a flag needs a note")
        }
        try StoredText.check(trimmed, kind == .skip ? "the reason" : "the note")
        if let postgres = store.postgres { return try markItem(item, kind: kind, note: trimmed, on: postgres) }
        try audited("item.\(kind.rawValue)", tables: ["item_mark"]) { db in
            _ = try itemContext(store.sql(db), item)
            try db.execute(sql: "INSERT INTO item_mark (item_id, rater_id, kind, note, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [item, actor.id, kind.rawValue, trimmed, Clock.now()])
            return ((), ["item": item, "kind": kind.rawValue, "note": trimmed])
        }
    }

    /// The submission's answers checked against the item's rubric, numbers in their one
    /// stored spelling ("1.0" → "1", as imports and decisions store them): the checks both
    /// stores make before writing (on PostgreSQL the database checks each value again).
    private func checkedAnswers(_ context: ItemContext, _ submission: ItemSubmission) throws -> (rubricID: Int64, rubric: Rubric, answers: [String: String]) {
        let (rubricID, rubric, frameCount, clip) = context
        for key in submission.answers.keys where rubric.criterion(key) == nil {
            throw StoreError.input("the rubric \(quoted(rubric.name)) has no criterion \(quoted(key))")
        }
        // Numbers in their one stored spelling ("1.0" → "1"), as imports and decisions store them.
        let answers = submission.answers.filter { !$0.value.isEmpty }.reduce(into: [String: String]()) {
            $0[$1.key] = rubric.criterion($1.key)!.canonicalAnswer($1.value)
        }
        for (criterion, value) in answers.sorted(by: { $0.key < $1.key }) { try StoredText.check(value, "the value of \(criterion)") }
        for criterion in rubric.criteria where rubric.isShown(criterion, answers: answers) {
            if let value = answers[criterion.id], let problem = criterion.problem(with: value) {
                throw StoreError.input("\(criterion.id): \(problem)")
            }
        }
        let missing = rubric.unanswered(answers)
        guard missing.isEmpty else {
            throw StoreError.input("not complete: \(missing.map(\.id).joined(separator: ", ")) must be answered first")
        }
        if rubric.requireFullView && submission.watchedShare < 1 {
            throw StoreError.input("the rubric \(quoted(rubric.name)) asks for the whole clip to be watched first (\(Int((submission.watchedShare * 100).rounded(.down)))% seen)")
        }
        if let frame = submission.frame, frame < 0 || frame >= frameCount {
            throw StoreError.input("frame \(frame) is outside the clip \(clip) (0–\(frameCount - 1))")
        }
        guard submission.watchedShare >= 0 && submission.watchedShare <= 1 else {
            throw StoreError.input("watched share \(submission.watchedShare) is not between 0 and 1")
        }
        if let problem = submission.display?.problem { throw StoreError.input(problem) }
        return (rubricID, rubric, answers)
    }

    /// The item's rubric version and clip, after checking a rater may work on it.
    func itemContext(_ db: any SQLDatabase, _ item: Int64) throws -> ItemContext {
        guard let row = try db.row("""
            SELECT b.rubric_version_id, c.frame_count, c.name AS clip FROM item i JOIN batch b ON b.id = i.batch_id
            JOIN clip c ON c.id = i.clip_id WHERE i.id = ?
            """, [item]) else { throw StoreError.input("no item \(item)") }
        if actor.role == .rater, try db.value(Bool.self, "SELECT 1 FROM assignment WHERE item_id = ? AND rater_id = ?",
                                              [item, actor.id]) != true {
            throw StoreError.permission("item \(item) is not assigned to \(actor.name)")
        }
        let rubricID: Int64 = row["rubric_version_id"]
        let rubric = try store.rubrics.rubric(rubricID) { try Self.rubric(db, id: rubricID) }
        return (rubricID, rubric, row["frame_count"], row["clip"])
    }
}
