import Pairwise
import Store

/// The two ways of choosing pairs, from what the Store read (docs/pairwise.md "Choosing
/// pairs"). Pure functions of their inputs, so they are tested without a project.
extension PairPlanner {
    /// Every unordered pair of pool clips that share a group, for every rater. Two clips of
    /// the same system are still a pair (two seeds of one model, say): the groups decide,
    /// not the systems. Clip a is the one earlier in the pool. The pairs are in an order
    /// shuffled by `seed`, which becomes the order raters meet them (items keep the order
    /// they are created in), so no rater works through one prompt's pairs in a row; every
    /// rater gets every pair (a pair already theirs is kept, not repeated, by `assignPairs`).
    static func allWithinGroup(_ pool: [PoolClip], batch: String, raters: [String], seed: UInt64) throws -> [PairPlanEntry] {
        guard !pool.isEmpty else {
            throw StoreError(.input, "batch \(quoted(batch)) has no clips to pair; add them with: concord clip add FILES --batch \(batch) --group G --system S")
        }
        let untagged = pool.filter { $0.group == nil }.map(\.clip)
        if !untagged.isEmpty {
            throw StoreError(.input, "all-within-group pairs the clips of each group, and \(describe(untagged)) of batch \(quoted(batch)) "
                             + "\(untagged.count == 1 ? "has" : "have") no group; give each a group with: concord clip add FILE --batch \(batch) --group G, "
                             + "or list the pairs yourself with: concord pair add --batch \(batch) --file pairs.csv")
        }
        let (group, names) = indexed(pool.map { $0.group! })
        let pairs = Adaptive.pairsWithinGroups(group)
        guard !pairs.isEmpty else {
            throw StoreError(.input, "no group of batch \(quoted(batch)) has two clips, so there is nothing to pair; "
                             + "add the other systems' clips of each group with: concord clip add FILE --batch \(batch) --group G --system S")
        }
        return Adaptive.shuffled(pairs, seed: seed).flatMap { pair in
            raters.map { PairPlanEntry(rater: $0, a: pool[Int(pair.a)].clip, b: pool[Int(pair.b)].clip, group: names[Int(group[Int(pair.a)])]) }
        }
    }

    /// `perRater` new pairs per rater where they teach most (`Adaptive`), given the answers
    /// so far and the pairs each rater already has (assigned or answered).
    static func adaptive(_ answers: BatchPairwise, batch: String, raters: [String], assigned: [PairPlanEntry],
                         perRater: Int, seed: UInt64) throws -> [PairPlanEntry] {
        let clips = answers.data.items
        guard clips.count >= 2 else {
            throw StoreError(.input, "batch \(quoted(batch)) has \(clips.count) clip\(clips.count == 1 ? "" : "s") in its pool; adaptive pairs need two or more: add them with: concord clip add FILES --batch \(batch)")
        }
        // Groups restrict pairs only when clips carry them: all or none.
        let untagged = clips.indices.filter { answers.group[$0] == nil }.map { clips[$0] }
        var group = [Int32](repeating: 0, count: clips.count), names: [String?] = [nil]
        if untagged.count < clips.count {
            guard untagged.isEmpty else {
                throw StoreError(.input, "some clips of batch \(quoted(batch)) have a group and \(describe(untagged)) \(untagged.count == 1 ? "has" : "have") none; "
                                 + "adaptive pairs stay within groups, so give each a group with: concord clip add FILE --batch \(batch) --group G")
            }
            let found = indexed(answers.group.map { $0! })
            group = found.group
            names = found.names
        }
        let index = Dictionary(clips.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let raterIndex = Dictionary(raters.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var had = [Set<UInt64>](repeating: [], count: raters.count)
        for entry in assigned {
            guard let r = raterIndex[entry.rater], let a = index[entry.a], let b = index[entry.b] else { continue }
            had[r].insert(Adaptive.pairKey(a, b))
        }
        let data = answers.data
        for k in 0..<data.count {
            guard let r = raterIndex[data.raters[Int(data.rater[k])]] else { continue }
            had[r].insert(Adaptive.pairKey(Int(data.a[k]), Int(data.b[k])))
        }
        let picks = Adaptive.choose(Adaptive.beliefs(data), group: group, had: had, perRater: perRater, seed: seed)
        return picks.map { PairPlanEntry(rater: raters[$0.rater], a: clips[$0.a], b: clips[$0.b], group: names[Int(group[$0.a])]) }
    }

    /// Group names as indices, in first-appearance order.
    private static func indexed(_ groups: [String]) -> (group: [Int32], names: [String?]) {
        var index: [String: Int32] = [:], names: [String?] = []
        let group = groups.map { name in
            if let known = index[name] { return known }
            index[name] = Int32(names.count)
            names.append(name)
            return Int32(names.count - 1)
        }
        return (group, names)
    }

    /// "the clip 'x'" or "3 clips ('x', 'y', 'z')", at most 5 names.
    private static func describe(_ names: [String]) -> String {
        if names.count == 1 { return "the clip \(quoted(names[0]))" }
        let shown = names.prefix(5).map { quoted($0) }.joined(separator: ", ")
        return "\(names.count) clips (\(shown)\(names.count > 5 ? ", …" : ""))"
    }
}
