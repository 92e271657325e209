/// The methods `concord aggregate --method` offers, named as on the command line and in JSON.
public enum AggregationMethod: String, CaseIterable, Sendable {
    /// Majority vote; a tie is reported as a tie, never broken at random.
    case mv
    /// Dawid–Skene with a full confusion matrix per rater (crowd-kit `DawidSkene`).
    case ds
    /// Dawid–Skene with one accuracy per rater (crowd-kit `OneCoinDawidSkene`).
    case oneCoin = "one-coin"
    /// MACE: each rater either knows the answer or spams with a preference (crowd-kit `MACE`).
    case mace
    /// GLAD: rater ability × item difficulty (crowd-kit `GLAD`).
    case glad
}

/// Settings of the iterative methods; the defaults are crowd-kit 1.4.2's where it has one.
public struct AggregationOptions: Sendable, Equatable {
    /// Most EM iterations (crowd-kit's `n_iter`).
    public var maxIterations: Int
    /// Stop when the objective changes by less than this (crowd-kit's `tol`).
    public var tolerance: Double
    /// The seed of the methods whose start is random (MACE, GLAD): same seed, same result.
    public var seed: UInt64
    public init(maxIterations: Int = 100, tolerance: Double = 1e-5, seed: UInt64 = 0) {
        self.maxIterations = maxIterations; self.tolerance = tolerance; self.seed = seed
    }
}

/// One item's consensus.
public struct ItemConsensus: Equatable, Sendable {
    public var item: Int
    /// The most probable option, or nil when two or more share the top posterior (a tie,
    /// listed in `tiedLabels`): a consumer says so instead of picking one silently.
    public var label: Int?
    /// The options that share the top posterior, when more than one does; empty otherwise.
    public var tiedLabels: [Int]
    /// P(option | labels), one per `LabelData.classNames` entry, summing to 1.
    public var posterior: [Double]
    /// Labels of this item.
    public var n: Int
    public init(item: Int, label: Int?, tiedLabels: [Int] = [], posterior: [Double], n: Int) {
        self.item = item; self.label = label; self.tiedLabels = tiedLabels; self.posterior = posterior; self.n = n
    }
}

/// One rater's estimated skill. Fields a method does not estimate are nil.
public struct RaterSkill: Equatable, Sendable {
    public var rater: Int
    /// Probability of giving the true option (one-coin, MACE's competence, GLAD's ability
    /// mapped to accuracy as docs/aggregation.md says; for mv and ds the share of the
    /// rater's labels equal to the consensus label).
    public var accuracy: Double?
    /// `confusion[true][given]`: P(rater gives `given` | the answer is `true`), rows summing
    /// to 1 (ds, one-coin; for mace and glad the matrix their model implies).
    public var confusion: [[Double]]?
    /// Labels this rater gave.
    public var n: Int
    public init(rater: Int, accuracy: Double? = nil, confusion: [[Double]]? = nil, n: Int) {
        self.rater = rater; self.accuracy = accuracy; self.confusion = confusion; self.n = n
    }
}

/// What a method estimated. Indices refer to the `LabelData` it was computed from.
public struct AggregationResult: Equatable, Sendable {
    public var method: AggregationMethod
    /// One per item of the data, in item order (an item nobody labelled is not in the data).
    public var items: [ItemConsensus]
    /// One per rater of the data, in rater order.
    public var raters: [RaterSkill]
    /// EM iterations run (mace: per start); nil for majority vote.
    public var iterations: Int?
    /// Whether the stopping rule was met before `maxIterations` (nil for majority vote and
    /// for mace, which runs crowd-kit's fixed 50 iterations).
    public var converged: Bool?
    /// The seed used (MACE, GLAD), so the result can be reproduced.
    public var seed: UInt64?
    public init(method: AggregationMethod, items: [ItemConsensus], raters: [RaterSkill],
                iterations: Int? = nil, converged: Bool? = nil, seed: UInt64? = nil) {
        self.method = method; self.items = items; self.raters = raters
        self.iterations = iterations; self.converged = converged; self.seed = seed
    }
}

/// A result, or why there is none (no labels, one option only …) in words a lead can act on.
public enum AggregationOutcome: Equatable, Sendable {
    case aggregated(AggregationResult)
    case undefined(reason: String)
}
