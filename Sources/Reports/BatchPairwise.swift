import Pairwise
import Rubric
import Store

/// A pairwise batch's current answers to one criterion as Pairwise's `Comparisons`
/// (docs/pairwise.md "Projects"): what `pairwise --batch`, the report's Preferences section,
/// the leaderboard, the gate and the adaptive planner all read, so they count the same
/// comparisons. Strength words are kept in `choices` but the scaling models use the winner
/// only (docs/pairwise.md says why).
public struct BatchPairwise: Sendable {
    public let criterion: Criterion
    public let data: Comparisons
    /// Per clip (index of `data.items`): its system and group tags, nil when untagged.
    public let system: [String?]
    public let group: [String?]
    /// Per comparison: the stored answer read back.
    public let choices: [PairChoice]
    /// Per comparison: milliseconds the rater took, when recorded.
    public let dwellMs: [Int?]
    /// The batch's pairs (answered or not): indices into `data.items`.
    public let pairA: [Int32]
    public let pairB: [Int32]

    /// nil when the criterion is not pairwise; answers that are not a pairwise value (which
    /// Store's checks make impossible) are left out rather than guessed.
    public init?(_ stored: BatchComparisons, criterion: Criterion) {
        guard criterion.isPairwise else { return nil }
        var rater = [Int32](), a = [Int32](), b = [Int32](), outcome = [Comparisons.Outcome](), left = [Int8]()
        var choices = [PairChoice](), dwell = [Int?]()
        let n = stored.value.count
        rater.reserveCapacity(n); a.reserveCapacity(n); b.reserveCapacity(n); outcome.reserveCapacity(n)
        var anyLeft = false
        for k in 0..<n {
            guard let choice = PairChoice(value: stored.value[k]) else { continue }
            rater.append(stored.rater[k]); a.append(stored.a[k]); b.append(stored.b[k])
            switch choice.winner {
            case .a: outcome.append(.a)
            case .b: outcome.append(.b)
            case .tie: outcome.append(.tie)
            }
            let side = k < stored.shownLeft.count ? stored.shownLeft[k] : -1
            anyLeft = anyLeft || side >= 0
            left.append(side)
            choices.append(choice)
            dwell.append(k < stored.dwellMs.count ? stored.dwellMs[k] : nil)
        }
        self.criterion = criterion
        self.data = Comparisons(items: stored.clips, raters: stored.raters, rater: rater, a: a, b: b, outcome: outcome,
                                shownLeft: anyLeft ? left : [])
        self.system = stored.system.count == stored.clips.count ? stored.system : Array(repeating: nil, count: stored.clips.count)
        self.group = stored.group.count == stored.clips.count ? stored.group : Array(repeating: nil, count: stored.clips.count)
        self.choices = choices
        self.dwellMs = dwell
        self.pairA = stored.pairA
        self.pairB = stored.pairB
    }

    /// The pairwise criteria of a rubric, in rubric order.
    public static func criteria(_ rubric: Rubric) -> [Criterion] { rubric.criteria.filter(\.isPairwise) }
}
