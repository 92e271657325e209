import Rubric
import Store

extension BatchScores {
    /// The criterion `status --batch`, `status --target-ci` and `assign --until-ci` score:
    /// the one named, or the rubric's only ordinal or numeric one. Refuses, in one line that
    /// says what to do, a name the rubric lacks, a nominal or text criterion (`refusal`),
    /// and a rubric with several candidates and no name.
    public static func criterion(in rubric: Rubric, named name: String?) throws -> Criterion {
        let scored = scoredCriteria(rubric)
        let list = scored.isEmpty ? "it has none" : "scored criteria: \(scored.map(\.id).joined(separator: ", "))"
        if let name {
            guard let criterion = rubric.criterion(name) else {
                throw StoreError(.input, "the rubric \(quoted(rubric.name)) has no criterion \(quoted(name)); \(list)")
            }
            if let refusal = refusal(criterion) { throw StoreError(.input, refusal) }
            return criterion
        }
        guard scored.count == 1 else {
            throw StoreError(.input, scored.isEmpty ? "the rubric \(quoted(rubric.name)) has no ordinal or numeric criterion to score"
                                                    : "the rubric \(quoted(rubric.name)) has several scored criteria; choose one with --criterion (\(list))")
        }
        return scored[0]
    }

    /// The rubric's ordinal and numeric criteria, in its order.
    public static func scoredCriteria(_ rubric: Rubric) -> [Criterion] {
        rubric.criteria.filter { refusal($0) == nil }
    }
}
