import Pairwise
import Rubric

/// The report's "Preferences" section (docs/reports.md, "Preferences"): per pairwise
/// criterion of a pairwise batch, the answers' win-rate matrix, the Bradley–Terry scores
/// with their 95% intervals (the fit `concord pairwise --batch B --criterion C` makes), the
/// leaderboard per system when the clips carry system tags, and each rater's position bias
/// and circular triads. Computed once here; the report's renderers only write it down.
///
/// A batch without pairwise criteria has no section (`criteria` is empty and every format
/// leaves it out), and costs nothing: its comparisons are never read.
public struct PreferencesSection: Sendable {
    public struct Criterion: Sendable {
        public let id: String
        /// The answers as fitted (items are the compared clips, named as the report names clips).
        public let data: Comparisons
        public let result: PairwiseResult
        /// Per item (index of `data.items`): its system tag, nil when untagged.
        public let system: [String?]
        public let matrix: WinMatrix
        /// The systems' leaderboard (`Leaderboard`: Bradley–Terry on comparisons between clips
        /// of different systems), or why there is none; nil when no compared clip carries a
        /// system tag.
        public let leaderboard: Result<Leaderboard, Leaderboard.Undefined>?

        /// The leaderboard when there is one.
        public var systems: Leaderboard? { try? leaderboard?.get() }

        /// Why there are no scores at all (no answer yet); nil when there are answers.
        public var undefinedReason: String? {
            data.count == 0 ? "no answers yet: nothing to scale" : nil
        }

        /// Items compared at least once, best first (`WinMatrix.order`).
        public var ranked: [ItemScore] { WinMatrix.order(data, result).map { result.items[$0] } }

        /// Items with an ML score, best first.
        public var scored: [ItemScore] { ranked.filter { $0.score != nil } }
        /// Items compared but without an ML score (each with its reason).
        public var unscored: [ItemScore] { ranked.filter { $0.score == nil } }

        static func regularised(_ item: ItemScore) -> Double? {
            if case .undefined(_, let r) = item.fit { return r }
            return nil
        }

        static func reason(_ item: ItemScore) -> String? {
            if case .undefined(let r, _) = item.fit { return r }
            return nil
        }
    }

    public let criteria: [Criterion]
    /// The model every criterion is fitted with: Bradley–Terry with Davidson ties, as
    /// `concord pairwise` fits by default.
    public let options: PairwiseOptions

    public init(criteria: [Criterion], options: PairwiseOptions) {
        self.criteria = criteria; self.options = options
    }

    /// Each pairwise criterion of the batch fitted side by side (they share nothing).
    public init(_ batches: [BatchPairwise], options: PairwiseOptions = PairwiseOptions()) throws {
        self.options = options
        criteria = try parallelMap(batches) { Self.criterion($0, options: options) }
    }

    static func criterion(_ b: BatchPairwise, options: PairwiseOptions) -> Criterion {
        let result = Pairwise.fit(b.data, options: options)
        var tagged = false
        for k in 0..<b.data.count where b.system[Int(b.data.a[k])] != nil || b.system[Int(b.data.b[k])] != nil { tagged = true; break }
        let leaderboard = tagged ? Leaderboard.make(b.data, system: b.system, options: options) : nil
        // Systems on the matrix's axes only when every comparison's clips are tagged: a
        // clip without a system could be any of them.
        let matrix: WinMatrix
        if let board = try? leaderboard?.get(), board.untagged == 0 {
            matrix = WinMatrix(board.data, axis: .system, order: WinMatrix.order(board.data, board.result))
        } else {
            matrix = WinMatrix(b.data, axis: .item, order: WinMatrix.order(b.data, result))
        }
        return Criterion(id: b.criterion.id, data: b.data, result: result, system: b.system, matrix: matrix, leaderboard: leaderboard)
    }
}
