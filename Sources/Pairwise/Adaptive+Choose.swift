/// Choosing a batch of pairs for several raters at once (docs/pairwise.md "Choosing pairs").
extension Adaptive {
    /// Up to `perRater` new pairs for each of `raters` raters, most informative first.
    ///
    /// - `group[i]`: item i's group (the prompt); only two items of one group make a pair.
    ///   Give every item the same group when items carry none; -1 leaves an item out.
    /// - `had[r]`: the pairs rater r already has (`pairKey`), assigned or answered; a rater
    ///   never gets one of them, nor the same pair twice in this plan.
    /// - Raters take turns, one pair per turn, in an order shuffled by `seed`, so no rater
    ///   gets all the best pairs. After each pick the two items' variances drop to what they
    ///   are expected to be after the answer (means unchanged, the two components joined),
    ///   so the next pick goes elsewhere unless that pair is still the most informative
    ///   (then another rater may get it too: a second opinion on a close pair).
    /// - Equal gains (before any answer, every pair of a group is equal) are broken by an
    ///   order of the candidate pairs shuffled by `seed`: the same inputs and seed give the
    ///   same plan on every platform.
    ///
    /// A rater who has every pair of their groups gets fewer than `perRater`.
    public static func choose(_ beliefs: [Belief], group: [Int32], had: [Set<UInt64>], perRater: Int,
                              seed: UInt64) -> [Pick] {
        precondition(group.count == beliefs.count)
        var random = SeededRandom(seed)
        var candidates = pairsWithinGroups(group)
        random.shuffle(&candidates)
        var beliefs = beliefs
        var gains = candidates.map { expectedInformationGain(beliefs[Int($0.a)], beliefs[Int($0.b)]) }
        var touching = [[Int]](repeating: [], count: beliefs.count)
        for (k, pair) in candidates.enumerated() { touching[Int(pair.a)].append(k); touching[Int(pair.b)].append(k) }
        var had = had
        var order = Array(had.indices)
        random.shuffle(&order)
        var picks: [Pick] = []
        var done = Set<Int>()
        for _ in 0..<max(perRater, 0) {
            for rater in order where !done.contains(rater) {
                var best = -1
                for k in gains.indices where best < 0 || gains[k] > gains[best] {
                    if !had[rater].contains(pairKey(Int(candidates[k].a), Int(candidates[k].b))) { best = k }
                }
                guard best >= 0 else { done.insert(rater); continue }
                let a = Int(candidates[best].a), b = Int(candidates[best].b)
                picks.append(Pick(rater: rater, a: a, b: b))
                had[rater].insert(pairKey(a, b))
                let after = gain(beliefs[a], beliefs[b])
                beliefs[a].variance = after.varianceI
                beliefs[b].variance = after.varianceJ
                join(&beliefs, beliefs[a].component, beliefs[b].component)
                for k in Set(touching[a] + touching[b]) {
                    gains[k] = expectedInformationGain(beliefs[Int(candidates[k].a)], beliefs[Int(candidates[k].b)])
                }
            }
        }
        return picks
    }

    /// `list` in an order shuffled by `seed` (`SeededRandom.shuffle`): the same on every
    /// platform, for planners that need a reproducible order.
    public static func shuffled<T>(_ list: [T], seed: UInt64) -> [T] {
        var random = SeededRandom(seed), out = list
        random.shuffle(&out)
        return out
    }

    /// The key of an unordered pair of item indices, as `had` holds them.
    public static func pairKey(_ i: Int, _ j: Int) -> UInt64 {
        UInt64(min(i, j)) << 32 | UInt64(max(i, j))
    }

    /// Every unordered pair of items sharing a group (≥ 0), lower index first, by group
    /// in first-appearance order.
    public static func pairsWithinGroups(_ group: [Int32]) -> [(a: Int32, b: Int32)] {
        var members: [Int32: [Int32]] = [:]
        var groups: [Int32] = []
        for (i, g) in group.enumerated() where g >= 0 {
            if members[g] == nil { groups.append(g) }
            members[g, default: []].append(Int32(i))
        }
        var pairs: [(a: Int32, b: Int32)] = []
        for g in groups {
            let items = members[g]!
            for x in items.indices { for y in items.indices where y > x { pairs.append((items[x], items[y])) } }
        }
        return pairs
    }

    /// Puts every item of component `from` into component `into` (a planned pair connects
    /// them; a few hundred items at most per group, so a scan is enough).
    private static func join(_ beliefs: inout [Belief], _ into: Int, _ from: Int) {
        guard into != from else { return }
        for k in beliefs.indices where beliefs[k].component == from { beliefs[k].component = into }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): small, seeded, the same numbers everywhere.
struct SeededRandom {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fisher–Yates, drawing j uniformly from 0…i by `next() % (i + 1)` (the bias is below
    /// 2⁻³² for any list this shuffles).
    mutating func shuffle<T>(_ list: inout [T]) {
        guard list.count > 1 else { return }
        for i in stride(from: list.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            list.swapAt(i, j)
        }
    }
}
