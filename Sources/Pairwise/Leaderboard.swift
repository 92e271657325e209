import Foundation

/// Systems (the models that made the clips) ranked by preference, aggregated over groups
/// (prompts): every comparison of two clips made by *different* systems is a comparison of
/// those two systems, with the same rater, outcome and side; comparisons of two clips of one
/// system say nothing about systems and are left out (and counted), as are comparisons with
/// an untagged clip. The systems' scores are the same model fitted on those comparisons —
/// `Pairwise.fit`, so Bradley–Terry here equals sureal's `BT_MLE` and choix's `ilsr_pairwise`
/// on the aggregated comparisons — and beside each system stands the probability that its
/// score is above the next one's down (docs/pairwise.md "Leaderboard"):
///
///     P(s_x > s_y) = Φ((ŝ_x − ŝ_y) / √(Σ_xx + Σ_yy − 2Σ_xy)),
///
/// the normal approximation of the ML estimate's sampling distribution, Σ the inverse
/// observed Fisher information (`ScoreCovariance`), covariance included: two systems compared
/// mostly with each other have strongly correlated scores, and their separate intervals
/// would overstate the doubt about their order.
public struct Leaderboard: Sendable {
    public struct Undefined: Error, Sendable, Equatable {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }

    /// score(x) − score(y) under the normal approximation.
    public struct Difference: Sendable, Equatable {
        public var estimate: Double
        public var standardError: Double
        /// The model's chance that x is preferred in one decisive comparison with y
        /// (Bradley–Terry 1/(1 + e^−d), Thurstone Φ(d)): how much better, not how sure.
        public var winProbability: Double
        /// P(score x > score y) = Φ(estimate / SE): how sure the order is.
        public var probabilityAbove: Double { StandardNormal.cdf(estimate / standardError) }
        /// The one-sided lower confidence bound of the difference: estimate − z_c·SE. It is
        /// above 0 exactly when `probabilityAbove` is above `confidence`.
        public func lowerBound(confidence: Double) -> Double { estimate - StandardNormal.quantile(confidence) * standardError }
    }

    /// One system's line, best first.
    public struct Row: Sendable, Equatable {
        /// The system's fit; `score.item` indexes `systems`.
        public var score: ItemScore
        /// The next system down in the same group, nil for the last of a group or a system
        /// without a maximum-likelihood score.
        public var next: Int?
        /// score − the next one's; nil where there is no next.
        public var aboveNext: Result<Difference, Undefined>?
    }

    /// System names, sorted; the indices of `data` and `rows`.
    public let systems: [String]
    /// The comparisons between systems (items are systems).
    public let data: Comparisons
    public let result: PairwiseResult
    public let rows: [Row]
    /// Comparisons left out: two clips of the same system; a clip without a system.
    public let sameSystem: Int
    public let untagged: Int
    let covariance: ScoreCovariance?

    /// The leaderboard of the clips' comparisons, `system[i]` the system of clip `data.items[i]`;
    /// a failure says why there is none (no answers, no clip tagged, one system, no comparison
    /// across systems).
    public static func make(_ data: Comparisons, system: [String?], options: PairwiseOptions = PairwiseOptions()) -> Result<Leaderboard, Undefined> {
        precondition(system.count == data.items.count, "one system (or nil) per clip")
        guard data.count > 0 else { return .failure(Undefined(reason: "no answers yet: nothing to rank")) }
        var compared = Set<Int32>()
        for k in 0..<data.count { compared.insert(data.a[k]); compared.insert(data.b[k]) }
        let names = Array(Set(compared.compactMap { system[Int($0)] })).sorted()
        guard !names.isEmpty else {
            return .failure(Undefined(reason: "no compared clip has a system: a leaderboard needs each clip's system"))
        }
        guard names.count > 1 else {
            return .failure(Undefined(reason: "every tagged clip compared is of one system (\(names[0])): a leaderboard needs two"))
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, Int32($0.offset)) })
        var rater = [Int32](), a = [Int32](), b = [Int32](), outcome = [Comparisons.Outcome](), left = [Int8]()
        var same = 0, untagged = 0
        for k in 0..<data.count {
            guard let x = system[Int(data.a[k])], let y = system[Int(data.b[k])] else { untagged += 1; continue }
            guard x != y else { same += 1; continue }
            rater.append(data.rater[k]); a.append(index[x]!); b.append(index[y]!); outcome.append(data.outcome[k])
            if !data.shownLeft.isEmpty { left.append(data.shownLeft[k]) }
        }
        guard !a.isEmpty else {
            return .failure(Undefined(reason: "no comparison is between clips of two different systems (\(same) of the same system, \(untagged) with an untagged clip)"))
        }
        let systemData = Comparisons(items: names, raters: data.raters, rater: rater, a: a, b: b, outcome: outcome, shownLeft: left)
        return .success(Leaderboard(systemData, options: options, sameSystem: same, untagged: untagged))
    }

    /// The leaderboard of comparisons that are already between systems.
    init(_ data: Comparisons, options: PairwiseOptions, sameSystem: Int, untagged: Int) {
        self.systems = data.items; self.data = data; self.sameSystem = sameSystem; self.untagged = untagged
        let result = Pairwise.fit(data, options: options)
        self.result = result
        let covariance = ScoreCovariance(data, result: result, options: options)
        self.covariance = covariance
        // Scored systems by group then score; those without an ML score last, by regularised score.
        let order = result.items.sorted { x, y in
            switch (x.score, y.score) {
            case let (s?, t?): return x.group != y.group ? x.group < y.group : s > t
            case (.some, nil): return true
            case (nil, .some): return false
            default: return Self.regularised(x) ?? -.infinity > Self.regularised(y) ?? -.infinity
            }
        }
        var rows = [Row]()
        for (k, item) in order.enumerated() {
            var row = Row(score: item, next: nil, aboveNext: nil)
            if item.score != nil, k + 1 < order.count, order[k + 1].score != nil, order[k + 1].group == item.group {
                row.next = order[k + 1].item
                row.aboveNext = Self.difference(item.item, order[k + 1].item, names: data.items, result: result, covariance: covariance)
            }
            rows.append(row)
        }
        self.rows = rows
    }

    /// score(x) − score(y), systems by name; a failure names the system or says why there is
    /// no difference (no ML score, never linked, no interval).
    public func difference(_ x: String, _ y: String) -> Result<Difference, Undefined> {
        guard let i = systems.firstIndex(of: x), let j = systems.firstIndex(of: y) else {
            let missing = systems.contains(x) ? y : x
            return .failure(Undefined(reason: "no comparison across systems involves \(missing)"))
        }
        return Self.difference(i, j, names: systems, result: result, covariance: covariance)
    }

    static func difference(_ x: Int, _ y: Int, names: [String], result: PairwiseResult,
                           covariance: ScoreCovariance?) -> Result<Difference, Undefined> {
        let ix = result.items[x], iy = result.items[y]
        for item in [ix, iy] {
            if case .undefined(let reason, _) = item.fit {
                return .failure(Undefined(reason: "\(names[item.item]) has no maximum-likelihood score: \(reason)"))
            }
        }
        guard ix.group == iy.group else {
            return .failure(Undefined(reason: "the two were never linked by comparisons (different groups): their scores are not on one scale"))
        }
        guard let covariance, let v = covariance.contrastVariance(x, y), v > 0 else {
            return .failure(Undefined(reason: "no interval: the information matrix of the systems could not be inverted"))
        }
        let d = ix.score! - iy.score!
        let win = result.model == .bt ? 1 / (1 + exp(-d)) : StandardNormal.cdf(d)
        return .success(Difference(estimate: d, standardError: v.squareRoot(), winProbability: win))
    }

    static func regularised(_ item: ItemScore) -> Double? {
        if case .undefined(_, let r) = item.fit { return r }
        return nil
    }
}
