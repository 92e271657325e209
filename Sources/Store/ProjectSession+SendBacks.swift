extension ProjectSession {
    /// Items of `batch` sent back to raters who have not answered since: item → those
    /// raters, in the order the lead named them. A sent-back item stays in the adjudication
    /// queue (its votes still disagree), so without this the queue and `concord adjudicate`
    /// called it "open" again in the next session, as if nothing had been decided
    /// (docs/adjudication.md).
    ///
    /// Only the newest send-back of an item counts. A rater has answered it once they
    /// submitted the item again (a new label revision, or unchanged answers resubmitted),
    /// the same rule that takes the item out of their own queue's "sent back" state.
    /// Leads and admins only.
    public func pendingSendBacks(batch: String) throws -> [Int64: [String]] {
        try require(.adjudicate)
        return try store.read { db in
            let batchID = try Self.batchID(db, batch)
            let ratersOf = try SendBackRaters.names(db, batchID: batchID)
            var out: [Int64: [String]] = [:]
            for row in try db.rows("""
                SELECT d.id, d.item_id, d.created_at FROM decision d JOIN item i ON i.id = d.item_id
                WHERE i.batch_id = ? AND d.kind = 'send_back'
                  AND d.id = (SELECT max(e.id) FROM decision e WHERE e.item_id = d.item_id AND e.kind = 'send_back')
                """, [batchID]) {
                let item: Int64 = row["item_id"]
                let sentAt: String = row["created_at"]
                let raters = ratersOf[row["id"]] ?? []
                let waiting = try raters.filter { name in
                    let answeredAt = try db.value(String.self, """
                        SELECT max(t) FROM (
                            SELECT max(l.recorded_at) AS t FROM label l JOIN rater r ON r.id = l.rater_id WHERE l.item_id = ? AND r.name = ?
                            UNION ALL
                            SELECT max(s.created_at) FROM submission s JOIN rater r ON r.id = s.rater_id WHERE s.item_id = ? AND r.name = ?) answered
                        """, [item, name, item, name])
                    return answeredAt.map { $0 < sentAt } ?? true
                }
                if !waiting.isEmpty { out[item] = waiting }
            }
            return out
        }
    }
}
