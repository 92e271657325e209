/// The quality rules of crowd tests (ITU-T P.910 and P.808 practice), judged per rater over
/// one batch and one scored criterion: did they watch each clip to the end, did they spend
/// a sane time on it, did they give every clip the same score, and which of their scores
/// are far outside what the other raters gave the same clip. Each rule is named, has a
/// documented default threshold (`QualityThresholds`) and lists its violations with the
/// clip and the number that broke it. docs/quality-rules.md is the user's description.
///
/// Pure: the input is a batch's scores and viewing record already read (`QualityInput`,
/// or `evaluate(labels:viewing:criterion:)` which builds it from the Store's reads).
public enum QualityRule: String, Sendable, CaseIterable, Comparable {
    /// A clip's watched share below `minWatchedShare` (default 1: every frame seen).
    case watchedToEnd = "watched_to_end"
    /// Time on a clip above `maxViewingFactor` × the clip's duration (default 3).
    case viewingTime = "viewing_time"
    /// The rater's score variance over the batch at most `straightLiningVariance` (default 0:
    /// every score the same), once they gave at least `straightLiningMinRatings` (default 5).
    case straightLining = "straight_lining"
    /// A score with |z| ≥ `outlierZ` (default 3.29) against the other raters of the clip.
    case outlier

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// How a person reads the rule's name.
    public var title: String {
        switch self {
        case .watchedToEnd: "not watched to the end"
        case .viewingTime: "viewing time too long"
        case .straightLining: "straight-lining"
        case .outlier: "outlier"
        }
    }
}

/// The thresholds of the four rules; the defaults are docs/quality-rules.md's.
public struct QualityThresholds: Sendable, Equatable {
    /// A clip counts as watched when at least this share of its frames was seen.
    public var minWatchedShare: Double = 1
    /// Time on a clip may be at most this many times its duration (P.808 flags raters who
    /// leave a clip open and come back: their score is of a memory, not of the clip).
    public var maxViewingFactor: Double = 3
    /// Straight-lining: a sample variance (n − 1) of the rater's scores at most this.
    public var straightLiningVariance: Double = 0
    /// … judged only once the rater gave this many scores (two equal scores say little).
    public var straightLiningMinRatings: Int = 5
    /// Outliers: |z| at least this (3.29: two-sided p = 0.001 under a normal spread).
    public var outlierZ: Double = 3.29
    /// … judged only when the clip has this many other ratings (a sample SD needs two).
    public var outlierMinOthers: Int = 2

    public init() {}
}

/// One batch's scores on one criterion and its viewing record, by index.
public struct QualityInput: Sendable {
    public struct Clip: Sendable, Equatable {
        public let name: String
        /// Seconds; nil or ≤ 0 when unknown (then the viewing-time rule does not judge it).
        public let duration: Double?
        public init(name: String, duration: Double?) { self.name = name; self.duration = duration }
    }
    public struct Rating: Sendable, Equatable {
        public let clip: Int, rater: Int
        public let score: Double
        public init(clip: Int, rater: Int, score: Double) { self.clip = clip; self.rater = rater; self.score = score }
    }
    /// What one rater's latest workbench submission of one clip recorded.
    public struct Viewing: Sendable, Equatable {
        public let clip: Int, rater: Int
        public let watchedShare: Double
        /// Seconds on the clip; nil when not recorded.
        public let seconds: Double?
        public init(clip: Int, rater: Int, watchedShare: Double, seconds: Double?) {
            self.clip = clip; self.rater = rater; self.watchedShare = watchedShare; self.seconds = seconds
        }
    }

    public let clips: [Clip]
    public let raters: [String]
    /// At most one per (clip, rater).
    public let ratings: [Rating]
    public let viewings: [Viewing]

    public init(clips: [Clip], raters: [String], ratings: [Rating], viewings: [Viewing]) {
        self.clips = clips; self.raters = raters; self.ratings = ratings; self.viewings = viewings
    }
}

/// One broken rule: which, on which clip (nil for a rule over the whole batch), and the
/// number that broke it against its threshold.
public struct QualityViolation: Sendable, Equatable {
    public let rule: QualityRule
    public let clip: String?
    /// watchedToEnd: the share seen; viewingTime: time ÷ duration; straightLining: the
    /// variance; outlier: z.
    public let value: Double
    public let threshold: Double
    /// What a person needs to see it: "62% seen", "41 s on a 5 s clip (8.2×)", "12 scores,
    /// all 3", "score 1 against 4.2 ± 0.45 (z = −7.11)".
    public let detail: String

    public init(rule: QualityRule, clip: String?, value: Double, threshold: Double, detail: String) {
        self.rule = rule; self.clip = clip; self.value = value; self.threshold = threshold; self.detail = detail
    }
}

/// A rater's violations, by rule then batch order. `violations` is empty for a clean rater.
public struct RaterViolations: Sendable, Equatable {
    public let rater: String
    /// Scores the rater gave on the criterion.
    public let ratings: Int
    public let violations: [QualityViolation]

    public init(rater: String, ratings: Int, violations: [QualityViolation]) {
        self.rater = rater; self.ratings = ratings; self.violations = violations
    }

    public func count(_ rule: QualityRule) -> Int { violations.reduce(0) { $1.rule == rule ? $0 + 1 : $0 } }
    /// The rules the rater broke, in `QualityRule` order.
    public var rules: [QualityRule] { QualityRule.allCases.filter { count($0) > 0 } }
    public var isClean: Bool { violations.isEmpty }
    /// One line for a rejection list: "quality: 2 clips not watched to the end, 1 outlier";
    /// nil for a clean rater.
    public var reason: String? {
        guard !isClean else { return nil }
        return "quality: " + rules.map { rule in
            let n = count(rule)
            return switch rule {
            case .watchedToEnd: "\(plural(n, "clip")) not watched to the end"
            case .viewingTime: "\(plural(n, "clip")) viewed over the time limit"
            case .straightLining: "straight-lining"
            case .outlier: plural(n, "outlier")
            }
        }.joined(separator: ", ")
    }
}

public enum QualityRules {
    /// Every rater of `input` (by name, in byte order) with the rules they broke.
    public static func evaluate(_ input: QualityInput, thresholds: QualityThresholds = QualityThresholds()) -> [RaterViolations] {
        // Each violation with its clip's index (−1: the whole batch), to order them by batch order.
        var found = [[(clip: Int, violation: QualityViolation)]](repeating: [], count: input.raters.count)
        var ratingCount = [Int](repeating: 0, count: input.raters.count)
        for v in input.viewings {
            let clip = input.clips[v.clip]
            if v.watchedShare < thresholds.minWatchedShare {
                found[v.rater].append((v.clip, QualityViolation(rule: .watchedToEnd, clip: clip.name, value: v.watchedShare,
                                                                 threshold: thresholds.minWatchedShare,
                                                                 detail: "\(percentText(v.watchedShare)) seen")))
            }
            if let seconds = v.seconds, let duration = clip.duration, duration > 0, seconds > thresholds.maxViewingFactor * duration {
                let factor = seconds / duration
                found[v.rater].append((v.clip, QualityViolation(rule: .viewingTime, clip: clip.name, value: factor, threshold: thresholds.maxViewingFactor,
                                                                 detail: "\(fixed(seconds, 1)) s on a \(fixed(duration, 1)) s clip (\(fixed(factor, 1))×)")))
            }
        }
        var byClip = [[(rater: Int, score: Double)]](repeating: [], count: input.clips.count)
        var byRater = [[Double]](repeating: [], count: input.raters.count)
        for r in input.ratings {
            byClip[r.clip].append((r.rater, r.score))
            byRater[r.rater].append(r.score)
            ratingCount[r.rater] += 1
        }
        for (rater, scores) in byRater.enumerated() where scores.count >= max(2, thresholds.straightLiningMinRatings) {
            let variance = sampleVariance(scores)
            if variance <= thresholds.straightLiningVariance {
                let distinct = Set(scores)
                let detail = distinct.count == 1 ? "\(scores.count) scores, all \(numberText(scores[0]))"
                                                 : "\(scores.count) scores, variance \(fixed(variance, 3))"
                found[rater].append((-1, QualityViolation(rule: .straightLining, clip: nil, value: variance,
                                                           threshold: thresholds.straightLiningVariance, detail: detail)))
            }
        }
        for (c, scores) in byClip.enumerated() where scores.count - 1 >= max(2, thresholds.outlierMinOthers) {
            // Each score against the others: their mean and sum of squares follow from the
            // clip's by taking the score out (SS' = SS − (x − x̄)²·k/(k − 1)), one pass per
            // clip instead of one per score. Whether the others all agree (SD 0, z undefined)
            // is decided on the values themselves, not on an SS' that rounding may leave a
            // hair above 0.
            let k = Double(scores.count)
            let total = scores.reduce(0) { $0 + $1.score }, mean = total / k
            let ss = scores.reduce(0) { $0 + ($1.score - mean) * ($1.score - mean) }
            var distinct: [Double: Int] = [:]
            for s in scores where distinct.count <= 2 { distinct[s.score, default: 0] += 1 }   // counts are whole up to 2 values
            for mine in scores {
                let x = mine.score
                // The others agree when every score is the same, or when x is the one score
                // that differs from all the rest.
                if distinct.count == 1 || (distinct.count == 2 && distinct[x] == 1) {
                    continue   // z is undefined: docs/quality-rules.md
                }
                let othersMean = (total - x) / (k - 1)
                let othersSS = max(0, ss - (x - mean) * (x - mean) * k / (k - 1))
                let sd = (othersSS / (k - 2)).squareRoot()
                guard sd > 0 else { continue }
                let z = (x - othersMean) / sd
                if abs(z) >= thresholds.outlierZ {
                    found[mine.rater].append((c, QualityViolation(rule: .outlier, clip: input.clips[c].name, value: z, threshold: thresholds.outlierZ,
                                                                    detail: "score \(numberText(x)) against \(fixed(othersMean, 2)) ± \(fixed(sd, 2)) (z = \(fixed(z, 2)))")))
                }
            }
        }
        let order = input.raters.indices.sorted { Array(input.raters[$0].utf8).lexicographicallyPrecedes(Array(input.raters[$1].utf8)) }
        return order.map { r in
            let sorted = found[r].enumerated().sorted { a, b in
                (a.element.violation.rule, a.element.clip, a.offset) < (b.element.violation.rule, b.element.clip, b.offset)
            }.map(\.element.violation)
            return RaterViolations(rater: input.raters[r], ratings: ratingCount[r], violations: sorted)
        }
    }

    /// Σ(x − mean)² / (n − 1); 0 for fewer than two values.
    static func sampleVariance(_ xs: [Double]) -> Double {
        guard xs.count >= 2 else { return 0 }
        let mean = xs.reduce(0, +) / Double(xs.count)
        return xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
    }

    /// A score as the rater gave it: "3", "3.5".
    static func numberText(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
