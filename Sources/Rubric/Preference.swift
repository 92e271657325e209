/// What makes a criterion pairwise (`type: pairwise`, docs/rubrics.md "Pairwise criteria"):
/// the rater sees two clips of a pair side by side and says which is better.
///
/// Answers are stored relative to the pair as the project recorded it (clip a, clip b),
/// never relative to the screen: the workbench shows a or b on the left as the rater's
/// assignment says (randomised per rater and pair), and maps "left better" back to a or b.
/// So position bias can be measured and cancelled, and two raters who saw the pair in
/// opposite orders still give comparable answers.
public struct Preference: Sendable, Equatable {
    /// Whether "the same" is an answer (key 3 in the workbench).
    public let tie: Bool
    /// Optional strength words for a win, strongest first (e.g. much-better, better).
    /// Empty: a win is just a win.
    public let strengths: [String]

    public init(tie: Bool, strengths: [String]) {
        self.tie = tie
        self.strengths = strengths
    }

    /// The stored values, in the order agreement treats them as ordinal (b strongest first,
    /// then weaker b wins, the tie, then a's wins weakest to strongest): `a`, `b`, `tie`
    /// without strengths; `b/much-better`, `b/better`, `tie`, `a/better`, `a/much-better`
    /// with them.
    public var values: [String] {
        if strengths.isEmpty { return ["a", "b"] + (tie ? ["tie"] : []) }
        return strengths.map { "b/" + $0 } + (tie ? ["tie"] : []) + strengths.reversed().map { "a/" + $0 }
    }
}

/// One stored pairwise answer, read back: who won and how strongly.
public struct PairChoice: Sendable, Equatable {
    public enum Winner: String, Sendable { case a, b, tie }
    public let winner: Winner
    /// The strength word, when the criterion has a strength scale and this is a win.
    public let strength: String?

    public init(winner: Winner, strength: String? = nil) {
        self.winner = winner
        self.strength = strength
    }

    /// Reads a stored value (`a`, `b`, `tie`, `a/better`, …); nil for anything else.
    public init?(value: String) {
        if value == "tie" { self.init(winner: .tie); return }
        let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let winner = Winner(rawValue: String(first)), winner != .tie else { return nil }
        if parts.count == 1 { self.init(winner: winner); return }
        guard !parts[1].isEmpty else { return nil }
        self.init(winner: winner, strength: String(parts[1]))
    }

    /// The stored spelling.
    public var value: String {
        switch winner {
        case .tie: return "tie"
        case .a, .b: return strength.map { winner.rawValue + "/" + $0 } ?? winner.rawValue
        }
    }
}
