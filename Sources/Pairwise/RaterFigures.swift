/// Per-rater figures (docs/pairwise.md): consistency, position bias, agreement with the consensus.
public struct RaterFigures: Sendable, Equatable {
    public var rater: Int
    public var comparisons: Int
    /// Circular triads among the triples of items whose three pairs this rater judged
    /// decisively (a tie or a split pair is no preference, so joins no triad).
    public var circularTriads: Int
    /// Kendall's ζ = 1 − d / d_max, or why it is undefined.
    public var zeta: Result<Double, Undefined>
    /// Share of decisive judgements won by the left clip, with a Wilson 95% interval.
    public var leftWins: Result<Proportion, Undefined>
    /// Share of decisive judgements that agree with the consensus order.
    public var agreement: Result<Proportion, Undefined>

    public struct Undefined: Error, Sendable, Equatable { public var reason: String }
    public struct Proportion: Sendable, Equatable {
        public var share: Double, low: Double, high: Double, n: Int
    }

    static func compute(_ data: Comparisons, items: [ItemScore]) -> [RaterFigures] { [] }
}
