import Yams
import Printable

/// `type: pairwise`: a criterion about the two clips of a pair (docs/rubrics.md, "Pairwise
/// criteria"). Its answers are fixed by `tie` and `strength`, so it has no `scale`,
/// `options`, `range` or `step` of its own.
extension RubricReader {
    /// The only `type` there is; a criterion without `type` is about one clip.
    static let pairwiseType = "pairwise"

    /// Strength words beyond this would leave some answers without a default key (1-9, 0):
    /// 2 × 4 wins and a tie are 9 answers.
    static let maxStrengths = 4

    /// Keys that only a one-clip criterion has.
    static let oneClipKeys = ["scale", "options", "range", "step"]
    /// Keys that only a pairwise criterion has.
    static let pairwiseKeys = ["tie", "strength"]

    /// true for `type: pairwise`; nil (after a problem) for anything else.
    mutating func criterionType(_ node: Node) -> Bool? {
        if node.text == Self.pairwiseType { return true }
        log.add("type must be \(Self.pairwiseType) (leave it out for a criterion about one clip); found \(node.found)", at: node)
        return nil
    }

    /// `tie` and `strength` of a pairwise criterion, with `scale`, `options`, `range` and
    /// `step` refused; nil when any of it has a problem.
    mutating func preferencePart(_ fields: Fields) -> Preference? {
        let tie = fields["tie"].map { Read.bool($0, "tie", log: &log) } ?? false
        let strengths = fields["strength"].map { strengthList($0) } ?? []
        let answers = Preference(tie: tie ?? false, strengths: strengths ?? []).values.joined(separator: ", ")
        for key in Self.oneClipKeys {
            guard let keyNode = fields.keyNode(key) else { continue }
            log.add("\(key) is not allowed for a pairwise criterion; its answers are fixed: \(answers) "
                    + "(set by tie: true|false and strength: [strongest, ..., weakest])", at: keyNode)
        }
        guard let tie, let strengths else { return nil }
        return Preference(tie: tie, strengths: strengths)
    }

    /// `tie` and `strength` on a criterion about one clip.
    mutating func rejectPairwiseKeys(_ fields: Fields) {
        for key in Self.pairwiseKeys {
            guard let keyNode = fields.keyNode(key) else { continue }
            log.add("\(key) is only for a pairwise criterion; add type: pairwise, or leave \(key) out", at: keyNode)
        }
    }

    /// `strength: [much-better, better]`: one to four slugs, strongest first, each once. A
    /// single word may be written without brackets.
    private mutating func strengthList(_ node: Node) -> [String]? {
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar where !node.isNull: items = [node]
        default:
            log.add("strength must be a list of words, strongest first (e.g. [much-better, better]); found \(node.found)", at: node)
            return nil
        }
        guard (1...Self.maxStrengths).contains(items.count) else {
            log.add("strength must list 1 to \(Self.maxStrengths) words, strongest first; found \(items.count)", at: node)
            return nil
        }
        var words: [String] = []
        var fine = true
        for item in items {
            guard let word = Read.slug(item, "strength", log: &log) else { fine = false; continue }
            if word == "same" || word == "tie" {
                // "a/same" would read as a win; the tie is its own answer.
                log.add("strength \(quoted(word)) is not a strength of a win; use tie: true for 'the same'", at: item)
                fine = false
            } else if words.contains(word) {
                log.add("strength lists \(quoted(word)) twice", at: item)
                fine = false
            }
            words.append(word)
        }
        return fine ? words : nil
    }

    /// The answers a pairwise criterion offers, as options: the stored values in
    /// `Preference.values` order (so ordinal agreement sees b-strongest < … < a-strongest),
    /// labelled for people. Keys go by position like any option's; the workbench maps its
    /// own 1/2/3 by screen side instead (docs/rubrics.md, "Pairwise criteria").
    static func pairwiseOptions(_ preference: Preference) -> [Option] {
        preference.values.enumerated().map { index, value in
            Option(value: value, label: pairwiseLabel(value), key: defaultKeys[index], description: nil)
        }
    }

    /// "A better", "B better", "the same", "A much-better".
    static func pairwiseLabel(_ value: String) -> String {
        guard let choice = PairChoice(value: value) else { return value }
        switch choice.winner {
        case .tie: return "the same"
        case .a, .b: return choice.winner.rawValue.uppercased() + " " + (choice.strength ?? "better")
        }
    }
}
