/// The methods `concord mos --method` offers, named as on the command line and in JSON.
/// Each is defined by Netflix sureal 0.9.0's implementation (docs/mos.md gives the sureal
/// class for each and where concord knowingly follows sureal over the standard's text).
public enum OpinionMethod: String, CaseIterable, Sendable {
    /// Mean opinion score; interval ±1.95996·s/√n (sureal `MOS`).
    case mos
    /// ITU-R BT.500-14 Annex 2 §2.3 subject rejection, then MOS (sureal `BT500`, `SR_MOS`).
    case bt500
    /// ITU-T P.913 §12.4 bias removal with subject rejection (sureal `P913`, `BR_SR_MOS`).
    case p913
    /// Li & Bampis maximum likelihood: score per unit, bias and inconsistency per rater,
    /// ambiguity per content (sureal `MLE`).
    case mle
    /// The same without the content term (sureal `MLE_CO`).
    case mleCO = "mle_co"
    /// ITU-T P.910 Annex E alternating projection (sureal `P910`, `MLE_CO_AP2`).
    case p910
}

/// A 95% interval as absolute bounds (sureal reports ±deltas; concord adds them to the
/// estimate so every consumer reads the same two numbers).
public struct Interval: Equatable, Sendable {
    public var low: Double
    public var high: Double
    public init(low: Double, high: Double) { self.low = low; self.high = high }
    public var halfWidth: Double { (high - low) / 2 }
}

/// One unit's score.
public struct UnitScore: Equatable, Sendable {
    public var unit: Int
    public var score: Double
    /// Standard error of `score` (sureal's `quality_scores_std`), when the method gives one.
    public var standardError: Double?
    public var ci95: Interval?
    /// Ratings of this unit the method used (after rejecting raters).
    public var n: Int
    public init(unit: Int, score: Double, standardError: Double?, ci95: Interval?, n: Int) {
        self.unit = unit; self.score = score; self.standardError = standardError; self.ci95 = ci95; self.n = n
    }
}

/// One rater's figures. Fields a method does not estimate are nil.
public struct RaterFigures: Equatable, Sendable {
    public var rater: Int
    public var bias: Double?
    public var biasCI95: Interval?
    public var inconsistency: Double?
    public var inconsistencyCI95: Interval?
    public var rejected: Bool
    /// Why the rater was rejected, in words a lead can check by hand (which rule, the
    /// counts or statistic that triggered it); nil when kept.
    public var reason: String?
    public init(rater: Int, bias: Double? = nil, biasCI95: Interval? = nil, inconsistency: Double? = nil,
                inconsistencyCI95: Interval? = nil, rejected: Bool = false, reason: String? = nil) {
        self.rater = rater; self.bias = bias; self.biasCI95 = biasCI95; self.inconsistency = inconsistency
        self.inconsistencyCI95 = inconsistencyCI95; self.rejected = rejected; self.reason = reason
    }
}

/// One content's ambiguity (`mle` only).
public struct ContentFigures: Equatable, Sendable {
    public var content: Int
    public var ambiguity: Double
    public var ci95: Interval?
    public init(content: Int, ambiguity: Double, ci95: Interval?) {
        self.content = content; self.ambiguity = ambiguity; self.ci95 = ci95
    }
}

/// What a method estimated. Indices refer to the `OpinionData` it was computed from.
public struct OpinionResult: Equatable, Sendable {
    public var method: OpinionMethod
    public var units: [UnitScore]
    public var raters: [RaterFigures]
    /// Empty unless the method models content (`mle`).
    public var contents: [ContentFigures]
    /// Iterations an iterative method took to meet its stopping rule; nil for closed forms.
    public var iterations: Int?
    public init(method: OpinionMethod, units: [UnitScore], raters: [RaterFigures],
                contents: [ContentFigures] = [], iterations: Int? = nil) {
        self.method = method; self.units = units; self.raters = raters; self.contents = contents; self.iterations = iterations
    }
}

/// A method's result, or the reason there is none (one rater, constant scores, no unit
/// rated twice...), as `Agreement.Outcome` does for the agreement coefficients.
public enum OpinionOutcome: Equatable, Sendable {
    case scored(OpinionResult)
    case undefined(reason: String)

    public var result: OpinionResult? {
        if case .scored(let r) = self { return r }
        return nil
    }
    public var undefinedReason: String? {
        if case .undefined(let reason) = self { return reason }
        return nil
    }
}
