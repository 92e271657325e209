/// Side-by-side preference data, sparse: one entry per judgement "which of a and b is better?"
/// (docs/pairwise.md). Parallel arrays, like Aggregation's `LabelData`, so a million
/// comparisons cost a few megabytes and no object per row.
public struct Comparisons: Sendable, Equatable {
    /// Who preferred what in one comparison.
    public enum Outcome: Int8, Sendable { case a = 0, b = 1, tie = 2 }
    /// Item and rater names; the arrays below index them.
    public var items: [String]
    public var raters: [String]
    public var rater: [Int32]
    public var a: [Int32]
    public var b: [Int32]
    public var outcome: [Outcome]
    /// Which clip was on the left: 0 = a, 1 = b, -1 unknown; empty when unknown for all.
    /// Kept so position bias can be measured (a file without the column has none).
    public var shownLeft: [Int8]

    public init(items: [String], raters: [String], rater: [Int32], a: [Int32], b: [Int32],
                outcome: [Outcome], shownLeft: [Int8] = []) {
        precondition(rater.count == a.count && a.count == b.count && b.count == outcome.count)
        precondition(shownLeft.isEmpty || shownLeft.count == a.count)
        self.items = items; self.raters = raters; self.rater = rater; self.a = a; self.b = b
        self.outcome = outcome; self.shownLeft = shownLeft
    }

    public var count: Int { a.count }
}

/// The scaling models `concord pairwise --model` offers.
public enum PairwiseModel: String, CaseIterable, Sendable {
    /// Bradley–Terry: P(i beats j) = πi / (πi + πj), score = log πi (sureal `BT_MLE`).
    case bt
    /// Thurstone Case V: P(i beats j) = Φ(vi − vj) (sureal `THURSTONE_MLE`).
    case thurstone
}

/// How a tie enters the likelihood.
public enum TieModel: String, CaseIterable, Sendable {
    /// Davidson (1970): P(tie) = ν√(πiπj) / (πi + πj + ν√(πiπj)), ν estimated. Bradley–Terry only;
    /// chosen over Rao–Kupper because it keeps Luce's choice axiom and has a closed-form
    /// fixed point (docs/pairwise.md).
    case davidson
    /// A tie counts as half a win to each side: what sureal does with a 0.5 in its matrix,
    /// and the only tie handling of Thurstone here.
    case halfWin = "half-win"
}

public struct PairwiseOptions: Sendable, Equatable {
    public var model: PairwiseModel
    public var ties: TieModel
    /// Also fit every group without a maximum-likelihood score with one virtual win and one
    /// virtual loss of each item against a pivot of score 0 (docs/pairwise.md).
    public var regularise: Bool
    public var maxIterations: Int
    /// Stop when no log-score moves by more than this.
    public var tolerance: Double
    /// Largest group whose intervals come from the exact inverse of its information matrix
    /// (a dense Cholesky, O(m³)); a larger group's come from the series approximation
    /// (docs/pairwise.md "Intervals") and say so.
    public var intervalLimit: Int
    public init(model: PairwiseModel = .bt, ties: TieModel = .davidson, regularise: Bool = true,
                maxIterations: Int = 100_000, tolerance: Double = 1e-11, intervalLimit: Int = 1000) {
        self.model = model; self.ties = ties; self.regularise = regularise
        self.maxIterations = maxIterations; self.tolerance = tolerance; self.intervalLimit = intervalLimit
    }
}

/// How an item's Fisher interval was computed (docs/pairwise.md "Intervals").
public enum IntervalMethod: String, Sendable {
    case exact
    case approximate
}

/// One item's fit.
public struct ItemScore: Sendable, Equatable {
    public enum Fit: Sendable, Equatable {
        /// The ML score, centred in its group; standard error nil only when its group's
        /// information matrix is singular (`note` says so).
        case scored(score: Double, standardError: Double?)
        /// No maximum-likelihood score exists (never loses / never wins / group not strongly
        /// connected); `regularised` is the documented regularised fit when asked for.
        case undefined(reason: String, regularised: Double?)
    }
    public var item: Int
    /// Index of its connected group (items linked by any comparison).
    public var group: Int
    public var wins: Int, losses: Int, ties: Int
    public var fit: Fit
    public var note: String?
    /// How the 95% interval was computed: the exact inverse of the information matrix, or
    /// the series approximation for a group larger than `intervalLimit`.
    public var interval: IntervalMethod = .exact

    public var score: Double? { if case .scored(let s, _) = fit { return s }; return nil }
    public var standardError: Double? { if case .scored(_, let se) = fit { return se }; return nil }
    /// score ± 1.959964 SE.
    public var ci95: (Double, Double)? {
        guard let s = score, let se = standardError else { return nil }
        return (s - 1.959963984540054 * se, s + 1.959963984540054 * se)
    }
}

public struct PairwiseResult: Sendable, Equatable {
    public var model: PairwiseModel
    public var ties: TieModel
    public var items: [ItemScore]
    public var raters: [RaterFigures]
    /// Davidson's tie parameter ν (nil without ties or with half-win ties).
    public var nu: Double?
    public var iterations: Int
    public var converged: Bool
    public var groups: Int
}
