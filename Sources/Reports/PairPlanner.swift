import Pairwise
import Rubric
import Store

/// Which pairs each rater gets in a pairwise batch (`concord assign --pairs`,
/// docs/pairwise.md "Choosing pairs"): every pair within each group, or adaptively the pairs
/// that teach most given the answers so far. Plans only; `ProjectSession.assignPairs` writes.
public enum PairPlanner {
    public enum Mode: String, CaseIterable, Sendable {
        case allWithinGroup = "all-within-group"
        case adaptive
    }

    /// The plan for `raters`. `perRater` is how many new pairs each rater gets in adaptive
    /// mode (ignored for all-within-group); `seed` makes the plan reproducible. `criterion`
    /// (adaptive only) is the pairwise criterion whose answers guide the choice; nil: the
    /// rubric's first.
    public static func plan(_ session: ProjectSession, batch: String, criterion: String?, raters: [String], mode: Mode,
                            perRater: Int?, seed: UInt64) throws -> [PairPlanEntry] {
        let raters = try listed(raters)
        let (rubric, assigned) = try session.pairAssignments(batch: batch)
        switch mode {
        case .allWithinGroup:
            return try allWithinGroup(session.pairPool(batch: batch), batch: batch, raters: raters, seed: seed)
        case .adaptive:
            guard let perRater, perRater >= 1 else {
                throw StoreError(.input, "--pairs adaptive needs --per-rater N (1 or more): how many new pairs each rater gets")
            }
            let chosen = try pairwiseCriterion(rubric, named: criterion, batch: batch)
            let stored = try session.comparisons(batch: batch, criterion: chosen.id)
            guard let answers = BatchPairwise(stored, criterion: chosen) else { return [] }
            return try adaptive(answers, batch: batch, raters: raters, assigned: assigned, perRater: perRater, seed: seed)
        }
    }

    /// The raters, each once, in the order given.
    static func listed(_ raters: [String]) throws -> [String] {
        var seen = Set<String>()
        let unique = raters.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { throw StoreError(.input, "no raters to plan pairs for; name them with --raters ann,bob") }
        return unique
    }

    /// `criterion` if the rubric has it and it is pairwise, else the rubric's first pairwise
    /// criterion when none is named.
    static func pairwiseCriterion(_ rubric: Rubric, named name: String?, batch: String) throws -> Criterion {
        let pairwise = BatchPairwise.criteria(rubric)
        guard let name else {
            guard let first = pairwise.first else {
                throw StoreError(.input, "batch \(quoted(batch)) has no pairwise criterion to plan pairs by")
            }
            return first
        }
        guard let found = pairwise.first(where: { $0.id == name }) else {
            throw StoreError(.input, "the rubric \(quoted(rubric.name)) of batch \(quoted(batch)) has no pairwise criterion \(quoted(name)); "
                             + "its pairwise criteria: \(pairwise.map(\.id).joined(separator: ", "))")
        }
        return found
    }
}
