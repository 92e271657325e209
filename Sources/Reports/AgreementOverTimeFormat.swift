import Agreement
import JSONWriter

/// Agreement over time as `concord agreement --batch B --over-time` prints it (text, JSON)
/// and as the report's tables show it (the same rows).
extension AgreementOverTime {
    /// How items and gold answers are placed (AgreementOverTime's rule), in one sentence.
    public var placementNote: String {
        switch window {
        case .day: return "windows: days (UTC); an item is placed at its latest label's submission time, a gold answer at its own"
        case .week: return "windows: ISO weeks (Monday 00:00 UTC); an item is placed at its latest label's submission time, a gold answer at its own"
        case .items(let n): return "windows: \(n) items each, in order of their latest label's submission time; a gold answer goes to the window under way at its time"
        }
    }

    /// The table rows of one criterion (header first): window, items, ratings, alpha, its
    /// interval, gold accuracy, and a note (why alpha is undefined; the rubric marker).
    public static func rows(_ c: CriterionTimeline) -> [[String]] {
        var rows = [["window", "items", "ratings", "α", "95% CI", "gold", "note"]]
        for w in c.windows {
            var notes: [String] = []
            if !w.newVersions.isEmpty { notes.append("▲ rubric version " + w.newVersions.map { String($0.prefix(12)) }.joined(separator: ", ")) }
            if let reason = w.alpha.undefinedReason { notes.append("undefined: " + reason) }
            else if case .failure(let why) = w.interval { notes.append("no interval: " + why.reason) }
            rows.append([w.name, String(w.items), String(w.ratings), w.alpha.value.map { fixed($0, 4) } ?? "—",
                         intervalText(w.interval), goldText(w.gold), notes.joined(separator: "; ")])
        }
        return rows
    }

    static func intervalText(_ interval: Result<BootstrapInterval, UndefinedInterval>) -> String {
        if case .success(let ci) = interval { return "[\(fixed(ci.lower, 4)), \(fixed(ci.upper, 4))]" }
        return "—"
    }

    static func goldText(_ g: RaterGold) -> String {
        g.accuracy.map { "\(g.correct)/\(g.answered) \(fixed($0, 3))" } ?? "—"
    }

    /// The drift line of a criterion: a warning, "no drift", or why it cannot be judged.
    public static func driftText(_ c: CriterionTimeline) -> String {
        switch c.drift {
        case .steady: return "no drift: the latest window's interval is not wholly below the first's"
        case .undetermined(let why): return "drift not judged: \(why)"
        case .drifting(let first, let latest, let raters):
            let who = raters.isEmpty ? "no rater answered gold questions in both windows with a lower accuracy"
                : "gold accuracy fell most for " + raters.map { "\($0.rater) (\(fixed($0.first, 3)) → \(fixed($0.latest, 3)))" }.joined(separator: ", ")
            return "⚠ drift: the latest window's interval [\(fixed(latest.lower, 4)), \(fixed(latest.upper, 4))] lies wholly below the first's [\(fixed(first.lower, 4)), \(fixed(first.upper, 4))]; \(who)"
        }
    }

    /// The drift warning in a few words for the dashboard's line, nil when not drifting:
    /// "⚠ drift: latest [0.120, 0.480] below first [0.800, 1.000]; gold fell most: ann 1.00→0.25".
    public static func shortDriftText(_ drift: Drift) -> String? {
        guard case .drifting(let first, let latest, let raters) = drift else { return nil }
        var text = "⚠ drift: latest [\(fixed(latest.lower, 3)), \(fixed(latest.upper, 3))] below first [\(fixed(first.lower, 3)), \(fixed(first.upper, 3))]"
        if !raters.isEmpty { text += "; gold fell most: " + raters.map { "\($0.rater) \(fixed($0.first, 2))→\(fixed($0.latest, 2))" }.joined(separator: ", ") }
        return text
    }

    /// The sparkline of a criterion's alphas, one character per window.
    public static func sparkline(_ c: CriterionTimeline) -> String {
        sparkline(c.windows.map(\.alpha.value))
    }

    public func text() -> String {
        var out = "batch \(batch): agreement over time · \(placementNote)\n"
            + "intervals: percentile \(Bootstrap.method(resamples: resamples, seed: seed)), items of the window resampled\n"
        for c in criteria {
            out += "\n\(c.criterion.id) (\(c.criterion.scale.rawValue)) · \(Self.metricName(c.metric)) · \(Self.sparkline(c))\n"
            out += c.windows.isEmpty ? "no labels yet\n" : table(Self.rows(c))
            out += Self.driftText(c) + "\n"
        }
        return out
    }

    public func json() -> String {
        func number(_ v: Double?) -> String { v.map(JSON.number) ?? JSON.null }
        let criteria = self.criteria.map { c -> (String, String) in
            let windows = c.windows.map { w -> String in
                var ci = JSON.null, ciWhy = JSON.null
                switch w.interval {
                case .success(let i): ci = JSON.array([JSON.number(i.lower), JSON.number(i.upper)])
                case .failure(let why): ciWhy = JSON.string(why.reason)
                }
                return JSON.object([
                    ("window", JSON.string(w.name)), ("first", JSON.string(w.first)), ("last", JSON.string(w.last)),
                    ("items", String(w.items)), ("ratings", String(w.ratings)), ("alpha", number(w.alpha.value)),
                    ("alpha_undefined", w.alpha.undefinedReason.map(JSON.string) ?? JSON.null), ("ci95", ci), ("ci_undefined", ciWhy),
                    ("gold_answered", String(w.gold.answered)), ("gold_correct", String(w.gold.correct)), ("gold_accuracy", number(w.gold.accuracy)),
                    ("gold_by_rater", JSON.object(w.goldByRater.sorted { $0.key < $1.key }.map {
                        ($0.key, JSON.object([("answered", String($0.value.answered)), ("correct", String($0.value.correct))]))
                    })),
                    ("rubric_versions", JSON.array(w.versions.map(JSON.string))),
                    ("rubric_changed", JSON.array(w.newVersions.map(JSON.string))),
                ])
            }
            var drift: [(String, String)]
            switch c.drift {
            case .steady: drift = [("status", JSON.string("steady"))]
            case .undetermined(let why): drift = [("status", JSON.string("undetermined")), ("reason", JSON.string(why))]
            case .drifting(_, _, let raters):
                drift = [("status", JSON.string("drifting")), ("raters", JSON.array(raters.map {
                    JSON.object([("rater", JSON.string($0.rater)), ("first", JSON.number($0.first)), ("latest", JSON.number($0.latest))])
                }))]
            }
            return (c.criterion.id, JSON.object([("scale", JSON.string(c.criterion.scale.rawValue)), ("metric", JSON.string(c.metric.rawValue)),
                                                 ("windows", JSON.array(windows)), ("drift", JSON.object(drift))]))
        }
        return JSON.object([("batch", JSON.string(batch)), ("window", JSON.string(window.description)),
                            ("placement", JSON.string(placementNote)),
                            ("bootstrap", JSON.object([("resamples", String(resamples)), ("seed", String(seed)), ("confidence", JSON.number(confidence))])),
                            ("criteria", JSON.object(criteria))], indent: "") + "\n"
    }

    static func metricName(_ metric: Metric) -> String {
        switch metric {
        case .krippendorffAlphaNominal: return "α (nominal)"
        case .krippendorffAlphaOrdinal: return "α (ordinal)"
        case .krippendorffAlphaInterval: return "α (interval)"
        case .krippendorffAlphaRatio: return "α (ratio)"
        default: return metric.rawValue
        }
    }
}
