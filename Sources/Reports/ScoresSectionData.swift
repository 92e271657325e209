import JSONWriter
import OpinionScores

/// The Scores section in the report's JSON and CSV: every clip (ranked) and every rater at
/// full precision, where Markdown and HTML show the highest and lowest clips rounded.
/// Field names follow `concord mos --format json` (issue 18): `score`, `ci95`, `n`, `bias`,
/// `inconsistency`, `rejected`, `reason`; a figure the method does not estimate is absent.
extension ReportRender {
    static func intervalJSON(_ i: Interval?) -> String? { i.map { JSON.array([num($0.low), num($0.high)]) } }

    static func scoresJSON(_ s: ScoresSection) -> String {
        JSON.object(s.criteria.map { c in
            var f: [(String, String)] = [("scale", JSON.string(c.scale.rawValue)), ("method", JSON.string(c.method.rawValue))]
            if let why = c.fallbackReason {
                f.append(("preferred_method", JSON.string(c.preferredMethod.rawValue)))
                f.append(("preferred_undefined", JSON.string(why)))
            }
            if let why = c.outcome.undefinedReason { f.append(("undefined", JSON.string(why))) }
            if c.outcome.result != nil {
                f.append(("units", JSON.array(c.ranked.enumerated().map { rank, u in
                    var g: [(String, String)] = [("rank", "\(rank + 1)"), ("unit", JSON.string(c.unitNames[u.unit])), ("score", num(u.score))]
                    if let ci = intervalJSON(u.ci95) { g.append(("ci95", ci)) }
                    g.append(("n", "\(u.n)"))
                    return JSON.object(g)
                })))
                f.append(("raters", JSON.array(c.raters.map { r in
                    var g: [(String, String)] = [("rater", JSON.string(r.name))]
                    if let b = r.figures.bias { g.append(("bias", num(b))) }
                    if let ci = intervalJSON(r.figures.biasCI95) { g.append(("bias_ci95", ci)) }
                    if let v = r.figures.inconsistency { g.append(("inconsistency", num(v))) }
                    if let ci = intervalJSON(r.figures.inconsistencyCI95) { g.append(("inconsistency_ci95", ci)) }
                    g.append(("rejected", JSON.bool(r.figures.rejected)))
                    if let why = r.figures.reason { g.append(("reason", JSON.string(why))) }
                    return JSON.object(g)
                })))
            }
            f.append(("quality_violations", c.violations.map { vs in JSON.array(vs.map { v in
                JSON.object([("rater", JSON.string(v.rater)), ("rule", JSON.string(v.rule)), ("count", "\(v.count)"),
                             ("detail", JSON.string(v.detail))])
            }) } ?? JSON.null))
            return (c.id, JSON.object(f))
        } + s.skipped.map { ($0.id, JSON.object([("undefined", JSON.string($0.reason))])) })
    }

    /// `scores.<criterion>` rows of the report's long CSV (section,key,value).
    static func scoresCSV(_ s: ScoresSection) -> [(String, String, String)] {
        var rows: [(String, String, String)] = []
        let v: (Double?) -> String = { $0.map { "\($0)" } ?? "" }
        for c in s.criteria {
            let sec = "scores.\(c.id)"
            rows.append((sec, "method", c.method.rawValue))
            if let why = c.fallbackReason { rows.append((sec, "\(c.preferredMethod.rawValue).undefined", why)) }
            if let why = c.outcome.undefinedReason { rows.append((sec, "undefined", why)) }
            for (rank, u) in c.ranked.enumerated() {
                let key = "unit.\(c.unitNames[u.unit])"
                rows += [(sec, "\(key).rank", "\(rank + 1)"), (sec, "\(key).score", v(u.score)),
                         (sec, "\(key).ci95_lower", v(u.ci95?.low)), (sec, "\(key).ci95_upper", v(u.ci95?.high)), (sec, "\(key).n", "\(u.n)")]
            }
            for r in c.raters {
                let key = "rater.\(r.name)", f = r.figures
                if let b = f.bias { rows += [(sec, "\(key).bias", v(b)), (sec, "\(key).bias_ci95_lower", v(f.biasCI95?.low)), (sec, "\(key).bias_ci95_upper", v(f.biasCI95?.high))] }
                if let x = f.inconsistency {
                    rows += [(sec, "\(key).inconsistency", v(x)), (sec, "\(key).inconsistency_ci95_lower", v(f.inconsistencyCI95?.low)),
                             (sec, "\(key).inconsistency_ci95_upper", v(f.inconsistencyCI95?.high))]
                }
                rows.append((sec, "\(key).rejected", f.rejected ? "true" : "false"))
                if let why = f.reason { rows.append((sec, "\(key).reason", why)) }
            }
            for x in c.violations ?? [] { rows.append((sec, "violation.\(x.rater).\(x.rule)", "\(x.count)\(x.detail.isEmpty ? "" : ": \(x.detail)")")) }
            if c.violations == nil { rows.append((sec, "quality_rules", "not evaluated")) }
        }
        for x in s.skipped { rows.append(("scores.\(x.id)", "undefined", x.reason)) }
        return rows
    }
}
