import Pairwise
import Rubric
import Store

/// The ranking the lead's dashboard shows for a pairwise criterion (docs/adjudication.md
/// "Pairwise batches"): Bradley–Terry scores (Davidson ties, `Pairwise.fit`'s defaults, so
/// the numbers are `concord pairwise --batch`'s) with 95% intervals and the number of
/// comparisons behind each. Systems when the clips carry system tags — the leaderboard of
/// docs/pairwise.md, aggregated over groups — else clips. Leads only: raters never see which
/// system made a clip, and this is read only through `adjudicate`'s dashboard.
public struct PairwiseRanking: Sendable, Equatable {
    public enum Subject: String, Sendable { case clips, systems }

    public struct Row: Sendable, Equatable {
        public let name: String
        /// The maximum-likelihood score, centred in its group; when there is none, the
        /// regularised score (docs/pairwise.md) and `regularised` is true; nil without either.
        public let score: Double?
        public let low: Double?
        public let high: Double?
        /// Wins + losses + ties: the comparisons that scored it.
        public let comparisons: Int
        public let regularised: Bool
    }

    public let criterion: String
    public let subject: Subject
    /// Best first; rows without a score last, in name order.
    public let rows: [Row]
    /// The criterion's answers counted (for systems, those between two different systems).
    public let comparisons: Int
    /// Connected groups of what is ranked: scores compare only within one.
    public let groups: Int
    /// Why systems are not ranked though some clip is tagged (one system only, say), or why
    /// nothing is: no answer yet.
    public let note: String?

    /// The ranking of one criterion's current answers.
    public init(_ batch: BatchPairwise) {
        criterion = batch.criterion.id
        var note: String?
        if batch.data.count == 0 {
            subject = .clips; rows = []; comparisons = 0; groups = 0
            self.note = "no answer yet"
            return
        }
        if batch.system.contains(where: { $0 != nil }) {
            switch Leaderboard.make(batch.data, system: batch.system) {
            case .success(let board):
                subject = .systems
                rows = Self.rows(board.result, names: board.systems)
                comparisons = board.data.count
                groups = board.result.groups
                self.note = board.untagged > 0 ? "\(board.untagged) comparisons with an untagged clip left out" : nil
                return
            case .failure(let reason):
                note = "clips, not systems: " + reason.reason
            }
        }
        let result = Pairwise.fit(batch.data)
        subject = .clips
        rows = Self.rows(result, names: batch.data.items)
        comparisons = batch.data.count
        groups = result.groups
        self.note = note
    }

    /// Rows of a fit, best first. Items never compared (a pool clip of no answered pair)
    /// are left out: they have nothing to rank.
    static func rows(_ result: PairwiseResult, names: [String]) -> [Row] {
        let rows = result.items.compactMap { s -> Row? in
            let n = s.wins + s.losses + s.ties
            guard n > 0 else { return nil }
            switch s.fit {
            case .scored(let score, _):
                return Row(name: names[s.item], score: score, low: s.ci95?.0, high: s.ci95?.1, comparisons: n, regularised: false)
            case .undefined(_, let regularised):
                return Row(name: names[s.item], score: regularised, low: nil, high: nil, comparisons: n, regularised: regularised != nil)
            }
        }
        return rows.sorted { x, y in
            switch (x.score, y.score) {
            case let (a?, b?) where a != b: return a > b
            case (.some, nil): return true
            case (nil, .some): return false
            default: return x.name < y.name
            }
        }
    }
}
