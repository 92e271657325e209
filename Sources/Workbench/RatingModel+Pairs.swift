import Rubric
import Store

/// The rater's keys on a pair item (docs/pairwise.md, "Workbench"): `1` left better, `2`
/// right better, `3` the same, mapped to the stored a/b through the side the rater sees
/// clip a on (`PairKeys`); a strength key after a win when the criterion has a strength
/// scale; `Tab` flips the clip shown when one is shown at a time.
extension RatingModel {
    /// How the item at `i` is named in messages: its clip, or for a pair its place in the
    /// queue (a clip's name often names the model that made it, and raters stay blind to
    /// the model).
    func name(of i: Int) -> String {
        let entry = queue.entries[i]
        return entry.pair == nil ? entry.clip : "pair \(i + 1)"
    }

    /// `Tab` on a pair shown one clip at a time: the other clip. False when Tab means
    /// something else here (the next criterion).
    mutating func flipSide() -> Bool {
        guard oneAtATime, entry?.pair != nil else { return false }
        shownSide = shownSide.other
        message = "showing the \(shownSide.rawValue) clip · Tab shows the \(shownSide.other.rawValue) one"
        return true
    }

    /// A key on a focused pairwise criterion.
    mutating func pairKey(_ c: Character, _ criterion: Criterion) {
        guard let preference = criterion.preference else { return }
        guard let pair = entry?.pair else {
            message = "\(criterion.id) compares the two clips of a pair, and this item has one clip: s skips it (say why), or ask the lead"
            return
        }
        guard let winner = PairKeys.winner(forKey: c) else {
            message = "\(c) is not an answer of \(criterion.id): " + Self.pairKeysText(preference)
            return
        }
        guard let side = winner else {
            guard preference.tie else {
                message = "\(criterion.id) has no \"the same\": 1 left better or 2 right better"
                return
            }
            answer(criterion, PairKeys.value(winner: nil, leftIsA: pair.leftIsA))
            message = "\(criterion.id): the same"
            return
        }
        guard preference.strengths.isEmpty else {
            mode = .strength(side)
            return
        }
        answer(criterion, PairKeys.value(winner: side, leftIsA: pair.leftIsA))
        message = "\(criterion.id): \(PairKeys.label(winner: side, strength: nil))"
    }

    /// The strength's key after a win (`1 2`: left, the second strength); Esc takes the win
    /// back, any other key says what is expected.
    mutating func strength(_ key: Key, winner side: PairSide) -> Command {
        guard let criterion = focusedCriterion, let preference = criterion.preference, let pair = entry?.pair else {
            mode = .normal
            return .none
        }
        switch key {
        case .escape:
            mode = .normal
        case .char(let c):
            guard let n = c.wholeNumberValue, (1...preference.strengths.count).contains(n), c.isASCII else {
                message = "\(c) is no strength: " + Self.strengthPrompt(side, preference)
                return .none
            }
            mode = .normal
            let strength = preference.strengths[n - 1]
            answer(criterion, PairKeys.value(winner: side, strength: strength, leftIsA: pair.leftIsA))
            message = "\(criterion.id): \(PairKeys.label(winner: side, strength: strength))"
        default:
            message = Self.strengthPrompt(side, preference)
        }
        return .none
    }

    /// "1 left better · 2 right better · 3 the same" (no 3 without a tie).
    static func pairKeysText(_ preference: Preference) -> String {
        let wins = preference.strengths.isEmpty ? ["1 left better", "2 right better"] : ["1 left", "2 right"]
        return (wins + (preference.tie ? ["3 the same"] : [])).joined(separator: " · ")
    }

    /// "left — how much better? 1 much better · 2 better · Esc takes it back".
    static func strengthPrompt(_ side: PairSide, _ preference: Preference) -> String {
        "\(side.rawValue) — how much better? "
            + preference.strengths.enumerated().map { "\($0.offset + 1) \(PairKeys.words($0.element))" }.joined(separator: " · ")
            + " · Esc takes it back"
    }
}
