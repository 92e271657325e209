import JSONWriter

/// `status --batch`'s quality section and `status --target-ci`'s plan, in text and JSON:
/// here so the report and the dashboard can write the same words (docs/quality-rules.md).
extension QualityRules {
    /// The thresholds in one line: what the counts below were judged against.
    public static func summary(_ t: QualityThresholds) -> String {
        "watched ≥ \(percentText(t.minWatchedShare)) of each clip; time ≤ \(numberText(t.maxViewingFactor))× the clip; "
            + "straight-lining: variance ≤ \(numberText(t.straightLiningVariance)) over ≥ \(t.straightLiningMinRatings) scores; "
            + "outliers: |z| ≥ \(numberText(t.outlierZ)) against ≥ \(t.outlierMinOthers) other ratings"
    }

    /// A table of counts per rater and rule, then up to `examples` violations of each rule
    /// per rater ("… and N more").
    public static func text(criterion: String, results: [RaterViolations], thresholds: QualityThresholds, examples: Int = 3) -> String {
        var out = "quality rules on \(criterion) (\(summary(thresholds))):\n"
        guard !results.isEmpty else { return out + "  no scores or workbench submissions yet\n" }
        var rows = [["rater", "scores"] + QualityRule.allCases.map(\.title)]
        for r in results { rows.append([r.rater, "\(r.ratings)"] + QualityRule.allCases.map { "\(r.count($0))" }) }
        out += table(rows)
        for r in results {
            for rule in r.rules {
                let found = r.violations.filter { $0.rule == rule }
                let shown = found.prefix(examples).map { v in (v.clip.map { "\($0) " } ?? "") + v.detail }
                let more = found.count > examples ? "; … and \(found.count - examples) more" : ""
                out += "  \(r.rater) · \(rule.title): \(shown.joined(separator: "; "))\(more)\n"
            }
        }
        if results.allSatisfy(\.isClean) { out += "  no rater broke a rule\n" }
        return out
    }

    public static func json(criterion: String, results: [RaterViolations], thresholds t: QualityThresholds) -> String {
        JSON.object([
            ("criterion", JSON.string(criterion)),
            ("thresholds", JSON.object([("min_watched_share", JSON.number(t.minWatchedShare)), ("max_viewing_factor", JSON.number(t.maxViewingFactor)),
                                        ("straight_lining_variance", JSON.number(t.straightLiningVariance)),
                                        ("straight_lining_min_ratings", "\(t.straightLiningMinRatings)"),
                                        ("outlier_z", JSON.number(t.outlierZ)), ("outlier_min_others", "\(t.outlierMinOthers)")])),
            ("raters", JSON.array(results.map { r in
                JSON.object([("rater", JSON.string(r.rater)), ("scores", "\(r.ratings)"),
                             ("counts", JSON.object(QualityRule.allCases.map { ($0.rawValue, "\(r.count($0))") })),
                             ("violations", JSON.array(r.violations.map { v in
                                JSON.object([("rule", JSON.string(v.rule.rawValue)), ("clip", v.clip.map(JSON.string) ?? JSON.null),
                                             ("value", JSON.number(v.value)), ("threshold", JSON.number(v.threshold)),
                                             ("detail", JSON.string(v.detail))])
                             }))])
            })),
        ])
    }
}

extension RatingsNeeded {
    /// Every clip with its current spread and what it still needs; a star marks the pooled SD.
    public static func text(criterion: String, plan: Plan) -> String {
        var out = "ratings needed on \(criterion) for a 95% interval of ±\(QualityRules.numberText(plan.halfWidth)) "
            + "(half-width 1.95996·s/√n)"
        if let pooled = plan.pooledSD { out += "; the batch's pooled SD is \(fixed(pooled, 3))" }
        out += ":\n"
        guard !plan.clips.isEmpty else { return out + "  the batch has no clips\n" }
        var rows = [["clip", "ratings", "sd", "±now", "needed in all", "still needed"]]
        for c in plan.clips {
            rows.append([c.clip, "\(c.ratings)", fixed(c.usedSD, 3) + (c.pooled ? "*" : ""), c.halfWidth.map { fixed($0, 3) } ?? "—",
                         "\(c.target)", "\(c.needed)"])
        }
        out += table(rows)
        out += "total still needed: \(plan.totalNeeded) in \(plural(plan.clips.filter { $0.needed > 0 }.count, "clip"))\n"
        if plan.clips.contains(where: \.pooled) { out += "* the batch's pooled SD: the clip has fewer than 2 ratings of its own\n" }
        return out
    }

    public static func json(criterion: String, plan: Plan) -> String {
        JSON.object([
            ("criterion", JSON.string(criterion)), ("half_width", JSON.number(plan.halfWidth)),
            ("pooled_sd", plan.pooledSD.map(JSON.number) ?? JSON.null), ("total_needed", "\(plan.totalNeeded)"),
            ("clips", JSON.array(plan.clips.map { c in
                JSON.object([("item", "\(c.item)"), ("clip", JSON.string(c.clip)), ("ratings", "\(c.ratings)"),
                             ("sd", JSON.number(c.usedSD)), ("pooled", JSON.bool(c.pooled)),
                             ("half_width", c.halfWidth.map(JSON.number) ?? JSON.null),
                             ("target", "\(c.target)"), ("needed", "\(c.needed)")])
            })),
        ])
    }
}
