import Rubric

/// Which side of the screen a clip of a pair is shown on. The rater only ever sees sides:
/// which clip is clip a of the pair is the project's business (docs/pairwise.md, "Workbench").
public enum PairSide: String, Sendable, Equatable {
    case left, right

    public var other: PairSide { self == .left ? .right : .left }
}

/// The keys of a pairwise criterion, between what the rater sees and what is stored.
///
/// `1` left better, `2` right better, `3` the same (only when the criterion has `tie: true`).
/// With a strength scale, a win takes a second key: `1` then `1`…`n` for the strengths,
/// strongest first as the rubric lists them (`1 1` left much better, `1 2` left better).
/// The same three keys mean the same thing in every pairwise rubric, and a strength is never
/// guessed from how often a key was pressed.
///
/// Answers are stored relative to the pair (`a`, `b`, `tie`, `a/better`; `PairChoice`): the
/// side a rater saw clip a on (`PairShown.leftIsA`, randomised per rater) turns "left" into
/// a or b, so two raters who saw the pair in opposite orders give comparable answers.
enum PairKeys {
    /// What key `c` says of a pairwise criterion: a side that won, the same (`.some(nil)`),
    /// or nothing (nil: not one of its keys).
    static func winner(forKey c: Character) -> PairSide?? {
        switch c {
        case "1": return .some(.left)
        case "2": return .some(.right)
        case "3": return .some(nil)
        default: return nil
        }
    }

    /// The stored value for a win of `side` (nil: the same) at `strength`, as the rater's
    /// screen showed the pair.
    static func value(winner side: PairSide?, strength: String? = nil, leftIsA: Bool) -> String {
        guard let side else { return PairChoice(winner: .tie).value }
        let clip: PairChoice.Winner = (side == .left) == leftIsA ? .a : .b
        return PairChoice(winner: clip, strength: strength).value
    }

    /// A stored value as this rater's screen shows it: the side that won (nil: the same)
    /// and its strength; nil for a value that is no pairwise answer.
    static func shown(_ value: String, leftIsA: Bool) -> (winner: PairSide?, strength: String?)? {
        guard let choice = PairChoice(value: value) else { return nil }
        switch choice.winner {
        case .tie: return (nil, nil)
        case .a: return (leftIsA ? .left : .right, choice.strength)
        case .b: return (leftIsA ? .right : .left, choice.strength)
        }
    }

    /// "left better", "right much better", "the same".
    static func label(winner side: PairSide?, strength: String?) -> String {
        guard let side else { return "the same" }
        return "\(side.rawValue) " + words(strength ?? "better")
    }

    /// A stored value in the rater's words ("left better"), the value itself if it is none.
    static func label(_ value: String, leftIsA: Bool) -> String {
        guard let shown = shown(value, leftIsA: leftIsA) else { return value }
        return label(winner: shown.winner, strength: shown.strength)
    }

    /// A strength slug as words: "much-better" → "much better".
    static func words(_ slug: String) -> String { slug.replacingOccurrences(of: "-", with: " ") }

    /// The answers' keys for the rubric pane: "1 left better  2 right better  3 the same",
    /// the chosen one in brackets ("[1 left much better]"); with a strength scale the wins'
    /// keys read "1 left" and "2 right", the strengths are `strengthLine`.
    static func optionsLine(_ preference: Preference, answer: String?, leftIsA: Bool) -> String {
        let chosen = answer.flatMap { shown($0, leftIsA: leftIsA) }
        var parts: [String] = []
        for (key, side) in [("1", PairSide?.some(.left)), ("2", .some(.right)), ("3", nil)] {
            if side == nil && !preference.tie { continue }
            let isChosen = chosen.map { $0.winner == side } ?? false
            let text: String
            if isChosen { text = label(winner: side, strength: chosen?.strength) }
            else if side == nil || preference.strengths.isEmpty { text = label(winner: side, strength: nil) }
            else { text = side!.rawValue + " …" }
            parts.append(isChosen ? "[\(key) \(text)]" : "\(key) \(text)")
        }
        return parts.joined(separator: "  ")
    }

    /// "then 1 much better · 2 better" under the wins of a criterion with a strength scale.
    static func strengthLine(_ preference: Preference) -> String {
        "then " + preference.strengths.enumerated().map { "\($0.offset + 1) \(words($0.element))" }.joined(separator: " · ")
    }
}
