import Agreement
import Rubric
import Store

/// A model rater (an automated metric, a VLM or LLM judge) scored against the golden set,
/// per criterion, beside the human raters scored the same way — so the question "is this
/// judge as reliable as a human rater?" has numbers on both sides.
///
/// Units are the golden set's entries (item × criterion) the rater answered. Every statistic
/// comes with a percentile bootstrap interval over those units (seeded, reproducible).
public struct JudgeScore: Sendable {
    public struct Estimate: Sendable, Equatable {
        public let value: Double?
        /// Why the value is undefined.
        public let reason: String?
        public let lower: Double?
        public let upper: Double?
    }

    public struct RaterScore: Sendable {
        public let rater: String
        public let role: Role
        public let pairs: Int
        /// Statistic name → estimate: accuracy, cohen_kappa, weighted_kappa_linear and
        /// _quadratic (ordinal), spearman and kendall_tau_b and mean_signed_error (ordinal,
        /// numeric).
        public let statistics: [(name: String, estimate: Estimate)]
        /// Gold value (rows) × this rater's value (columns), for nominal and ordinal criteria.
        public let confusion: [[Int]]?
    }

    public struct CriterionScore: Sendable {
        public let criterion: Criterion
        public let judge: RaterScore
        public let humans: [RaterScore]
        /// The labels of the confusion matrix's rows and columns.
        public let categories: [String]
    }

    public let judge: String
    public let goldenVersion: String
    public let resamples: Int
    public let seed: UInt64
    public let criteria: [CriterionScore]

    public init(labels: BatchLabels, golden: GoldenSet, judge: String, resamples: Int = Bootstrap.defaultResamples, seed: UInt64 = Bootstrap.defaultSeed) throws {
        guard let judgeIndex = labels.raters.firstIndex(of: judge) else {
            throw StoreError(.input, "\(quoted(judge)) has no labels in batch \(labels.batch); import the judge's predictions first (concord label import)")
        }
        guard labels.roles[judgeIndex] == .model else {
            throw StoreError(.input, "\(quoted(judge)) is \(labels.roles[judgeIndex].withArticle), not a model; concord judge scores raters of role model")
        }
        self.judge = judge
        goldenVersion = golden.version
        self.resamples = resamples
        self.seed = seed
        var answers: [ItemCriterion: [Int: String]] = [:]   // unit → rater index → value
        for i in 0..<labels.value.count {
            let key = ItemCriterion(item: labels.items[Int(labels.itemIndex[i])], criterion: labels.criterion[i])
            answers[key, default: [:]][Int(labels.raterIndex[i])] = labels.value[i]
        }
        var out: [CriterionScore] = []
        for criterion in labels.rubric.criteria where criterion.isPartOfAgreement {
            let entries = golden.entries.filter { $0.criterion == criterion.id }
            func score(_ r: Int) -> RaterScore {
                var gold: [String] = [], given: [String] = []
                for e in entries {
                    guard let v = answers[ItemCriterion(item: e.item, criterion: e.criterion)]?[r] else { continue }
                    gold.append(e.value)
                    given.append(v)
                }
                return Self.score(rater: labels.raters[r], role: labels.roles[r], criterion: criterion, gold: gold, given: given,
                                  resamples: resamples, seed: seed)
            }
            let humans = labels.raters.indices.filter { labels.roles[$0] != .model }.map(score).filter { $0.pairs > 0 }
            out.append(CriterionScore(criterion: criterion, judge: score(judgeIndex), humans: humans,
                                      categories: criterion.scale.hasOptions ? criterion.options.map(\.value) : []))
        }
        criteria = out
    }

    /// Every statistic of one rater against gold, with its bootstrap interval.
    static func score(rater: String, role: Role, criterion: Criterion, gold: [String], given: [String],
                      resamples: Int, seed: UInt64) -> RaterScore {
        let scale = criterion.scale
        let options = criterion.options.map(\.value)
        var names = ["accuracy"]
        if scale.hasOptions { names.append("cohen_kappa") }
        if scale == .ordinal { names += ["weighted_kappa_linear", "weighted_kappa_quadratic"] }
        if scale == .ordinal || scale.isNumeric { names += ["spearman", "kendall_tau_b", "mean_signed_error"] }
        // Positions on the scale: option index for ordinal, the number for numeric scales.
        func position(_ v: String) -> Double? {
            scale.isNumeric ? Double(v) : options.firstIndex(of: v).map(Double.init)
        }
        func statistics(_ idx: [Int]) -> [Outcome] {
            let g = idx.map { gold[$0] }, j = idx.map { given[$0] }
            return names.map { name in
                switch name {
                case "accuracy":
                    guard !idx.isEmpty else { return .undefined(reason: "no golden-set entry answered") }
                    return .value(Double(zip(g, j).filter { criterion.canonicalAnswer($0.0) == criterion.canonicalAnswer($0.1) }.count) / Double(idx.count))
                case "cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic":
                    let metric: Metric = name == "cohen_kappa" ? .cohenKappa : (name == "weighted_kappa_linear" ? .weightedKappaLinear : .weightedKappaQuadratic)
                    return twoRaterOutcome(metric, gold: g, given: j, options: options)
                default:
                    let pg = g.compactMap(position), pj = j.compactMap(position)
                    guard pg.count == g.count, pj.count == j.count else { return .undefined(reason: "a value is not on the scale") }
                    switch name {
                    case "spearman": return Correlation.spearman(pj, pg)
                    case "kendall_tau_b": return Correlation.kendallTauB(pj, pg)
                    default:
                        guard !pg.isEmpty else { return .undefined(reason: "no golden-set entry answered") }
                        return .value(zip(pj, pg).map { $0.0 - $0.1 }.reduce(0, +) / Double(pg.count))
                    }
                }
            }
        }
        let all = Array(gold.indices)
        let point = statistics(all)
        // Percentile bootstrap over units: one generator per replicate, seeded as Agreement's.
        var replicates = [[Double]](repeating: [], count: names.count)
        if !all.isEmpty {
            for b in 0..<resamples {
                var rng = Xoshiro256StarStar(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(b + 1))
                let sample = all.map { _ in all[Int(rng.next() % UInt64(all.count))] }
                for (k, outcome) in statistics(sample).enumerated() { if let v = outcome.value { replicates[k].append(v) } }
            }
        }
        let estimates = names.indices.map { k -> (name: String, estimate: Estimate) in
            let sorted = replicates[k].sorted()
            let defined = point[k].value != nil && sorted.count * 2 >= resamples   // at least half the replicates
            var reason: String? = nil
            if case .undefined(let r) = point[k] { reason = r }
            return (names[k], Estimate(value: point[k].value, reason: reason,
                                       lower: defined ? Bootstrap.percentile(sorted, 0.025) : nil,
                                       upper: defined ? Bootstrap.percentile(sorted, 0.975) : nil))
        }
        var confusion: [[Int]]? = nil
        if scale.hasOptions {
            var m = [[Int]](repeating: [Int](repeating: 0, count: options.count), count: options.count)
            for (g, j) in zip(gold, given) {
                if let a = options.firstIndex(of: g), let b = options.firstIndex(of: j) { m[a][b] += 1 }
            }
            confusion = m
        }
        return RaterScore(rater: rater, role: role, pairs: gold.count, statistics: estimates, confusion: confusion)
    }

    /// Cohen's or weighted kappa of the rater against gold, two "raters" over the units.
    static func twoRaterOutcome(_ metric: Metric, gold: [String], given: [String], options: [String]) -> Outcome {
        let categories = CategorySet(ordered: options)
        var ratings: [ReliabilityData.Rating] = []
        for (u, (g, j)) in zip(gold, given).enumerated() {
            guard let a = options.firstIndex(of: g), let b = options.firstIndex(of: j) else { continue }
            ratings.append(.init(unit: Int32(u), rater: 0, category: Int32(a)))
            ratings.append(.init(unit: Int32(u), rater: 1, category: Int32(b)))
        }
        guard let data = try? ReliabilityData(unitNames: gold.indices.map(String.init), raterNames: ["gold", "rater"],
                                              categories: categories, ratings: ratings) else {
            return .undefined(reason: "the pairs cannot be read as reliability data")
        }
        return AgreementSummary(data).outcomes[metric] ?? .undefined(reason: "not computed")
    }
}
