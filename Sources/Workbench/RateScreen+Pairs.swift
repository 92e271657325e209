import Rubric

/// What the rating screen draws differently on a pair item (docs/pairwise.md, "Workbench"):
/// a pairwise criterion's keys by screen side, the pair's key hints and help.
extension RateScreen {
    static let pairKeyHelp: [(String, String)] = [
        ("1 2 3", "left better / right better / the same (when allowed)"),
        ("1 1, 2 2 …", "a strength scale: the win, then its strength, 1 strongest"),
        ("Tab", "the other clip, when one is shown at a time"),
        ("j k ↓ ↑", "move between criteria"),
        ("e", "edit the focused text criterion (Enter ends)"),
        ("Enter", "submit a complete item, open the next"),
        ("u", "reopen the previous item (a new revision)"),
        ("s / f", "skip with a reason / flag with a note"),
        ("← →", "one frame back / forward, both clips"),
    ] + ClipPane.keyHelp.map { ($0.0, $0.1 + ", both clips") } + [
        ("? / q", "this help / quit (every submitted item is saved)"),
    ]

    /// The message line's hint on a pair item.
    static func pairHint(_ model: RatingModel) -> String {
        let tab = model.oneAtATime ? " · Tab other clip" : ""
        return "1 left · 2 right · 3 same\(tab) · j/k move · Enter submit · space play both · ? help · q quit"
    }

    /// A criterion's answers as the rubric pane shows them, wrapped to `width` less the
    /// indent: the options with the chosen one in brackets; for a pairwise criterion its
    /// keys by side as this rater sees the pair, then its strengths.
    func optionLines(_ criterion: Criterion, value: String?, model: RatingModel, width: Int) -> [String] {
        guard let preference = criterion.preference else {
            var line = "    "
            for option in criterion.options {
                line += option.value == value ? "[\(option.key) \(option.label)] " : "\(option.key) \(option.label)  "
            }
            return DisplayWidth.wrap(line, width: width - 4)
        }
        let leftIsA = model.entry?.pair?.leftIsA ?? true
        var lines = DisplayWidth.wrap(PairKeys.optionsLine(preference, answer: value, leftIsA: leftIsA), width: width - 4)
        if !preference.strengths.isEmpty { lines += DisplayWidth.wrap(PairKeys.strengthLine(preference), width: width - 4) }
        return lines
    }
}
