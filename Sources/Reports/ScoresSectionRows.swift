import OpinionScores

/// The Scores section's tables, shared by the Markdown and HTML renderings (`text` makes a
/// user's value safe for the format; HTML's table escapes every cell itself). Rounded to
/// three decimals as the rest of those reports; the JSON and CSV carry full precision.
extension ReportRender {
    /// Clips listed and drawn at most in Markdown and HTML: the highest and the lowest
    /// half each, with a row saying how many are between (all are in the JSON and CSV).
    static let shownClips = 50

    /// The ranked clips as shown: (rank from 1, the clip) or nil for the gap between the
    /// highest and the lowest ones.
    static func shownRanking(_ c: ScoresSection.Criterion) -> [(rank: Int, unit: UnitScore)?] {
        let ranked = c.ranked
        let all = ranked.enumerated().map { (rank: $0.offset + 1, unit: $0.element) }
        guard all.count > shownClips else { return all }
        let half = shownClips / 2
        return Array(all.prefix(half)) + [nil] + Array(all.suffix(half))
    }

    /// "[4.100, 4.940]", or "—" where the method gives no interval (a clip rated once).
    static func intervalText(_ i: Interval?) -> String {
        i.map { "[\(fixed($0.low, 3)), \(fixed($0.high, 3))]" } ?? "—"
    }

    static func gapText(_ c: ScoresSection.Criterion) -> String {
        "… \(plural(c.ranked.count - 2 * (shownClips / 2), "clip")) between (all are in the JSON and CSV) …"
    }

    static func scoreRows(_ c: ScoresSection.Criterion, text: (String) -> String = { $0 }) -> [[String]] {
        [["rank", "clip", "score", "95% CI", "n"]] + shownRanking(c).map { row in
            guard let row else { return ["…", gapText(c), "", "", ""] }
            return ["\(row.rank)", text(c.unitNames[row.unit.unit]), fixed(row.unit.score, 3), intervalText(row.unit.ci95), "\(row.unit.n)"]
        }
    }

    static func rejectedRows(_ c: ScoresSection.Criterion, text: (String) -> String = { $0 }) -> [[String]] {
        [["rater", "reason"]] + c.rejected.map { [text($0.name), text($0.figures.reason ?? "rejected (no reason given)")] }
    }

    static func raterFigureRows(_ c: ScoresSection.Criterion, text: (String) -> String = { $0 }) -> [[String]] {
        [["rater", "bias", "bias 95% CI", "inconsistency", "inconsistency 95% CI", "rejected"]] + c.raters.map { r in
            let f = r.figures
            return [text(r.name), f.bias.map { fixed($0, 3) } ?? "—", intervalText(f.biasCI95),
                    f.inconsistency.map { fixed($0, 3) } ?? "—", intervalText(f.inconsistencyCI95), f.rejected ? "yes" : "no"]
        }
    }

    static func violationRows(_ vs: [ScoresSection.Violation], text: (String) -> String = { $0 }) -> [[String]] {
        [["rater", "rule", "violations", "detail"]] + vs.map { [text($0.rater), QualityRule(rawValue: $0.rule)?.title ?? $0.rule, "\($0.count)", text($0.detail)] }
    }

    /// What the rater table cannot show, in words: why there is no bias or inconsistency.
    static func noRaterModelText(_ c: ScoresSection.Criterion) -> String {
        "\(c.method.rawValue) estimates no rater bias or inconsistency (\(ScoresSection.preferred.rawValue) does)."
    }

    /// The thresholds the violations were judged against (the documented defaults).
    static let qualityRulesNote = "Judged against: \(QualityRules.summary(QualityThresholds())) (docs/quality-rules.md)."

    static func violationsText(_ c: ScoresSection.Criterion) -> String? {
        guard let vs = c.violations else { return "Quality rules: not evaluated (no viewing record was available)." }
        return vs.isEmpty ? "Quality rules: no rater broke any." : nil
    }

    static func rejectedText(_ c: ScoresSection.Criterion) -> String? {
        c.rejected.isEmpty ? "No rater was rejected by \(c.method.rawValue)." : nil
    }

    static func unscoredText(_ c: ScoresSection.Criterion) -> String? {
        c.unscored > 0 ? "\(plural(c.unscored, "clip")) without a kept rating \(c.unscored == 1 ? "is" : "are") not ranked." : nil
    }

    static let scoresNote = "Scores per numeric or ordinal criterion; intervals are the method's 95% intervals (docs/mos.md), not the bootstrap of the agreement section."
}
