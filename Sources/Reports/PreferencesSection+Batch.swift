import Pairwise
import Rubric
import Store

extension PreferencesSection {
    /// The section of a batch: each pairwise criterion of `rubric`, in rubric order, with the
    /// current answers Store read for it (`ReportInputs.comparisons`); nil when the rubric
    /// has no pairwise criterion, so such a batch has no section. People's answers only,
    /// unless `includeModels`, as the rest of the report counts them. Clips are named
    /// `ITEM:CLIP` by their pool item, or by the item's number alone when not `namingClips`
    /// (an auditor's report names no clip: docs/security.md), as the Scores section names them.
    public static func make(rubric: Rubric, comparisons: [String: BatchComparisons], includeModels: Bool = false,
                            namingClips: Bool = true, options: PairwiseOptions = PairwiseOptions()) throws -> PreferencesSection? {
        let criteria = BatchPairwise.criteria(rubric)
        guard !criteria.isEmpty else { return nil }
        // The answers kept and the clips named as `concord pairwise --batch` keeps and names them.
        let batches = criteria.compactMap { criterion in
            PairwiseBatchInput(comparisons[criterion.id] ?? BatchComparisons(), criterion: criterion, includeModels: includeModels,
                               namingClips: namingClips)?.pairwise
        }
        return try PreferencesSection(batches, options: options)
    }
}
