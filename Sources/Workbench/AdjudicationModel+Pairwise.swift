import Reports
import Rubric
import Store

/// The lead's keys on a pairwise criterion (docs/adjudication.md "Pairwise batches"). The
/// final value is stored relative to the pair, as the raters' answers are: `1` clip a
/// better, `2` clip b better, `3` the same (when the criterion allows a tie). The lead is
/// never shown a randomised side: the screen names clip a and clip b, and `Tab` flips the
/// picture between them. With a strength scale, `1` or `2` is followed by the strength's
/// number (1 the strongest, as the rubric lists them), then the reason as for any criterion.
extension AdjudicationModel {
    /// What a key gives on a pairwise criterion.
    enum PairKey: Equatable {
        /// A complete stored value ("a", "tie", …).
        case value(String)
        /// A win whose strength comes next.
        case needsStrength(winner: String)
        /// Not an answer here; the message says which keys are.
        case refused(String)
    }

    /// `1` a, `2` b, `3` tie; nil for any other key (it may mean something else).
    static func pairKey(_ c: Character, criterion: Criterion) -> PairKey? {
        guard let preference = criterion.preference else { return nil }
        switch c {
        case "1", "2":
            let winner = c == "1" ? "a" : "b"
            return preference.strengths.isEmpty ? .value(winner) : .needsStrength(winner: winner)
        case "3":
            return preference.tie ? .value("tie") : .refused("\(criterion.id) has no tie: 1 a better · 2 b better")
        default:
            return c.isNumber ? .refused("\(c) is not an answer of \(criterion.id); \(pairKeys(criterion))") : nil
        }
    }

    /// "1 a better · 2 b better · 3 tie", as the message line and the entry pane say it.
    static func pairKeys(_ criterion: Criterion) -> String {
        "1 a better · 2 b better" + (criterion.preference?.tie == true ? " · 3 tie" : "")
    }

    /// "1 much-better · 2 better": the strength step's keys, strongest first.
    static func strengthKeys(_ criterion: Criterion) -> String {
        (criterion.preference?.strengths ?? []).enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: " · ")
    }

    /// How a stored pairwise value reads: "a better", "b much-better", "tie"; the value
    /// itself when it is not one.
    public static func pairText(_ value: String) -> String {
        guard let choice = PairChoice(value: value) else { return value }
        switch choice.winner {
        case .tie: return "tie"
        case .a, .b: return "\(choice.winner.rawValue) \(choice.strength ?? "better")"
        }
    }

    /// A pairwise key in the normal mode (`gold` false) or while choosing a gold answer.
    mutating func pairwise(_ c: Character, criterion: Criterion, gold: Bool) -> AdjudicationAction {
        switch Self.pairKey(c, criterion: criterion) {
        case .value(let value)?:
            if gold { mode = .normal; return .addGold(value: value) }
            mode = .reason(value: value)
        case .needsStrength(let winner)?:
            mode = .strength(winner: winner, gold: gold)
            message = "how much better is \(winner)? " + Self.strengthKeys(criterion) + " (Esc cancels)"
        case .refused(let text)?: message = text
        case nil: message = "\(c) is not an answer of \(criterion.id); " + Self.pairKeys(criterion)
        }
        return .none
    }

    /// The strength step: its number completes the value ("a/much-better").
    mutating func strength(_ key: Key, winner: String, gold: Bool) -> AdjudicationAction {
        guard let criterion, let strengths = criterion.preference?.strengths else { mode = .normal; return .none }
        switch key {
        case .char(let c):
            guard let n = c.wholeNumberValue, n >= 1, n <= strengths.count else {
                message = "how much better is \(winner)? " + Self.strengthKeys(criterion) + " (Esc cancels)"
                return .none
            }
            message = nil
            let value = PairChoice(winner: winner == "a" ? .a : .b, strength: strengths[n - 1]).value
            if gold { mode = .normal; return .addGold(value: value) }
            mode = .reason(value: value)
        case .escape, .backspace:
            mode = .normal
            message = gold ? "gold answer cancelled" : "decision cancelled"
        default: break
        }
        return .none
    }
}
