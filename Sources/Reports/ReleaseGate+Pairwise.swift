import Pairwise
import Printable
import Store

/// `gate --pairwise C --system NEW --beats OLD [--confidence 0.95]` (docs/release-gate-and-judges.md,
/// docs/pairwise.md "Release gate"): the release decision between two models from side-by-side
/// preferences. On the batch's leaderboard (every comparison of clips of two different
/// systems, Bradley–Terry by default), NEW passes when the one-sided lower confidence bound of
/// score(NEW) − score(OLD),
///
///     d̂ − Φ⁻¹(confidence)·SE(d̂),   SE from the scores' covariance (Leaderboard),
///
/// is above 0 — the same as P(score NEW > score OLD) = Φ(d̂/SE) above `confidence` under the
/// normal approximation. Conservative like the other checks: a difference that does not exist
/// (a system never losing, the two never linked) fails with the reason.
public struct PairwiseVerdict: Sendable {
    public let criterion: String
    public let system: String
    public let beats: String
    public let confidence: Double
    public let model: PairwiseModel
    public let ties: TieModel
    /// Comparisons between systems the leaderboard rests on, and how many systems.
    public let comparisons: Int
    public let systems: Int
    /// NEW against OLD directly: NEW preferred, OLD preferred, ties.
    public let direct: (wins: Int, losses: Int, ties: Int)
    public let difference: Result<Leaderboard.Difference, Leaderboard.Undefined>
    public let scores: (system: ItemScore, beats: ItemScore)

    /// Refuses (exit 2, with the choices) a system the batch's compared clips do not have,
    /// and a batch whose clips carry no system tags.
    public init(_ input: PairwiseBatchInput, system: String, beats: String, confidence: Double,
                options: PairwiseOptions = PairwiseOptions()) throws {
        let criterion = input.pairwise.criterion.id
        let board: Leaderboard
        switch Leaderboard.make(input.pairwise.data, system: input.pairwise.system, options: options) {
        case .failure(let why):
            let hint = input.pairwise.data.count == 0 ? "rate some pairs with concord rate"
                : "tag each clip with its system (concord clip add --system S)"
            throw StoreError(.input, "\(criterion): \(why.reason); \(hint)")
        case .success(let b): board = b
        }
        for name in [system, beats] where !board.systems.contains(name) {
            throw StoreError(.input, "no system \(quoted(name)) among the clips compared on \(criterion); systems: \(board.systems.map { quoted($0) }.joined(separator: ", "))")
        }
        let x = board.systems.firstIndex(of: system)!, y = board.systems.firstIndex(of: beats)!
        var direct = (wins: 0, losses: 0, ties: 0)
        let d = board.data
        for k in 0..<d.count where (Int(d.a[k]) == x && Int(d.b[k]) == y) || (Int(d.a[k]) == y && Int(d.b[k]) == x) {
            switch d.outcome[k] {
            case .tie: direct.ties += 1
            case .a: if Int(d.a[k]) == x { direct.wins += 1 } else { direct.losses += 1 }
            case .b: if Int(d.b[k]) == x { direct.wins += 1 } else { direct.losses += 1 }
            }
        }
        self.criterion = criterion; self.system = system; self.beats = beats; self.confidence = confidence
        self.model = board.result.model; self.ties = board.result.ties
        self.comparisons = d.count; self.systems = board.systems.count; self.direct = direct
        self.difference = board.difference(system, beats)
        self.scores = (board.result.items[x], board.result.items[y])
    }

    /// 0.95 as "95%", 0.975 as "97.5%".
    public static func percent(_ confidence: Double) -> String {
        var level = PairwiseReport.fixed(confidence * 100)
        while level.hasSuffix("0") { level.removeLast() }
        if level.hasSuffix(".") { level.removeLast() }
        return level + "%"
    }

    public var lowerBound: Double? { (try? difference.get())?.lowerBound(confidence: confidence) }
    public var passed: Bool { (lowerBound ?? -1) > 0 }

    /// The gate's line: the lower bound against 0, with the estimate, P(above) and the scores.
    public var check: ReleaseGate.Check {
        let level = Self.percent(confidence)
        func score(_ name: String, _ item: ItemScore) -> String {
            guard let s = item.score else { return "\(name) no score" }
            return "\(name) \(PairwiseReport.fixed(s))" + (item.ci95.map { " [\(PairwiseReport.fixed($0.0)), \(PairwiseReport.fixed($0.1))]" } ?? "")
        }
        var notes = [String]()
        switch difference {
        case .success(let diff):
            notes.append("P(\(system) above \(beats)) \(PairwiseReport.fixed(diff.probabilityAbove)) \(diff.probabilityAbove > confidence ? ">" : "≤") \(PairwiseReport.fixed(confidence))")
            notes.append("one-sided \(level) lower bound of score(\(system)) − score(\(beats)), SE \(PairwiseReport.fixed(diff.standardError))")
        case .failure(let why):
            notes.append("undefined: \(why.reason)")
        }
        notes.append(score(system, scores.system) + "; " + score(beats, scores.beats))
        notes.append("\(system) preferred \(direct.wins), \(beats) \(direct.losses), ties \(direct.ties) head to head; \(comparisons) comparisons between \(systems) systems")
        return ReleaseGate.Check(subject: "\(criterion) · \(system) vs \(beats)", statistic: ReleaseGate.pairwiseStatistic,
                                 value: lowerBound, estimate: (try? difference.get())?.estimate, threshold: 0, passed: passed,
                                 note: notes.joined(separator: "; "))
    }
}

extension ReleaseGate {
    /// The check's JSON name: the lower confidence bound of the score difference.
    public static let pairwiseStatistic = "pairwise_difference_lower_bound"
}
