import Store

/// `assign --until-ci W`: the assignments that bring each clip up to the ratings its 95%
/// interval needs (`RatingsNeeded`), spread fairly over a pool of raters
/// (docs/quality-rules.md, "Topping up").
///
/// A clip's holders are the raters who rated it or are assigned it (an assignment not yet
/// rated is a rating on its way, so running this twice adds nothing). It gets
/// max(0, n* − holders) new raters, capped so holders stay at most `maxPerClip`. Clips are
/// taken in batch order; each new rater is the pool's rater with the lightest load (the
/// batch's clips they hold, new ones counted as they are given) who does not hold the clip,
/// ties by name in byte order — so the result depends on the data alone.
public enum AssignmentTopUp {
    public struct Clip: Sendable, Equatable {
        public let item: Int64
        public let clip: String
        /// Raters newly given the clip, in the order chosen.
        public let raters: [String]
        /// Wanted but not given: every rater of the pool already holds the clip.
        public let short: Int
        public init(item: Int64, clip: String, raters: [String], short: Int) {
            self.item = item; self.clip = clip; self.raters = raters; self.short = short
        }
    }

    public struct Result: Sendable, Equatable {
        /// Clips that get new raters or stay short, in batch order.
        public let clips: [Clip]
        public var assignments: [ItemAssignment] {
            clips.flatMap { c in c.raters.map { ItemAssignment(item: c.item, rater: $0) } }
        }
    }

    /// `holders`: by item, who rated or is assigned it. `load`: the clips each rater holds in
    /// the batch (absent: none). `pool`: who may be given clips.
    public static func plan(_ needed: RatingsNeeded.Plan, holders: [Int64: Set<String>], pool: [String], load: [String: Int],
                            maxPerClip: Int?) -> Result {
        var load = load
        let pool = Array(Set(pool)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var out: [Clip] = []
        for clip in needed.clips {
            let held = holders[clip.item] ?? []
            var wanted = max(0, clip.target - held.count)
            if let cap = maxPerClip { wanted = min(wanted, max(0, cap - held.count)) }
            guard wanted > 0 else { continue }
            var chosen: [String] = []
            for _ in 0..<wanted {
                // min(by:) keeps the first of equal loads: the pool is in byte order.
                guard let next = pool.filter({ !held.contains($0) && !chosen.contains($0) })
                    .min(by: { (load[$0] ?? 0) < (load[$1] ?? 0) }) else { break }
                chosen.append(next)
                load[next, default: 0] += 1
            }
            out.append(Clip(item: clip.item, clip: clip.clip, raters: chosen, short: wanted - chosen.count))
        }
        return Result(clips: out)
    }
}
