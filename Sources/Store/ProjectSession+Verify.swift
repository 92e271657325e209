import Foundation

/// The result of `concord audit verify`.
public struct AuditReport: Sendable, Equatable {
    public let events: Int
    public let rows: Int
    /// Empty when the log and every audited row are intact; else what is wrong, first first.
    public let problems: [String]
    /// The newest event: what to record outside the project file (`AuditAnchor`).
    public let head: AuditAnchor?
    public var intact: Bool { problems.isEmpty }
}

/// An event's sequence number and hash, recorded somewhere an attacker cannot write (a
/// release ticket, CI log, signed tag). The chain is self-contained: someone who rewrites
/// rows and recomputes every hash after them leaves a log that verifies, and deleting the
/// newest events leaves a shorter chain that verifies. Checking a recorded anchor catches
/// both, because the event it names must still exist with that very hash.
public struct AuditAnchor: Sendable, Equatable, CustomStringConvertible {
    public let seq: Int64
    public let hash: String
    public init(seq: Int64, hash: String) { self.seq = seq; self.hash = hash }

    /// Parses `SEQ:HASH` as `audit verify` prints it; nil when it is not that shape.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq > 0,
              parts[1].utf8.count == 64, parts[1].utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        self.seq = seq; self.hash = String(parts[1])
    }

    public var description: String { "\(seq):\(hash)" }
}

extension ProjectSession {
    /// Where a table's unaudited rows start, and — when they come after every audited row —
    /// that the event which wrote them may be the chain's deleted tail: a deleted newest
    /// event leaves the chain whole, so its rows are the only trace of it.
    static func firstUnaudited(_ db: any SQLDatabase, table: String, covered: [(first: Int64, last: Int64, seq: Int64)],
                               newestEvent: Int64) throws -> String {
        var next = Int64.min
        var first: Int64?
        for range in covered.sorted(by: { $0.first < $1.first }) {
            if range.first > next, let id = try db.value(Int64.self, "SELECT min(id) FROM \(table) WHERE id >= ? AND id < ?",
                                                               [next, range.first]) {
                first = id
                break
            }
            next = max(next, range.last + 1)
        }
        if let first { return " (from id \(first))" }
        guard let id = try db.value(Int64.self, "SELECT min(id) FROM \(table) WHERE id >= ?", [next]) else { return "" }
        return " (from id \(id), after every audited row; the newest event is \(newestEvent): an event after it may have been deleted)"
    }

    /// The newest audit event, without verifying anything (aggregate-level: a report names
    /// it so the log behind its numbers can later be checked with `audit verify --anchor`).
    public func auditHead() throws -> AuditAnchor? {
        try require(.readAggregates)
        return try store.read { db in try Self.auditHead(db) }
    }

    static func auditHead(_ db: any SQLDatabase) throws -> AuditAnchor? {
        try db.row("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").map { AuditAnchor(seq: $0["seq"], hash: $0["hash"]) }
    }

    /// Recomputes the hash chain, and every digest of the rows each event says it wrote;
    /// also finds rows no event accounts for. Names the first broken event. With `anchors`,
    /// also that each recorded event is still there with the hash recorded (`AuditAnchor`).
    public func verifyAudit(anchors: [AuditAnchor] = []) throws -> AuditReport {
        try require(.verifyAudit)
        return try store.read { db in try Self.verifyAudit(db, anchors: anchors) }
    }

    /// `verifyAudit` over any connection: `concord migrate` checks a PostgreSQL target inside
    /// the transaction that copied it, before COMMIT (ProjectMigration.swift).
    static func verifyAudit(_ db: any SQLDatabase, anchors: [AuditAnchor]) throws -> AuditReport {
        do {
            var problems: [String] = []
            var covered: [String: [(first: Int64, last: Int64, seq: Int64)]] = [:]
            var previous = Audit.genesis
            var expectedSeq: Int64 = 1
            var events = 0
            var head: AuditAnchor?
            // Every anchor is checked, two for one event included (one of them must fail).
            var anchored = Dictionary(grouping: anchors, by: \.seq).mapValues { $0.map(\.hash) }
            try db.forEachRow("SELECT seq, at, actor, action, payload, prev_hash, hash FROM audit_event ORDER BY seq") { row in
                events += 1
                let seq: Int64 = row["seq"], payload: String = row["payload"], prevHash: String = row["prev_hash"], hash: String = row["hash"]
                let at: String = row["at"], actor: String = row["actor"], action: String = row["action"]
                if seq != expectedSeq {
                    problems.append("event \(expectedSeq) is missing (the next event is \(seq))")
                }
                if prevHash != previous {
                    problems.append("event \(seq) (\(action) by \(actor)) does not follow event \(seq - 1): its previous-hash does not match")
                }
                if Audit.eventHash(prev: prevHash, seq: seq, at: at, actor: actor, action: action, payload: payload) != hash {
                    problems.append("event \(seq) (\(action) by \(actor) at \(at)) was altered: its hash does not match its contents")
                }
                for recorded in anchored.removeValue(forKey: seq) ?? [] where recorded != hash {
                    problems.append("event \(seq) has hash \(hash.prefix(16))…, not the \(recorded.prefix(16))… recorded for it: the log was rewritten at or before event \(seq)")
                }
                previous = hash
                head = AuditAnchor(seq: seq, hash: hash)
                expectedSeq = seq + 1
                if let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
                   let ranges = object["rows"] as? [[String: Any]] {
                    for range in ranges {
                        guard let table = range["table"] as? String, let first = (range["first"] as? NSNumber)?.int64Value,
                              let last = (range["last"] as? NSNumber)?.int64Value, let digest = range["digest"] as? String,
                              Schema.auditedTables.contains(where: { $0.table == table }) else {
                            problems.append("event \(seq) has an unreadable row record")
                            continue
                        }
                        covered[table, default: []].append((first, last, seq))
                        if try Audit.digest(db, table: table, first: first, last: last) != digest {
                            problems.append("event \(seq) (\(action) by \(actor)): rows \(first)–\(last) of \(table) were changed or removed since they were written")
                        }
                    }
                } else {
                    problems.append("event \(seq) has a payload that is not JSON")
                }
            }
            var rows = 0
            for (table, _) in Schema.auditedTables {
                let count = try db.value(Int.self, "SELECT count(*) FROM \(table)") ?? 0
                rows += count
                let ranges = covered[table] ?? []
                let expected = ranges.reduce(0) { $0 + Int($1.last - $1.first + 1) }
                if count > expected {
                    problems.append("\(table) has \(count - expected) row(s) that no audit event wrote: added behind concord's back"
                                    + (try Self.firstUnaudited(db, table: table, covered: ranges, newestEvent: expectedSeq - 1)))
                }
            }
            // The current-label cache must point at each key's latest revision.
            let stale = try db.value(Int.self, """
                SELECT count(*) FROM (SELECT item_id, criterion, rater_id, max(id) AS latest FROM label GROUP BY item_id, criterion, rater_id) m
                LEFT JOIN label_current c ON c.item_id = m.item_id AND c.criterion = m.criterion AND c.rater_id = m.rater_id
                WHERE c.label_id IS NULL OR c.label_id <> m.latest
                """) ?? 0
            if stale > 0 { problems.append("\(stale) current label(s) do not point at their latest revision") }
            for (seq, _) in anchored.sorted(by: { $0.key < $1.key }) {
                problems.append("event \(seq), recorded earlier, is gone: the log now ends at event \(head?.seq ?? 0), so its newest events were deleted or the log was replaced")
            }
            return AuditReport(events: events, rows: rows, problems: problems, head: head)
        }
    }
}
