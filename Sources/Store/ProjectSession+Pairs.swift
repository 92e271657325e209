import Foundation
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
    public init() {}
}

extension ProjectSession {
    /// Adds pairs to a pairwise batch (creating it with `rubric`, which must have a pairwise
    /// criterion, when it does not exist). Each clip must already be in the project; a
    /// clip not yet in the batch's pool joins it. A pair the batch has (either order) is
    /// reported with isNew false. All or nothing.
    public func addPairs(_ pairs: [PairRequest], batch: String, rubric: String?) throws -> [AddedPair] {
        if let postgres = store.postgres { return try addPairs(pairs, batch: batch, rubric: rubric, on: postgres) }
        throw StoreError.input("pair add is not built yet")
    }

    /// Records each clip's group and system (`clip add --group --system`); a new row per
    /// change, the latest applies. Returns the number of rows written.
    public func tagClips(_ tags: [ClipTag]) throws -> Int {
        if let postgres = store.postgres { return try tagClips(tags, on: postgres) }
        throw StoreError.input("clip tags are not built yet")
    }

    /// The pool of a pairwise batch, in batch order, with tags.
    public func pairPool(batch: String) throws -> [PoolClip] {
        throw StoreError.input("pairwise batches are not built yet")
    }

    /// Assigns planned pairs: creates each pair item the batch lacks, assigns it to the rater
    /// (an existing assignment is kept), and records the side each new assignment shows clip
    /// a on, balanced per rater (docs/pairwise.md "Position"). Returns new assignments.
    public func assignPairs(batch: String, plan: [PairPlanEntry]) throws -> Int {
        if let postgres = store.postgres { return try assignPairs(batch: batch, plan: plan, on: postgres) }
        throw StoreError.input("pair assignment is not built yet")
    }

    /// The current answers of a pairwise criterion in a batch (leads, admins, auditors).
    public func comparisons(batch: String, criterion: String) throws -> BatchComparisons {
        throw StoreError.input("pairwise batches are not built yet")
    }
}
