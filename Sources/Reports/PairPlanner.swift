import Pairwise
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
    /// mode (ignored for all-within-group); `seed` makes the plan reproducible.
    public static func plan(_ session: ProjectSession, batch: String, criterion: String?, raters: [String], mode: Mode,
                            perRater: Int?, seed: UInt64) throws -> [PairPlanEntry] {
        throw StoreError(.input, "assign --pairs is not built yet")
    }
}
