import Foundation
import Rubric

/// The reads of pairwise batches (docs/pairwise.md "Projects"), in the SQL both stores run.
extension ProjectSession {
    /// The pool of a pairwise batch (its items that are no pair), in batch order, with each
    /// clip's current tags. Leads, auditors and admins (what `concord assign --pairs` plans
    /// from); raters never see system tags, which would unblind them to the model.
    public func pairPool(batch: String) throws -> [PoolClip] {
        try require(.readAggregates)
        return try store.read { db in
            let batchID = try pairwiseBatch(nil, db, batch, rubric: nil, at: nil)
            return try Self.pool(db, batchID).map { PoolClip(clip: $0.name, group: $0.group, system: $0.system) }
        }
    }

    /// The pool's clips with ids and tags, in batch order.
    static func pool(_ db: any SQLDatabase, _ batchID: Int64) throws -> [(id: Int64, item: Int64, name: String, group: String?, system: String?)] {
        try db.rows("""
            SELECT c.id, i.id AS item, c.name, t.pair_group, t.system FROM item i JOIN clip c ON c.id = i.clip_id
            LEFT JOIN clip_tag t ON t.id = (SELECT max(id) FROM clip_tag WHERE clip_id = c.id)
            WHERE i.batch_id = ? AND NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)
            ORDER BY i.position
            """, [batchID]).map { ($0["id"], $0["item"], $0["name"], $0["pair_group"], $0["system"]) }
    }

    /// The current answers of a pairwise criterion in a batch, for leads, auditors and
    /// admins (`readAggregates`, as `mos --batch` and `aggregate --batch`). Clip names are
    /// given to every such reader; as for those commands, what shows them to an auditor
    /// decides whether to name clips (`allows(.adjudicate)`).
    ///
    /// `clips` is the pool in batch order; `pairA`/`pairB` every pair of the batch in batch
    /// order; one answer per current non-empty label of `criterion` on a pair item, in batch
    /// order then rater name. `shownLeft` is the side of the rater's assignment of the pair
    /// (0: a on the left, 1: b), -1 for an imported label or an assignment without a side;
    /// `dwellMs` is the label's dwell time.
    public func comparisons(batch: String, criterion: String) throws -> BatchComparisons {
        try require(.readAggregates)
        return try store.read { db in
            let batchID = try pairwiseBatch(nil, db, batch, rubric: nil, at: nil)
            let rubric = try batchRubric(db, batch).rubric
            guard let found = rubric.criterion(criterion), found.isPairwise else {
                let pairwise = rubric.criteria.filter(\.isPairwise).map(\.id)
                throw StoreError.input("the rubric \(quoted(rubric.name)) of batch \(quoted(batch)) has no pairwise criterion \(quoted(criterion)); "
                                       + "its pairwise criteria: \(pairwise.joined(separator: ", "))")
            }
            return try Self.comparisons(db, batchID: batchID, criterion: criterion)
        }
    }

    /// `comparisons(batch:criterion:)` inside a read that has checked the batch and the
    /// criterion (the report reads every pairwise criterion in its one snapshot).
    static func comparisons(_ db: any SQLDatabase, batchID: Int64, criterion: String) throws -> BatchComparisons {
        do {
            var out = BatchComparisons()
            var clipIndex: [Int64: Int32] = [:]
            for clip in try Self.pool(db, batchID) {
                clipIndex[clip.id] = Int32(out.clips.count)
                out.clips.append(clip.name)
                out.items.append(clip.item)
                out.group.append(clip.group)
                out.system.append(clip.system)
            }
            for row in try db.rows("""
                SELECT p.clip_a_id, p.clip_b_id FROM item_pair p JOIN item i ON i.id = p.item_id WHERE p.batch_id = ? ORDER BY i.position
                """, [batchID]) {
                out.pairA.append(clipIndex[row["clip_a_id"]]!)
                out.pairB.append(clipIndex[row["clip_b_id"]]!)
            }
            var isModel: [String: Bool] = [:]
            var answers: [(rater: String, a: Int32, b: Int32, value: String, left: Int8, dwell: Int?)] = []
            for row in try db.rows("""
                SELECT p.clip_a_id, p.clip_b_id, r.name AS rater,
                       (SELECT role FROM rater_role WHERE rater_id = r.id ORDER BY id DESC LIMIT 1) AS role,
                       l.value, l.dwell_ms, l.source, s.left_clip
                FROM label_current c JOIN label l ON l.id = c.label_id JOIN item_pair p ON p.item_id = c.item_id
                JOIN item i ON i.id = c.item_id JOIN rater r ON r.id = c.rater_id
                LEFT JOIN assignment a ON a.item_id = c.item_id AND a.rater_id = c.rater_id
                LEFT JOIN assignment_side s ON s.assignment_id = a.id
                WHERE p.batch_id = ? AND c.criterion = ? AND l.value <> ''
                ORDER BY i.position, r.name
                """, [batchID, criterion]) {
                let rater: String = row["rater"]
                if isModel[rater] == nil { isModel[rater] = row["role"] as String == Role.model.rawValue }
                let side: String? = row["left_clip"]
                let left: Int8 = row["source"] as String == "import" ? -1 : side == "a" ? 0 : side == "b" ? 1 : -1
                answers.append((rater, clipIndex[row["clip_a_id"]]!, clipIndex[row["clip_b_id"]]!, row["value"], left, row["dwell_ms"]))
            }
            // Raters indexed in name order, as every other batch read lists them.
            out.raters = isModel.keys.sorted()
            out.raterIsModel = out.raters.map { isModel[$0]! }
            return out.indexing(answers)
        }
    }
}

extension BatchComparisons {
    /// Fills the answer columns, raters indexed by their place in `raters`.
    fileprivate func indexing(_ answers: [(rater: String, a: Int32, b: Int32, value: String, left: Int8, dwell: Int?)]) -> BatchComparisons {
        var out = self
        let index = Dictionary(uniqueKeysWithValues: raters.enumerated().map { ($1, Int32($0)) })
        for answer in answers {
            out.rater.append(index[answer.rater]!)
            out.a.append(answer.a)
            out.b.append(answer.b)
            out.value.append(answer.value)
            out.shownLeft.append(answer.left)
            out.dwellMs.append(answer.dwell)
        }
        return out
    }
}
