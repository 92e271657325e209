/// A rubric version: what raters answer for each clip, and how each answer is checked.
///
/// A `Rubric` is immutable and identified by `contentHash`, the SHA-256 of its canonical
/// JSON (docs/rubrics.md, "Versions and hashes"). Every label records that hash, and agreement is
/// computed within one version, so two files that differ only in formatting, comments or key
/// order must be the same version, and any change a rater could notice must be a new one.
/// The only way to get a `Rubric` is through validation (`parse`, `load`,
/// `fromCanonicalJSON`), so every value of this type satisfies the rules in docs/rubrics.md.
public struct Rubric: Sendable, Equatable {
    /// A slug (`[a-z0-9][a-z0-9-_]*`): what commands and reports call the rubric.
    public let name: String
    /// For people; defaults to `name`.
    public let title: String
    /// Shown to raters before they start; may be empty.
    public let instructions: String
    /// In the order raters answer them; `when` only ever names an earlier criterion.
    public let criteria: [Criterion]
    /// The workbench refuses to submit an item until the rater has watched the whole clip
    /// (every frame shown at least once, in any order or speed).
    public let requireFullView: Bool
    /// Canonical JSON (sorted keys, no insignificant whitespace, defaults filled in) —
    /// formatting, comments, key order in the YAML do not change it.
    public let canonicalJSON: String
    /// Lowercase hex SHA-256 of canonicalJSON: the rubric version's identity.
    public let contentHash: String

    /// Assembles a validated rubric and derives its identity from its content, so the hash
    /// can never disagree with the fields.
    init(name: String, title: String, instructions: String, criteria: [Criterion], requireFullView: Bool = false) {
        self.name = name
        self.title = title
        self.instructions = instructions
        self.criteria = criteria
        self.requireFullView = requireFullView
        let json = CanonicalJSON.encode(name: name, title: title, instructions: instructions, criteria: criteria,
                                        requireFullView: requireFullView)
        self.canonicalJSON = json
        self.contentHash = CanonicalJSON.sha256Hex(json)
    }

    /// Whether raters compare the two clips of a pair rather than rate one clip: the rubric
    /// has a pairwise criterion (its other criteria are then pairwise or text).
    public var isPairwise: Bool { criteria.contains(where: \.isPairwise) }

    /// The criterion with this id, if the rubric has one.
    public func criterion(_ id: String) -> Criterion? {
        criteria.first { $0.id == id }
    }

    /// Whether `criterion` is shown given earlier answers (criterion id → stored value);
    /// hidden by its `when`.
    ///
    /// Every condition must hold. A condition on a criterion that is itself hidden does not
    /// hold, even if an answer for it is still in `answers`: a rater who changes "present"
    /// from yes to no leaves a stale severity behind, and what depends on severity must hide
    /// with it. `when` names only earlier criteria, so the recursion ends.
    public func isShown(_ criterion: Criterion, answers: [String: String]) -> Bool {
        for (id, accepted) in criterion.when {
            guard let earlier = self.criterion(id),
                  let answer = answers[id],
                  earlier.answer(answer, matchesAnyOf: accepted),
                  isShown(earlier, answers: answers)
            else { return false }
        }
        return true
    }

    /// The criteria a rater still has to answer before an item is complete: shown, required,
    /// and without a non-empty answer. In rubric order.
    public func unanswered(_ answers: [String: String]) -> [Criterion] {
        criteria.filter { criterion in
            criterion.required && isShown(criterion, answers: answers) && (answers[criterion.id] ?? "").isEmpty
        }
    }
}
