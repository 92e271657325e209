import Foundation
import GRDB
import Rubric

/// What the CLI learned about a clip file (probe and hash) before adding it.
public struct ClipFacts: Sendable, Equatable {
    public var path: String
    public var name: String
    public var sha256: String
    public var sizeBytes: Int64
    public var codec: String
    public var duration: Double
    public var frameRate: Double
    public var frameCount: Int
    public var width: Int
    public var height: Int
    public var rotation: Int

    public init(path: String, name: String, sha256: String, sizeBytes: Int64, codec: String, duration: Double,
                frameRate: Double, frameCount: Int, width: Int, height: Int, rotation: Int) {
        self.path = path; self.name = name; self.sha256 = sha256; self.sizeBytes = sizeBytes; self.codec = codec
        self.duration = duration; self.frameRate = frameRate; self.frameCount = frameCount
        self.width = width; self.height = height; self.rotation = rotation
    }
}

public struct AddedItem: Sendable, Equatable {
    public let item: Int64
    public let clip: String
    /// False when the clip was already in the project (another batch) and is reused.
    public let newClip: Bool
}

extension ProjectSession {
    /// Registers clips as items of a batch, creating the batch (with the latest version of
    /// `rubric`) when it does not exist. All or nothing. In a pairwise batch the clips join
    /// its pool (docs/pairwise.md "Projects"): they are compared in pairs, never assigned
    /// alone. A clip is in a batch's pool once; clip a of a pair does not count.
    public func addClips(_ clips: [ClipFacts], batch: String, rubric: String?) throws -> [AddedItem] {
        try require(.addClips)
        guard Self.isValidName(batch) else {
            throw StoreError.input("\(quoted(batch)) is not a valid batch name; use letters, digits, '.', '_' or '-'")
        }
        if let postgres = store.postgres { return try addClips(clips, batch: batch, rubric: rubric, on: postgres) }
        return try audited("clip.add", tables: ["batch", "clip", "item"]) { db in
            let reads = store.sql(db)
            let at = Clock.now()
            var batchID: Int64
            if let row = try reads.row("""
                SELECT b.id, r.name AS rubric FROM batch b JOIN rubric_version r ON r.id = b.rubric_version_id WHERE b.name = ?
                """, [batch]) {
                batchID = row["id"]
                if let rubric, rubric != row["rubric"] as String {
                    throw StoreError.input("batch \(quoted(batch)) uses the rubric \(quoted(row["rubric"] as String)), not \(quoted(rubric)); leave out --rubric or choose another batch")
                }
            } else {
                guard let rubric else {
                    throw StoreError.input("batch \(quoted(batch)) does not exist yet; name its rubric with --rubric NAME")
                }
                guard let (rubricID, _) = try Self.latestRubric(reads, named: rubric) else {
                    throw StoreError.input("no rubric named \(quoted(rubric)); add it first with: concord rubric add FILE.yaml")
                }
                try db.execute(sql: "INSERT INTO batch (name, rubric_version_id, created_at) VALUES (?, ?, ?)",
                               arguments: [batch, rubricID, at])
                batchID = db.lastInsertedRowID
            }
            var position = try reads.value(Int64.self, "SELECT coalesce(max(position), 0) FROM item WHERE batch_id = ?",
                                               [batchID]) ?? 0
            var seen: [String: String] = [:]
            var added: [AddedItem] = []
            for clip in clips {
                if let earlier = seen[clip.sha256] {
                    throw StoreError.input("\(printableText(clip.path)): the same content as \(earlier), given twice; add each clip once")
                }
                seen[clip.sha256] = clip.path
                var clipID: Int64
                var isNew = false
                if let existing = try reads.row("SELECT id, name FROM clip WHERE sha256 = ?", [clip.sha256]) {
                    clipID = existing["id"]
                    // One content, one name: the clip would be recorded under its first name
                    // while the user goes on using the new one, which nothing else knows.
                    let known: String = existing["name"]
                    if known != clip.name, try reads.value(Bool.self, Self.inPool, [batchID, clipID]) != true {
                        throw StoreError.input("\(printableText(clip.path)): the same content is already in the project as the clip \(printableText(known)); "
                                               + "a clip keeps one name: add it as \(printableText(known)) (rename or link the file) and refer to it by that name; nothing was added")
                    }
                    if try reads.value(Bool.self, Self.inPool, [batchID, clipID]) == true {
                        throw StoreError.input("\(printableText(clip.path)): already added to batch \(quoted(batch)) as \(known); nothing was added")
                    }
                } else {
                    if let other = try reads.value(String.self, "SELECT sha256 FROM clip WHERE name = ?", [clip.name]) {
                        throw StoreError.input("\(printableText(clip.path)): a different clip named \(quoted(clip.name)) is already in the project (sha256 \(other.prefix(12))…); rename the file")
                    }
                    try db.execute(sql: """
                        INSERT INTO clip (sha256, name, path, codec, duration, frame_rate, frame_count, width, height, rotation, size_bytes, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [clip.sha256, clip.name, clip.path, clip.codec, clip.duration, clip.frameRate,
                                         clip.frameCount, clip.width, clip.height, clip.rotation, clip.sizeBytes, at])
                    clipID = db.lastInsertedRowID
                    isNew = true
                }
                position += 1
                try db.execute(sql: "INSERT INTO item (batch_id, clip_id, position) VALUES (?, ?, ?)",
                               arguments: [batchID, clipID, position])
                added.append(AddedItem(item: db.lastInsertedRowID, clip: clip.name, newClip: isNew))
            }
            return (added, ["batch": batch, "clips": clips.map { ["name": $0.name, "sha256": $0.sha256] }])
        }
    }

    /// Whether a clip is one of a batch's items of its own (in a pairwise batch: its pool),
    /// not only clip a of a pair: since schema v10 `item` no longer keeps this unique.
    static let inPool = """
        SELECT 1 FROM item i WHERE i.batch_id = ? AND i.clip_id = ? AND NOT EXISTS (SELECT 1 FROM item_pair p WHERE p.item_id = i.id)
        """

    /// Assigns the batch's items to raters: every rater every item, or with `overlap` N each
    /// item to N raters, spread so every rater gets the same number of items (±1).
    /// Existing assignments are kept; returns the number of new ones. In a pairwise batch
    /// the items are its pairs (never the pool), and each new assignment gets its side
    /// (`assignment_side`, balanced per rater by `PairSides`).
    public func assign(batch: String, raters names: [String], overlap: Int?, goldRate: Double?) throws -> Int {
        try require(.assign)
        guard !names.isEmpty else { throw StoreError.input("--raters needs at least one rater name") }
        if let overlap, !(1...names.count).contains(overlap) {
            throw StoreError.input("--overlap must be between 1 and the number of raters (\(names.count)); got \(overlap)")
        }
        if let goldRate, !(0...1).contains(goldRate) {
            throw StoreError.input("--gold-rate must be a fraction between 0 and 1; got \(goldRate)")
        }
        if let postgres = store.postgres { return try assign(batch: batch, raters: names, overlap: overlap, goldRate: goldRate, on: postgres) }
        return try audited("assign", tables: ["assignment", "batch_setting", "assignment_side"]) { db in
            let reads = store.sql(db)
            let (batchID, _, rubric) = try batchRubric(reads, batch)
            let pairwise = rubric.isPairwise
            if pairwise, goldRate != nil {
                throw StoreError.input("batch \(quoted(batch)) compares pairs; --gold-rate mixes gold questions into batches of single clips only: leave it out")
            }
            var raters: [Actor] = []
            var raterIDs: [Int64] = []
            for name in names {
                guard let rater = try Self.actor(reads, named: name) else {
                    throw StoreError.input("no rater named \(quoted(name)); add them with: concord rater add \(printableCut(name)) --role rater")
                }
                guard rater.role != .auditor else {
                    throw StoreError.input("\(quoted(name)) is an auditor; auditors read reports and do not label")
                }
                if raterIDs.contains(rater.id) { throw StoreError.input("\(quoted(name)) is named twice in --raters") }
                raterIDs.append(rater.id)
                raters.append(rater)
            }
            let items = try reads.values(Int64.self, pairwise
                ? "SELECT i.id FROM item i JOIN item_pair p ON p.item_id = i.id WHERE i.batch_id = ? ORDER BY i.position"
                : "SELECT id FROM item WHERE batch_id = ? ORDER BY position", [batchID])
            if pairwise && items.isEmpty {
                throw StoreError.input("batch \(quoted(batch)) has no pairs yet; add them with: concord pair add --batch \(batch) --file pairs.csv, "
                                       + "or plan them with: concord assign --batch \(batch) --raters a,b --pairs all-within-group")
            }
            var made: [NewAssignment] = []
            let at = Clock.now()
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO assignment (item_id, rater_id, created_at) VALUES (?, ?, ?)")
            let n = overlap ?? raterIDs.count
            var created = 0
            for (i, item) in items.enumerated() {
                // Item i goes to raters i·n, i·n+1, … (mod R): consecutive items rotate through
                // the raters, so loads differ by at most one and pairs of raters co-occur evenly.
                for j in 0..<n {
                    let r = (i * n + j) % raterIDs.count
                    try insert.execute(arguments: [item, raterIDs[r], at])
                    created += db.changesCount
                    if pairwise && db.changesCount > 0 { made.append(NewAssignment(id: db.lastInsertedRowID, rater: raters[r])) }
                }
            }
            try Self.writeSides(db, reads, batch: batch, batchID: batchID, made, at: at)
            if let goldRate, goldRate > 0 {
                created += try mixGold(db, batchID: batchID, raters: raterIDs, rate: goldRate, insert: insert, at: at)
            }
            if overlap != nil || goldRate != nil {
                try db.execute(sql: "INSERT INTO batch_setting (batch_id, overlap, gold_rate, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [batchID, overlap, goldRate, at])
            }
            return (created, ["batch": batch, "raters": names, "overlap": overlap.map { $0 as Any } ?? NSNull(),
                              "gold_rate": goldRate.map { $0 as Any } ?? NSNull()])
        }
    }

    /// `--gold-rate F`: adds the batch's gold questions (items with a gold answer) to each
    /// rater's queue until they make up about F of it, each rater starting at a different
    /// gold item. Nothing marks them in the queue: raters answer them blind, in batch order
    /// among the others. Returns the assignments added.
    private func mixGold(_ db: Database, batchID: Int64, raters: [Int64], rate: Double, insert: Statement, at: String) throws -> Int {
        let reads = store.sql(db)
        let gold = try reads.values(Int64.self, """
            SELECT g.item_id FROM gold g JOIN item i ON i.id = g.item_id WHERE i.batch_id = ? GROUP BY g.item_id, i.position ORDER BY i.position
            """, [batchID])
        guard !gold.isEmpty else {
            throw StoreError.input("--gold-rate needs gold questions in the batch; add them first with: concord gold add ITEM --criterion C --value V")
        }
        let goldSet = Set(gold)
        var added = 0
        for (r, rater) in raters.enumerated() {
            let assigned = try reads.values(Int64.self, """
                SELECT a.item_id FROM assignment a JOIN item i ON i.id = a.item_id WHERE a.rater_id = ? AND i.batch_id = ?
                """, [rater, batchID])
            let regular = assigned.filter { !goldSet.contains($0) }.count
            let have = assigned.count - regular
            // gold / (regular + gold) ≈ rate  ⇒  gold ≈ rate · regular / (1 − rate)
            let want = rate >= 1 ? gold.count : min(gold.count, Int((rate * Double(regular) / (1 - rate)).rounded(.up)))
            var k = 0
            while have + k < want {
                let item = gold[(r + k) % gold.count]
                try insert.execute(arguments: [item, rater, at])
                added += db.changesCount
                k += 1
                if k >= gold.count { break }
            }
        }
        return added
    }

    static func batchID(_ db: any SQLDatabase, _ name: String) throws -> Int64 {
        guard let id = try db.value(Int64.self, "SELECT id FROM batch WHERE name = ?", [name]) else {
            let names = try db.values(String.self, "SELECT name FROM batch ORDER BY name")
            throw StoreError.input("no batch named \(quoted(name))" + (names.isEmpty ? "; add clips with: concord clip add FILE... --batch NAME --rubric NAME"
                                                                     : "; batches: \(names.joined(separator: ", "))"))
        }
        return id
    }

    /// The only batch, for commands that may omit --batch when the project has one.
    public func defaultBatch() throws -> String {
        let names = try store.read { db in try db.values(String.self, "SELECT name FROM batch ORDER BY name") }
        guard names.count == 1 else {
            throw StoreError.input(names.isEmpty ? "the project has no batch yet; add clips with: concord clip add FILE... --batch NAME --rubric NAME"
                                                 : "the project has \(names.count) batches (\(names.joined(separator: ", "))); choose one with --batch NAME")
        }
        return names[0]
    }
}
