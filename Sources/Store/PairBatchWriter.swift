import GRDB
import Rubric

/// A pairwise batch as one SQLite write sees it (`addPairs`, `assignPairs`), read once at
/// the start of the transaction: the project's clips by name, the batch's pool, its pairs
/// and the clips' current tags. It adds a clip to the pool and a pair item to the batch
/// (docs/pairwise.md "Projects"):
///
/// - the pool is the batch's items that are no pair (`item` without an `item_pair` row);
///   a clip is in it at most once;
/// - a pair is an `item` whose `clip_id` is clip a, at the batch's next position, and an
///   `item_pair` row naming a, b and the group; a batch has a pair once in either order
///   (asking for (b, a) when (a, b) exists gives the existing item);
/// - a pair's group is the one given, else the clips' group when both are tagged with the
///   same one, else none.
struct PairBatchWriter {
    struct PairKey: Hashable {
        let low: Int64, high: Int64
        init(_ x: Int64, _ y: Int64) { low = min(x, y); high = max(x, y) }
    }
    struct Pair { let item: Int64; let a: Int64; let b: Int64; let isNew: Bool }

    let db: Database
    let batchID: Int64
    let at: String
    private var position: Int64
    private(set) var clipIDs: [String: Int64] = [:]
    private(set) var clipNames: [Int64: String] = [:]
    private var pool: Set<Int64> = []
    private var pairs: [PairKey: Pair] = [:]
    private var groups: [Int64: String] = [:]

    init(_ db: Database, reads: any SQLDatabase, batchID: Int64, at: String) throws {
        self.db = db
        self.batchID = batchID
        self.at = at
        position = try reads.value(Int64.self, "SELECT coalesce(max(position), 0) FROM item WHERE batch_id = ?", [batchID]) ?? 0
        for row in try reads.rows("SELECT id, name FROM clip") {
            clipIDs[row["name"]] = row["id"]
            clipNames[row["id"]] = row["name"]
        }
        pool = Set(try reads.values(Int64.self, """
            SELECT i.clip_id FROM item i WHERE i.batch_id = ? AND NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)
            """, [batchID]))
        for row in try reads.rows("SELECT item_id, clip_a_id, clip_b_id FROM item_pair WHERE batch_id = ?", [batchID]) {
            let pair = Pair(item: row["item_id"], a: row["clip_a_id"], b: row["clip_b_id"], isNew: false)
            pairs[PairKey(pair.a, pair.b)] = pair
        }
        for row in try reads.rows("""
            SELECT t.clip_id, t.pair_group FROM clip_tag t WHERE t.id IN (SELECT max(id) FROM clip_tag GROUP BY clip_id)
            """) {
            if let group: String = row["pair_group"] { groups[row["clip_id"]] = group }
        }
    }

    /// The pair item the batch has for these clips (either order), if any.
    func existing(_ a: Int64, _ b: Int64) -> Pair? { pairs[PairKey(a, b)] }

    /// Puts a clip in the batch's pool unless it is there.
    mutating func joinPool(_ clip: Int64) throws {
        guard pool.insert(clip).inserted else { return }
        position += 1
        try db.execute(sql: "INSERT INTO item (batch_id, clip_id, position) VALUES (?, ?, ?)", arguments: [batchID, clip, position])
    }

    /// The batch's item for the pair (a, b): the existing one (either order), or a new one
    /// with both clips joining the pool first.
    mutating func pair(_ a: Int64, _ b: Int64, group: String?) throws -> Pair {
        if let pair = pairs[PairKey(a, b)] { return pair }
        try joinPool(a)
        try joinPool(b)
        position += 1
        try db.execute(sql: "INSERT INTO item (batch_id, clip_id, position) VALUES (?, ?, ?)", arguments: [batchID, a, position])
        let item = db.lastInsertedRowID
        let sharedGroup = groups[a].flatMap { $0 == groups[b] ? $0 : nil }
        try db.execute(sql: """
            INSERT INTO item_pair (item_id, batch_id, clip_a_id, clip_b_id, pair_group, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [item, batchID, a, b, group ?? sharedGroup, at])
        let pair = Pair(item: item, a: a, b: b, isNew: true)
        pairs[PairKey(a, b)] = Pair(item: item, a: a, b: b, isNew: false)
        return pair
    }
}

extension ProjectSession {
    /// The batch's id and rubric, for a read or write about pairs.
    func batchRubric(_ db: any SQLDatabase, _ batch: String) throws -> (id: Int64, rubricName: String, rubric: Rubric) {
        let id = try Self.batchID(db, batch)
        let row = try db.row("SELECT rubric_version_id FROM batch WHERE id = ?", [id])!
        let rubricID: Int64 = row["rubric_version_id"]
        let rubric = try store.rubrics.rubric(rubricID) { try Self.rubric(db, id: rubricID) }
        return (id, rubric.name, rubric)
    }

    /// The batch, which must be pairwise; created with the latest version of `rubric` when
    /// it does not exist and `at` is given (a write).
    func pairwiseBatch(_ db: Database?, _ reads: any SQLDatabase, _ batch: String, rubric: String?, at: String?) throws -> Int64 {
        if try reads.value(Bool.self, "SELECT 1 FROM batch WHERE name = ?", [batch]) == true {
            let found = try batchRubric(reads, batch)
            if let rubric, rubric != found.rubricName {
                throw StoreError.input("batch \(quoted(batch)) uses the rubric \(quoted(found.rubricName)), not \(quoted(rubric)); leave out --rubric or choose another batch")
            }
            guard found.rubric.isPairwise else {
                throw StoreError.input("batch \(quoted(batch)) rates one clip at a time (its rubric \(quoted(found.rubricName)) has no pairwise criterion); "
                                       + "put pairs in a batch whose rubric has a criterion of type: pairwise")
            }
            return found.id
        }
        guard let db, let at else { _ = try Self.batchID(reads, batch); return 0 }
        guard let rubric else {
            throw StoreError.input("batch \(quoted(batch)) does not exist yet; name its rubric with --rubric NAME")
        }
        guard let (rubricID, parsed) = try Self.latestRubric(reads, named: rubric) else {
            throw StoreError.input("no rubric named \(quoted(rubric)); add it first with: concord rubric add FILE.yaml")
        }
        guard parsed.isPairwise else {
            throw StoreError.input("the rubric \(quoted(rubric)) has no pairwise criterion; pairs need a rubric with a criterion of type: pairwise")
        }
        try db.execute(sql: "INSERT INTO batch (name, rubric_version_id, created_at) VALUES (?, ?, ?)", arguments: [batch, rubricID, at])
        return db.lastInsertedRowID
    }
}
