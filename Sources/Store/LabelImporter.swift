import Rubric

/// Checks a labels CSV against the project and plans its writes (ProjectSession.importLabels).
///
/// Everything the rows refer to is loaded once into dictionaries, so checking a million
/// rows is a million hash lookups, not a million queries.
struct LabelImporter {
    struct Write: Equatable {
        var item: Int64
        var criterion: String
        var rater: Int64
        var value: String
        var rubricVersion: Int64
        var frame: Int?
        var submittedAt: String?
        var revision: Int
        /// `label_prediction`'s part: written when either is given.
        var confidence: Double? = nil
        var sample: Int? = nil
    }

    struct Plan {
        /// In file order; nil marks a slot kept for a conditional row still to be checked,
        /// or one that turned out unchanged.
        var writes: [Write?] = []
        var summary = ImportSummary()

        /// A checked row: nothing when it equals the current label, else a new revision
        /// (appended, or put in its kept `slot`).
        mutating func add(_ row: LabelImportRow, key: Key, rubricVersion: Int64, current: Current?, slot: Int? = nil) {
            // A repeated sample (another `sample`) is a new revision even with the same value:
            // self-agreement must see the runs that agreed, not only those that changed.
            if let current, current.value == row.value, current.frame == row.frame, current.confidence == row.confidence,
               current.sample == row.sample {
                summary.unchanged += 1
                return
            }
            if current == nil { summary.added += 1 } else { summary.revised += 1 }
            let write = Write(item: key.item, criterion: row.criterion, rater: key.rater, value: row.value,
                              rubricVersion: rubricVersion, frame: row.frame, submittedAt: row.submittedAt,
                              revision: (current?.revision ?? 0) + 1, confidence: row.confidence, sample: row.sample)
            if let slot { writes[slot] = write } else { writes.append(write) }
        }
    }

    struct Clip { var id: Int64; var name: String; var frameCount: Int }
    struct Batch {
        var name: String
        var rubric: Rubric
        var rubricVersion: Int64
        /// Criterion id → position in the rubric (the compact key below uses positions).
        var position: [String: Int]
        /// Criteria some `when` condition names: only their answers need remembering.
        var referenced: Set<String>
        /// The option values of each criterion (by position), for a hash lookup per row.
        var options: [Set<String>?]
        /// Whether each criterion (by position) has a `when` condition.
        var conditional: [Bool]
        /// A pairwise batch (docs/pairwise.md "Projects"): its answers are not imported.
        var pairwise: Bool
    }
    struct Current { var value: String; var frame: Int?; var revision: Int; var confidence: Double?; var sample: Int? }
    /// (item, criterion position, rater) packed in one integer: a million-row import does a
    /// million lookups, and hashing one Int64 is much cheaper than hashing a String.
    struct Key: Hashable {
        var bits: UInt64
        init(item: Int64, criterion: Int, rater: Int64) {
            precondition(item < 1 << 36 && criterion < 1 << 8 && rater < 1 << 20, "project too large for the import key")
            bits = UInt64(item) << 28 | UInt64(criterion) << 20 | UInt64(rater)
        }
        var item: Int64 { Int64(bits >> 28) }
        var rater: Int64 { Int64(bits & 0xFFFFF) }
    }

    let file: String
    var clipsByName: [String: Clip] = [:]
    var clipsBySHA: [(sha: String, clip: Clip)] = []
    /// clip id → [(batch id, item id)]
    var itemsOfClip: [Int64: [(batch: Int64, item: Int64)]] = [:]
    var batches: [Int64: Batch] = [:]
    var batchOfItem: [Int64: Int64] = [:]
    var batchIDs: [String: Int64] = [:]
    var raters: [String: Actor] = [:]
    var current: [Key: Current] = [:]
    let onlyBatch: Int64?

    init(_ db: any SQLDatabase, file: String, batch: String?) throws {
        self.file = file
        onlyBatch = try batch.map { try ProjectSession.batchID(db, $0) }
        try db.forEachRow("SELECT id, name, sha256, frame_count FROM clip") { row in
            let clip = Clip(id: row["id"], name: row["name"], frameCount: row["frame_count"])
            clipsByName[clip.name] = clip
            clipsBySHA.append((row["sha256"], clip))
        }
        clipsBySHA.sort { $0.sha < $1.sha }
        for row in try db.rows("SELECT b.id, b.name, r.canonical_json, r.id AS rubric_version_id FROM batch b JOIN rubric_version r ON r.id = b.rubric_version_id") {
            let rubric = try Rubric.fromCanonicalJSON(row["canonical_json"])
            var position: [String: Int] = [:]
            for (i, c) in rubric.criteria.enumerated() { position[c.id] = i }
            batchIDs[row["name"]] = row["id"]
            batches[row["id"]] = Batch(name: row["name"], rubric: rubric, rubricVersion: row["rubric_version_id"], position: position,
                                    referenced: Set(rubric.criteria.flatMap { $0.when.keys }),
                                    options: rubric.criteria.map { $0.scale.hasOptions ? Set($0.options.map(\.value)) : nil },
                                    conditional: rubric.criteria.map { !$0.when.isEmpty }, pairwise: rubric.isPairwise)
        }
        // A pair item's clip_id is its clip a: a row naming that clip means the clip (its pool
        // item), never one of its pairs.
        try db.forEachRow("SELECT id, batch_id, clip_id FROM item i WHERE NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)") { row in
            itemsOfClip[row["clip_id"], default: []].append((row["batch_id"], row["id"]))
            batchOfItem[row["id"]] = row["batch_id"]
        }
        try db.forEachRow("""
            SELECT r.id, r.name, (SELECT role FROM rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role FROM rater r
            """) { row in
            raters[row["name"]] = Actor(id: row["id"], name: row["name"], role: Role(rawValue: row["role"]) ?? .rater)
        }
        // Every current label of the project (a million, before a re-import): columns found once.
        var columns: (item: Int, criterion: Int, rater: Int, value: Int, frame: Int, revision: Int, confidence: Int, sample: Int)?
        try db.forEachRow("""
            SELECT c.item_id, c.criterion, c.rater_id, l.value, l.frame, l.revision, p.confidence, p.sample
            FROM label_current c JOIN label l ON l.id = c.label_id LEFT JOIN label_prediction p ON p.label_id = l.id
            """) { row in
            let c = columns ?? (row.position(of: "item_id"), row.position(of: "criterion"), row.position(of: "rater_id"),
                                row.position(of: "value"), row.position(of: "frame"), row.position(of: "revision"),
                                row.position(of: "confidence"), row.position(of: "sample"))
            columns = c
            let item: Int64 = row[at: c.item]
            guard let batch = batchOfItem[item].flatMap({ batches[$0] }), let position = batch.position[row[at: c.criterion]] else { return }
            // Numbers compare in canonical form: a label stored as "1.0" (before imports
            // canonicalized them) is the "1" of a Label Studio round trip, not a new revision.
            let value = batch.rubric.criteria[position].canonicalAnswer(row[at: c.value])
            current[Key(item: item, criterion: position, rater: row[at: c.rater])] = Current(value: value, frame: row[at: c.frame],
                                                                                      revision: row[at: c.revision],
                                                                                      confidence: row[at: c.confidence], sample: row[at: c.sample])
        }
    }

    /// A clip by name, or by SHA-256 or a unique prefix of 12+ hex digits of it.
    struct Unknown: Error { let message: String }

    func clip(_ reference: String) -> Result<Clip, Unknown> {
        if let clip = clipsByName[reference] { return .success(clip) }
        let lower = reference.lowercased()
        guard lower.count >= 12, lower.count <= 64, lower.allSatisfy(\.isHexDigit) else {
            return .failure(Unknown(message: "no clip named \(quoted(reference)) in the project; add it with concord clip add, or use its SHA-256 (12+ hex digits)"))
        }
        var lo = 0, hi = clipsBySHA.count
        while lo < hi { let mid = (lo + hi) / 2; if clipsBySHA[mid].sha < lower { lo = mid + 1 } else { hi = mid } }
        let matches = clipsBySHA[lo...].prefix { $0.sha.hasPrefix(lower) }
        if matches.count == 1 { return .success(matches.first!.clip) }
        if matches.isEmpty { return .failure(Unknown(message: "no clip has a SHA-256 starting with \(lower)")) }
        return .failure(Unknown(message: "\(matches.count) clips have a SHA-256 starting with \(lower); give more digits"))
    }

    mutating func plan(_ rows: [LabelImportRow]) throws -> Plan {
        var problems: [(line: Int, text: String)] = []
        func problem(_ line: Int, _ message: String) {
            // Values in the message are already quoted (`quoted`); the line as a whole is made
            // safe without doubling their backslashes again.
            problems.append((line, "\(printableText(file)):\(line): \(safeLines(message))"))
        }
        var plan = Plan()
        var lineOfKey: [Key: Int] = [:]
        lineOfKey.reserveCapacity(rows.count)
        // Answers from the file to criteria that a `when` names, by (item, position, rater).
        var answers: [Key: String] = [:]
        var pending: [(row: LabelImportRow, key: Key, batch: Int64, write: Bool, slot: Int)] = []
        plan.writes.reserveCapacity(rows.count)
        for row in rows {
            let clip: Clip
            switch self.clip(row.clip) {
            case .success(let c): clip = c
            case .failure(let unknown): problem(row.line, unknown.message); continue
            }
            var candidates = itemsOfClip[clip.id] ?? []
            if let onlyBatch { candidates = candidates.filter { $0.batch == onlyBatch } }
            if let named = row.batch {
                guard let id = batchIDs[named] else {
                    problem(row.line, "no batch named \(quoted(named))")
                    continue
                }
                candidates = candidates.filter { $0.batch == id }
                if candidates.isEmpty {
                    problem(row.line, "the clip \(clip.name) is not in batch \(quoted(named))")
                    continue
                }
            }
            guard candidates.count == 1 else {
                problem(row.line, candidates.isEmpty
                    ? "the clip \(clip.name) is in no batch\(onlyBatch == nil ? "" : " of --batch"); add it with concord clip add --batch"
                    : "the clip \(clip.name) is in \(candidates.count) batches (\(candidates.map { batches[$0.batch]!.name }.sorted().joined(separator: ", "))); choose one with --batch")
                continue
            }
            let (batchID, item) = candidates[0]
            let batch = batches[batchID]!
            // A pair's answer is only half the story without the side each rater saw clip a
            // on, which the workbench records and a file cannot vouch for: refused, not guessed.
            if batch.pairwise {
                problem(row.line, "batch \(quoted(batch.name)) compares pairs of clips; label import does not take answers about pairs "
                        + "(the side each rater saw is part of them): raters answer pairs in concord rate")
                continue
            }
            guard let rater = raters[row.rater] else {
                problem(row.line, "no rater named \(quoted(row.rater)); add them with: concord rater add \(printableCut(row.rater)) --role rater")
                continue
            }
            guard rater.role != .auditor else {
                problem(row.line, "\(quoted(row.rater)) is an auditor; auditors do not label")
                continue
            }
            guard let position = batch.position[row.criterion] else {
                problem(row.line, "the rubric \(quoted(batch.rubric.name)) of batch \(quoted(batch.name)) has no criterion \(quoted(row.criterion)); criteria: \(batch.rubric.criteria.map(\.id).joined(separator: ", "))")
                continue
            }
            if let bad = StoredText.problem(row.value) {
                problem(row.line, "the value of \(row.criterion) \(bad)")
                continue
            }
            // An option value is checked by one set lookup; anything else by the rubric.
            if batch.options[position]?.contains(row.value) != true,
               let message = batch.rubric.criteria[position].problem(with: row.value) {
                problem(row.line, "\(row.criterion): \(message)")
                continue
            }
            if let frame = row.frame, frame < 0 || frame >= clip.frameCount {
                problem(row.line, "frame \(frame) is outside the clip \(clip.name), which has frames 0–\(clip.frameCount - 1)")
                continue
            }
            var submittedAt: String?
            if let text = row.submittedAt {
                guard let canonical = Clock.canonical(text) else {
                    problem(row.line, "submitted_at \(quoted(text)) is not an ISO 8601 date-time like 2026-11-24T13:05:12Z")
                    continue
                }
                submittedAt = canonical
            }
            let key = Key(item: item, criterion: position, rater: rater.id)
            if let first = lineOfKey[key] {
                problem(row.line, "a second label for clip \(clip.name), rater \(row.rater), criterion \(row.criterion) (first at line \(first)); keep one row each")
                continue
            }
            lineOfKey[key] = row.line
            var canonicalRow = row
            canonicalRow.submittedAt = submittedAt
            // Numbers are stored in one spelling ("1.50" → "1.5", "1.0" → "1"), as the workbench
            // and decisions store them, so equal numbers are equal labels.
            canonicalRow.value = batch.rubric.criteria[position].canonicalAnswer(row.value)
            if batch.referenced.contains(row.criterion) { answers[key] = canonicalRow.value }
            if batch.conditional[position] {
                // Checked below, once every answer in the file is known; its place in the
                // writes is kept so that label ids follow the file's order.
                pending.append((canonicalRow, key, batchID, true, plan.writes.count))
                plan.writes.append(nil)
            } else {
                plan.add(canonicalRow, key: key, rubricVersion: batch.rubricVersion, current: current[key])
            }
        }
        // `when` conditions see the rater's answers after the import: existing ones overlaid
        // by the file's.
        for (i, entry) in pending.enumerated() {
            let batch = batches[entry.batch]!
            let criterion = batch.rubric.criterion(entry.row.criterion)!
            guard !criterion.when.isEmpty else { continue }
            // The answers the condition names (and theirs, for chained conditions): from the
            // file, else current.
            var theirs: [String: String] = [:]
            for referenced in batch.referenced {
                let key = Key(item: entry.key.item, criterion: batch.position[referenced]!, rater: entry.key.rater)
                theirs[referenced] = answers[key] ?? current[key]?.value
            }
            if !batch.rubric.isShown(criterion, answers: theirs) {
                let condition = criterion.when.map { "\($0.key) is \($0.value.joined(separator: " or "))" }.sorted().joined(separator: " and ")
                problem(entry.row.line, "\(entry.row.criterion) is only asked when \(condition), which this rater's answers for \(entry.row.clip) do not meet")
                pending[i].write = false
            }
        }
        guard problems.isEmpty else {
            // In file order; the first 20, then how many more.
            let shown = problems.sorted { $0.line < $1.line }.prefix(20).map(\.text)
            throw StoreError.input("\(printableText(file)): \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported",
                                   details: shown + (problems.count > shown.count ? ["… and \(problems.count - shown.count) more"] : []))
        }
        for entry in pending where entry.write {
            plan.add(entry.row, key: entry.key, rubricVersion: batches[entry.batch]!.rubricVersion, current: current[entry.key],
                     slot: entry.slot)
        }
        if !pending.isEmpty { plan.writes.removeAll { $0 == nil } }
        return plan
    }
}
