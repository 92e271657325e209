import Foundation
import GRDB
import Rubric

/// Pairwise batches (docs/pairwise.md "Projects"): a batch whose rubric has a pairwise
/// criterion rates *pairs* of clips. Its clips (added with `clip add`, optionally tagged with
/// a group — the prompt — and a system — the model) are the pool; each pair is an item of its
/// own whose `item_pair` row names clip a and clip b; each assignment of a pair says which
/// of the two the rater sees on the left (`assignment_side`), balanced per rater.

/// One pair to add, as a pairs CSV line gives it (`clip_a,clip_b[,group]`).
public struct PairRequest: Sendable, Equatable {
    public var a: String
    public var b: String
    public var group: String?
    /// Where it came from, for messages ("pairs.csv:12"); nil when made by concord.
    public var source: String?
    public init(a: String, b: String, group: String? = nil, source: String? = nil) {
        self.a = a; self.b = b; self.group = group; self.source = source
    }
}

public struct AddedPair: Sendable, Equatable {
    public let item: Int64
    public let a: String
    public let b: String
    /// False when the batch already had the pair (in either order): nothing was written.
    public let isNew: Bool
    public init(item: Int64, a: String, b: String, isNew: Bool) { self.item = item; self.a = a; self.b = b; self.isNew = isNew }
}

/// A clip's group (the prompt it renders) and system (the model that made it), as
/// `clip add --group G --system S` records them. Revisions: the latest applies.
public struct ClipTag: Sendable, Equatable {
    public var clip: String
    public var group: String?
    public var system: String?
    public init(clip: String, group: String?, system: String?) { self.clip = clip; self.group = group; self.system = system }
}

/// One clip of a pairwise batch's pool, with its tags.
public struct PoolClip: Sendable, Equatable {
    public let clip: String
    public let group: String?
    public let system: String?
    public init(clip: String, group: String?, system: String?) { self.clip = clip; self.group = group; self.system = system }
}

/// One pair for one rater, as a pair planner (all-within-group, adaptive) decides it.
public struct PairPlanEntry: Sendable, Equatable {
    public var rater: String
    public var a: String
    public var b: String
    public var group: String?
    public init(rater: String, a: String, b: String, group: String?) { self.rater = rater; self.a = a; self.b = b; self.group = group }
}

/// The second clip of a pair item in a rater's queue, and which side the rater sees it on.
public struct PairShown: Sendable, Equatable {
    /// Clip b (the entry's own `clip…` fields are clip a).
    public let clipB: String
    public let clipBPath: String
    public let clipBSHA256: String
    public let clipBSizeBytes: Int64
    public let frameCountB: Int
    public let frameRateB: Double
    /// True when clip a is shown on the left (the assignment's side; true when none recorded).
    public let leftIsA: Bool
    public let group: String?
    public init(clipB: String, clipBPath: String, clipBSHA256: String, clipBSizeBytes: Int64, frameCountB: Int,
                frameRateB: Double, leftIsA: Bool, group: String?) {
        self.clipB = clipB; self.clipBPath = clipBPath; self.clipBSHA256 = clipBSHA256; self.clipBSizeBytes = clipBSizeBytes
        self.frameCountB = frameCountB; self.frameRateB = frameRateB; self.leftIsA = leftIsA; self.group = group
    }
}

/// A pairwise criterion's current answers in a batch, sparse, for `concord pairwise --batch`,
/// the report's Preferences section, the leaderboard and the adaptive planner. Names, not
/// project ids, so what reads it needs no Store type.
public struct BatchComparisons: Sendable, Equatable {
    /// Clip names (the compared items); `system[i]`, `group[i]` their tags.
    public var clips: [String] = []
    public var system: [String?] = []
    public var group: [String?] = []
    /// Per clip: its pool item's id in the batch, the number an auditor sees instead of the
    /// clip's name (docs/security.md); empty when not read.
    public var items: [Int64] = []
    public var raters: [String] = []
    /// One entry per current non-empty answer: indices into `raters` and `clips`.
    public var rater: [Int32] = []
    public var a: [Int32] = []
    public var b: [Int32] = []
    /// The stored value (`a`, `b`, `tie`, `a/better`, … — `PairChoice(value:)` reads it).
    public var value: [String] = []
    /// 0: a was on the left, 1: b was, -1: not recorded (imported answers).
    public var shownLeft: [Int8] = []
    /// Time the rater took on the item (the label's dwell), nil when not recorded.
    public var dwellMs: [Int?] = []
    /// Pairs of the batch whether answered or not (for planners): a and b indices.
    public var pairA: [Int32] = []
    public var pairB: [Int32] = []
    /// Whether each of `raters` has the model role (an imported judge), so a caller can
    /// leave models out as `mos --batch` does unless asked.
    public var raterIsModel: [Bool] = []
    public init() {}
}

extension ProjectSession {
    /// Adds pairs to a pairwise batch (creating it with `rubric`, which must have a pairwise
    /// criterion, when it does not exist). Each clip must already be in the project; a
    /// clip not yet in the batch's pool joins it. A pair the batch has (either order) is
    /// reported with isNew false and the order the batch has it in. All or nothing: every
    /// request is checked first (an unknown clip, a clip paired with itself, a pair given
    /// twice in either order, a group that cannot be stored), each problem named by the
    /// request's `source` ("pairs.csv:12"), and nothing is written if there is one.
    public func addPairs(_ pairs: [PairRequest], batch: String, rubric: String?) throws -> [AddedPair] {
        try require(.addClips)
        guard Self.isValidName(batch) else {
            throw StoreError.input("\(quoted(batch)) is not a valid batch name; use letters, digits, '.', '_' or '-'")
        }
        if let postgres = store.postgres { return try addPairs(pairs, batch: batch, rubric: rubric, on: postgres) }
        return try audited("pair.add", tables: ["batch", "item", "item_pair"]) { db in
            let reads = store.sql(db)
            let at = Clock.now()
            let batchID = try pairwiseBatch(db, reads, batch, rubric: rubric, at: at)
            var writer = try PairBatchWriter(db, reads: reads, batchID: batchID, at: at)
            let checked = try Self.checkPairs(pairs, clips: writer.clipIDs, batch: batch)
            var added: [AddedPair] = []
            for (request, a, b) in checked {
                let pair = try writer.pair(a, b, group: request.group)
                added.append(AddedPair(item: pair.item, a: writer.clipNames[pair.a]!, b: writer.clipNames[pair.b]!, isNew: pair.isNew))
            }
            return (added, ["batch": batch, "pairs": added.filter(\.isNew).map { [$0.a, $0.b] }])
        }
    }

    /// Each request's clip ids, after checking every request (see `addPairs`). The same
    /// checks on both stores, so PostgreSQL refuses a file with the same lines.
    /// `allowRepeats`: a plan gives one pair to several raters.
    static func checkPairs(_ pairs: [PairRequest], clips: [String: Int64], batch: String,
                           allowRepeats: Bool = false) throws -> [(PairRequest, Int64, Int64)] {
        var problems: [String] = []
        var first: [PairBatchWriter.PairKey: String] = [:]
        var checked: [(PairRequest, Int64, Int64)] = []
        for request in pairs {
            let place = request.source.map(printableText) ?? "the pair \(quoted(request.a)), \(quoted(request.b))"
            let unknown = [request.a, request.b].filter { clips[$0] == nil }
            if let name = unknown.first {
                problems.append("\(place): no clip named \(quoted(name)) in the project; add it first with: concord clip add FILE --batch \(batch)")
                continue
            }
            let a = clips[request.a]!, b = clips[request.b]!
            if a == b {
                problems.append("\(place): the clip \(quoted(request.a)) is paired with itself; a pair needs two different clips")
                continue
            }
            if let group = request.group, let problem = StoredText.problem(group) {
                problems.append("\(place): the group \(problem)")
                continue
            }
            let key = PairBatchWriter.PairKey(a, b)
            if !allowRepeats, let earlier = first[key] {
                problems.append("\(place): the pair \(quoted(request.a)), \(quoted(request.b)) again (first at \(earlier)); list each pair once, in either order")
                continue
            }
            first[key] = request.source.map(printableText) ?? "an earlier pair"
            checked.append((request, a, b))
        }
        guard !problems.isEmpty else { return checked }
        if problems.count == 1 { throw StoreError.input(problems[0] + "; nothing was added") }
        let file = pairs.compactMap(\.source).first.map { source in
            String(source.reversed().drop { $0.isNumber }.dropFirst().reversed())   // "pairs.csv:12" → "pairs.csv"
        } ?? "the pairs"
        let shown = Array(problems.prefix(20))
        throw StoreError.input("\(printableText(file)): \(problems.count) problems; nothing was added",
                               details: shown + (problems.count > shown.count ? ["… and \(problems.count - shown.count) more"] : []))
    }

    /// Records each clip's group and system (`clip add --group --system`); a new row per
    /// change, the latest applies. A nil field keeps the clip's current value (a tag is
    /// never cleared, only replaced); a tag equal to the current one writes nothing.
    /// Returns the number of rows written.
    public func tagClips(_ tags: [ClipTag]) throws -> Int {
        try require(.addClips)
        for tag in tags {
            for (what, value) in [("group", tag.group), ("system", tag.system)] {
                guard let value else { continue }
                if value.isEmpty { throw StoreError.input("the \(what) of \(quoted(tag.clip)) is empty; give a name or leave out --\(what)") }
                try StoredText.check(value, "the \(what) of \(quoted(tag.clip))")
            }
        }
        if let postgres = store.postgres { return try tagClips(tags, on: postgres) }
        return try audited("clip.tag", tables: ["clip_tag"]) { db in
            let reads = store.sql(db)
            let at = Clock.now()
            var written: [[String: Any]] = []
            for tag in tags where tag.group != nil || tag.system != nil {
                guard let clip = try reads.value(Int64.self, "SELECT id FROM clip WHERE name = ?", [tag.clip]) else {
                    throw StoreError.input("no clip named \(quoted(tag.clip)) in the project; add it with: concord clip add FILE --batch B --group G --system S")
                }
                let current = try reads.row("SELECT pair_group, system FROM clip_tag WHERE clip_id = ? ORDER BY id DESC LIMIT 1", [clip])
                let was: (group: String?, system: String?) = current.map { ($0["pair_group"], $0["system"]) } ?? (nil, nil)
                let group = tag.group ?? was.group, system = tag.system ?? was.system
                if current != nil, was.group == group, was.system == system { continue }
                try db.execute(sql: "INSERT INTO clip_tag (clip_id, pair_group, system, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [clip, group, system, at])
                written.append(["clip": tag.clip, "group": group.map { $0 as Any } ?? NSNull(), "system": system.map { $0 as Any } ?? NSNull()])
            }
            return (written.count, ["tags": written])
        }
    }

    /// Assigns planned pairs: creates each pair item the batch lacks (its clips joining the
    /// pool), assigns it to the rater (an existing assignment is kept), and records the side
    /// each new assignment shows clip a on, balanced per rater (`PairSides`). All or nothing.
    /// Returns new assignments.
    public func assignPairs(batch: String, plan: [PairPlanEntry]) throws -> Int {
        try require(.assign)
        if let postgres = store.postgres { return try assignPairs(batch: batch, plan: plan, on: postgres) }
        return try audited("assign.pairs", tables: ["item", "item_pair", "assignment", "assignment_side"]) { db in
            let reads = store.sql(db)
            let at = Clock.now()
            let batchID = try pairwiseBatch(nil, reads, batch, rubric: nil, at: nil)
            var writer = try PairBatchWriter(db, reads: reads, batchID: batchID, at: at)
            var raters: [String: Actor] = [:]
            for name in Set(plan.map(\.rater)).sorted() { raters[name] = try Self.labeller(reads, named: name) }
            let checked = try Self.checkPairs(plan.map { PairRequest(a: $0.a, b: $0.b, group: $0.group, source: nil) },
                                              clips: writer.clipIDs, batch: batch, allowRepeats: true)
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO assignment (item_id, rater_id, created_at) VALUES (?, ?, ?)")
            var made: [NewAssignment] = []
            for (entry, (_, a, b)) in zip(plan, checked) {
                let pair = try writer.pair(a, b, group: entry.group)
                let rater = raters[entry.rater]!
                try insert.execute(arguments: [pair.item, rater.id, at])
                if db.changesCount > 0 { made.append(NewAssignment(id: db.lastInsertedRowID, rater: rater)) }
            }
            try Self.writeSides(db, reads, batch: batch, batchID: batchID, made, at: at)
            return (made.count, ["batch": batch, "pairs": plan.count, "new_assignments": made.count])
        }
    }

    /// A rater who may be given work: known, and not an auditor.
    static func labeller(_ reads: any SQLDatabase, named name: String) throws -> Actor {
        guard let rater = try actor(reads, named: name) else {
            throw StoreError.input("no rater named \(quoted(name)); add them with: concord rater add \(printableCut(name)) --role rater")
        }
        guard rater.role != .auditor else {
            throw StoreError.input("\(quoted(name)) is an auditor; auditors read reports and do not label")
        }
        return rater
    }

    struct NewAssignment { let id: Int64; let rater: Actor }

    /// The `assignment_side` rows of new pair assignments, per rater in the order given
    /// (`PairSides`).
    static func writeSides(_ db: Database, _ reads: any SQLDatabase, batch: String, batchID: Int64, _ made: [NewAssignment], at: String) throws {
        var order: [Int64] = []
        var byRater: [Int64: [NewAssignment]] = [:]
        for new in made {
            if byRater[new.rater.id] == nil { order.append(new.rater.id) }
            byRater[new.rater.id, default: []].append(new)
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO assignment_side (assignment_id, left_clip, created_at) VALUES (?, ?, ?)")
        for raterID in order {
            let news = byRater[raterID]!
            let had = try reads.row("""
                SELECT coalesce(sum(CASE WHEN s.left_clip = 'a' THEN 1 ELSE 0 END), 0) AS had_a,
                       coalesce(sum(CASE WHEN s.left_clip = 'b' THEN 1 ELSE 0 END), 0) AS had_b
                FROM assignment_side s JOIN assignment a ON a.id = s.assignment_id JOIN item i ON i.id = a.item_id
                WHERE a.rater_id = ? AND i.batch_id = ?
                """, [raterID, batchID])!
            let sides = PairSides.sides(batch: batch, rater: news[0].rater.name, hadA: had["had_a"], hadB: had["had_b"], count: news.count)
            for (new, aLeft) in zip(news, sides) { try insert.execute(arguments: [new.id, aLeft ? "a" : "b", at]) }
        }
    }
}
