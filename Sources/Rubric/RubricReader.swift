import Yams
import Printable

/// Validates a composed YAML tree into a `Rubric`, collecting every problem on the way.
///
/// Each part is read even when an earlier part was wrong, so one run reports everything;
/// a part whose own problems make a later check meaningless (a `when` naming a criterion
/// whose options are broken) skips that check rather than piling on consequential errors.
struct RubricReader {
    var log: ProblemLog

    static let topLevelKeys = ["name", "title", "instructions", "require_full_view", "criteria"]

    /// What later criteria need to know about an earlier one: where its id is (for
    /// duplicates), its scale (for `when` on text) and the criterion itself if it was valid
    /// (for checking `when` values).
    struct Earlier {
        let line: Int
        let scale: Scale?
        let criterion: Criterion?
    }

    init(file: String) { log = ProblemLog(file: file) }

    mutating func rubric(from root: Node) -> Rubric? {
        guard case .mapping(let mapping) = root else {
            log.add("a rubric is a mapping with keys \(Self.topLevelKeys.joined(separator: ", ")); found \(root.found)", at: root)
            return nil
        }
        let fields = Fields(root, mapping: mapping, log: &log)
        fields.rejectUnknownKeys(allowed: Self.topLevelKeys, place: "", log: &log)
        let name = fields.required("name", place: "", log: &log).flatMap { Read.slug($0, "name", log: &log) }
        let title = fields["title"].flatMap { Read.text($0, "title", log: &log) }
        let instructions = fields["instructions"].flatMap { Read.text($0, "instructions", log: &log) }
        let fullView = fields["require_full_view"].flatMap { Read.bool($0, "require_full_view", log: &log) }
        let criteria = fields.required("criteria", place: "", log: &log).flatMap { criteriaList($0) }
        guard log.isEmpty, let name, let criteria else { return nil }
        return Rubric(name: name, title: title ?? name, instructions: instructions ?? "", criteria: criteria,
                      requireFullView: fullView ?? false)
    }

    private mutating func criteriaList(_ node: Node) -> [Criterion]? {
        guard case .sequence(let sequence) = node else {
            log.add("criteria must be a list of criteria; found \(node.found)", at: node)
            return nil
        }
        guard !sequence.isEmpty else {
            log.add("criteria must not be empty", at: node)
            return nil
        }
        var earlier: [String: Earlier] = [:]
        var criteria: [Criterion] = []
        var firstKind: CriterionDraft?
        for (index, item) in sequence.enumerated() {
            let draft = criterion(item, position: index + 1, earlier: earlier)
            if let id = draft.id, let idNode = draft.idNode {
                if let first = earlier[id] {
                    log.add("duplicate criterion id \(quoted(id)) (first at line \(first.line))", at: idNode)
                } else {
                    earlier[id] = Earlier(line: idNode.mark?.line ?? 0, scale: draft.scale, criterion: draft.criterion)
                }
            }
            checkKind(draft, firstKind: &firstKind)
            if let criterion = draft.criterion { criteria.append(criterion) }
        }
        return criteria.count == sequence.count ? criteria : nil
    }

    /// A rubric's criteria are all pairwise or all about one clip: a rater answers them for
    /// the same thing on one screen, a pair or a clip. Text criteria (notes) go with either.
    /// `firstKind` is the first criterion that is not text, once there is one.
    private mutating func checkKind(_ draft: CriterionDraft, firstKind: inout CriterionDraft?) {
        guard let isPairwise = draft.isPairwise, draft.scale != .text else { return }
        guard let first = firstKind, let firstIsPairwise = first.isPairwise else {
            firstKind = draft
            return
        }
        guard isPairwise != firstIsPairwise, let node = draft.kindNode else { return }
        func described(_ d: CriterionDraft) -> String {
            let name = "criterion " + (d.id.map { quoted($0) } ?? "at line \(d.kindNode?.mark?.line ?? 0)")
            return name + (d.isPairwise == true ? " is pairwise" : " rates one clip")
        }
        log.add("\(described(draft)), but \(described(first)) (line \(first.kindNode?.mark?.line ?? 0)); "
                + "a rubric's criteria are all pairwise (type: pairwise) or all about one clip; text criteria may join either",
                at: node)
    }
}
