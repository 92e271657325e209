/// "How many more ratings?" (docs/quality-rules.md): per clip, the ratings still needed for
/// its mean opinion score's 95% interval to be at most ±W wide, judged from the spread the
/// clip's ratings show now.
///
/// The interval is sureal's MOS interval (docs/mos.md): with n ratings of sample SD s
/// (n − 1), its half-width is 1.95996·s/√n. Solving 1.95996·s/√n ≤ W for n gives
/// n* = ⌈(1.95996·s/W)²⌉; still needed: max(0, n* − n). A clip with fewer than two ratings
/// has no SD of its own, so it borrows the batch's pooled SD: √(Σ(nᵢ − 1)·sᵢ² / Σ(nᵢ − 1))
/// over the clips with two or more ratings (the within-clip spread, each clip weighted by
/// its degrees of freedom).
public enum RatingsNeeded {
    /// The two-sided 95% normal quantile sureal uses (its MOS interval, docs/mos.md).
    public static let z95 = 1.95996

    public struct Clip: Sendable, Equatable {
        public let item: Int64
        public let clip: String
        /// Current ratings and their sample SD (nil with fewer than two ratings).
        public let ratings: Int
        public let sd: Double?
        /// The SD the estimate used: the clip's own, or the batch's pooled one.
        public let usedSD: Double
        public let pooled: Bool
        /// The interval's half-width now (nil with no rating).
        public let halfWidth: Double?
        /// n*: ratings the target needs in all; `needed` = max(0, n* − ratings).
        public let target: Int
        public let needed: Int
    }

    public struct Plan: Sendable, Equatable {
        public let halfWidth: Double
        /// The batch's pooled SD, nil when no clip has two ratings.
        public let pooledSD: Double?
        public let clips: [Clip]
        public var totalNeeded: Int { clips.reduce(0) { $0 + $1.needed } }
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case badTarget(Double)
        case noSpread
        public var description: String {
            switch self {
            case .badTarget(let w): "--target-ci must be a positive half-width in the criterion's units; got \(QualityRules.numberText(w))"
            case .noSpread: "no clip has two ratings yet, so there is no spread to plan from; collect two ratings of a few clips first"
            }
        }
    }

    /// One clip's current scores.
    public struct Scores: Sendable, Equatable {
        public let item: Int64
        public let clip: String
        public let scores: [Double]
        public init(item: Int64, clip: String, scores: [Double]) { self.item = item; self.clip = clip; self.scores = scores }
    }

    /// Per clip of a batch's scores on one criterion (batch order; models left out, as
    /// `BatchScores` leaves them).
    public static func plan(_ scores: BatchScores, halfWidth w: Double) throws -> Plan {
        var byItem = [[Double]](repeating: [], count: scores.items.count)
        for r in scores.ratings { byItem[r.item].append(r.score) }
        return try plan(scores.items.indices.map { Scores(item: scores.items[$0],
                                                                 // An auditor's plan names items, not clips (docs/security.md).
                                                                 clip: scores.namingClips ? scores.clipNames[$0] : "\(scores.items[$0])",
                                                                 scores: byItem[$0]) },
                        halfWidth: w)
    }

    /// Per clip, in the order given. Throws `Problem` for W ≤ 0 (or not finite) and when
    /// some clip needs the pooled SD and no clip has two ratings.
    public static func plan(_ clips: [Scores], halfWidth w: Double) throws -> Plan {
        guard w > 0, w.isFinite else { throw Problem.badTarget(w) }
        let byItem = clips.map(\.scores)
        var weighted = 0.0, freedom = 0
        for xs in byItem where xs.count >= 2 {
            weighted += Double(xs.count - 1) * QualityRules.sampleVariance(xs)
            freedom += xs.count - 1
        }
        let pooled = freedom > 0 ? (weighted / Double(freedom)).squareRoot() : nil
        var planned: [Clip] = []
        for (i, xs) in byItem.enumerated() {
            let own = xs.count >= 2 ? QualityRules.sampleVariance(xs).squareRoot() : nil
            guard let s = own ?? pooled else { throw Problem.noSpread }
            // (z·s/W)² a hair above a whole number only by binary rounding counts as that number.
            let exact = (z95 * s / w) * (z95 * s / w)
            let target = Int((exact * (1 - 1e-12)).rounded(.up))
            planned.append(Clip(item: clips[i].item, clip: clips[i].clip, ratings: xs.count, sd: own, usedSD: s, pooled: own == nil,
                              halfWidth: xs.isEmpty ? nil : z95 * s / Double(xs.count).squareRoot(),
                              target: target, needed: max(0, target - xs.count)))
        }
        return Plan(halfWidth: w, pooledSD: pooled, clips: planned)
    }
}
