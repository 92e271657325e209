import Foundation

/// What a lead needs of a pair item beyond clip a (the item's own clip): clip b's file, the
/// pair's group, and the side each rater was shown clip a on (docs/adjudication.md "Pairwise
/// batches"). The side matters to the lead because a vote is stored relative to the pair
/// (`a`, `b`, `tie`), never to the screen: "a better (b was left)" lets a lead see a rater who
/// always picks the left clip.
public struct PairFacts: Sendable, Equatable {
    /// Clip b as the project recorded it (name, SHA-256, size, path), to find the lead's copy.
    public let clipB: ClipFile
    public let group: String?
    /// By rater name: true when the rater's assignment showed clip a on the left, false when
    /// clip b; a rater without a recorded side (an import) is absent.
    public let leftIsA: [String: Bool]

    public init(clipB: ClipFile, group: String?, leftIsA: [String: Bool]) {
        self.clipB = clipB
        self.group = group
        self.leftIsA = leftIsA
    }
}

extension ProjectSession {
    /// The pair items of a batch, by item: two reads (pairs, then sides), each one pass over
    /// the batch's `item_pair` rows and their assignments' sides, so a batch without pairs
    /// pays two empty index look-ups. Shared SQL: it runs on both stores (docs/architecture.md).
    static func pairFacts(_ db: any SQLDatabase, batchID: Int64) throws -> [Int64: PairFacts] {
        var clips: [Int64: (ClipFile, String?)] = [:]
        try db.forEachRow("""
            SELECT p.item_id, c.name, c.sha256, c.size_bytes, c.path, p.pair_group
            FROM item_pair p JOIN clip c ON c.id = p.clip_b_id WHERE p.batch_id = ?
            """, [batchID]) { row in
            clips[row["item_id"]] = (ClipFile(name: row["name"], sha256: row["sha256"], sizeBytes: row["size_bytes"], recordedPath: row["path"]),
                                     row["pair_group"])
        }
        // Asked even without pairs (an empty index look-up): one read path for every batch,
        // which PortableSQLTests' scenario then covers on both stores.
        var sides: [Int64: [String: Bool]] = [:]
        try db.forEachRow("""
            SELECT a.item_id, r.name AS rater, s.left_clip FROM assignment_side s JOIN assignment a ON a.id = s.assignment_id
            JOIN item_pair p ON p.item_id = a.item_id JOIN rater r ON r.id = a.rater_id WHERE p.batch_id = ?
            """, [batchID]) { row in
            sides[row["item_id"], default: [:]][row["rater"]] = (row["left_clip"] as String) == "a"
        }
        return clips.reduce(into: [:]) { out, pair in
            out[pair.key] = PairFacts(clipB: pair.value.0, group: pair.value.1, leftIsA: sides[pair.key] ?? [:])
        }
    }
}
