import Rubric

/// Which pairs of a pairwise batch each rater already has: what a pair planner must not give
/// them again (docs/pairwise.md "Choosing pairs").
extension ProjectSession {
    /// Every assignment of a pair item in `batch` (answered or not) as rater, clip a, clip b
    /// and the pair's group, in batch order then rater name; and the batch's rubric. For those
    /// who assign work (`assign`), as `assign --pairs` plans with it. In the SQL both stores run.
    public func pairAssignments(batch: String) throws -> (rubric: Rubric, assigned: [PairPlanEntry]) {
        try require(.assign)
        return try store.read { db in
            let batchID = try pairwiseBatch(nil, db, batch, rubric: nil, at: nil)
            let rubric = try batchRubric(db, batch).rubric
            let assigned = try db.rows("""
                SELECT r.name AS rater, ca.name AS a, cb.name AS b, p.pair_group
                FROM assignment s JOIN item_pair p ON p.item_id = s.item_id JOIN item i ON i.id = s.item_id
                JOIN rater r ON r.id = s.rater_id JOIN clip ca ON ca.id = p.clip_a_id JOIN clip cb ON cb.id = p.clip_b_id
                WHERE p.batch_id = ? ORDER BY i.position, r.name
                """, [batchID]).map { PairPlanEntry(rater: $0["rater"], a: $0["a"], b: $0["b"], group: $0["pair_group"]) }
            return (rubric, assigned)
        }
    }
}
