import Pairwise
import Rubric
import Store

extension PreferencesSection {
    /// The section of a batch: each pairwise criterion of `rubric`, in rubric order, with the
    /// current answers Store read for it (`ReportInputs.comparisons`); nil when the rubric
    /// has no pairwise criterion, so such a batch has no section. People's answers only,
    /// unless `includeModels`, as the rest of the report counts them. Clips are named by
    /// their pool item's number when not `namingClips` (an auditor's report names no clip:
    /// docs/security.md), as the Scores section numbers them.
    public static func make(rubric: Rubric, comparisons: [String: BatchComparisons], includeModels: Bool = false,
                            namingClips: Bool = true, options: PairwiseOptions = PairwiseOptions()) throws -> PreferencesSection? {
        let criteria = BatchPairwise.criteria(rubric)
        guard !criteria.isEmpty else { return nil }
        let batches = criteria.compactMap { criterion -> BatchPairwise? in
            var stored = comparisons[criterion.id] ?? BatchComparisons()
            if !includeModels { stored = people(stored) }
            if !namingClips { stored.clips = stored.items.count == stored.clips.count ? stored.items.map { "\($0)" } : stored.clips.indices.map { "clip \($0 + 1)" } }
            return BatchPairwise(stored, criterion: criterion)
        }
        return try PreferencesSection(batches, options: options)
    }

    /// The answers of raters who are not models (`raterIsModel`); all when roles are unknown.
    static func people(_ c: BatchComparisons) -> BatchComparisons {
        guard c.raterIsModel.count == c.raters.count, c.raterIsModel.contains(true) else { return c }
        var out = c
        out.rater = []; out.a = []; out.b = []; out.value = []; out.shownLeft = []; out.dwellMs = []
        for k in c.rater.indices where !c.raterIsModel[Int(c.rater[k])] {
            out.rater.append(c.rater[k]); out.a.append(c.a[k]); out.b.append(c.b[k]); out.value.append(c.value[k])
            if k < c.shownLeft.count { out.shownLeft.append(c.shownLeft[k]) }
            if k < c.dwellMs.count { out.dwellMs.append(c.dwellMs[k]) }
        }
        return out
    }
}
