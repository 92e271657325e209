import Agreement
import JSONWriter

/// The report's judge calibration (docs/release-gate-and-judges.md): per judge and criterion
/// ECE, Brier score, self-agreement over repeated samples, and the reliability diagram as
/// inline SVG — the share right per confidence bin against the diagonal a calibrated judge
/// would follow, each bin's count printed under it. Hooked into the HTML report by one line.
public enum JudgeCalibrationSection {
    /// "0.043", or "— (reason)" when undefined.
    public static func cell(_ o: Outcome) -> String {
        o.value.map { fixed($0, 3) } ?? "— (\(o.undefinedReason ?? "undefined"))"
    }

    /// "0.812 [0.701, 0.903]", or "— (reason)".
    public static func cell(_ e: JudgeAgreement.Estimate) -> String {
        guard let v = e.outcome.value else { return "— (\(e.undefinedReason ?? "undefined"))" }
        return fixed(v, 3) + (e.lower.map { l in e.upper.map { " [\(fixed(l, 3)), \(fixed($0, 3))]" } ?? "" } ?? "")
    }

    public static func html(_ reports: [JudgeCalibrationReport]) -> String {
        guard !reports.isEmpty else { return "" }
        var b = "<h3>Calibration and self-agreement</h3>\n<p>Expected calibration error over 15 equal-width confidence bins "
            + "(right-closed; the first is [0, 1/15]), Brier score of each answer's confidence against whether it matches the golden set, "
            + "and alpha among the judge's repeated samples (95% bootstrap interval).</p>\n"
        for r in reports {
            for c in r.criteria {
                let esc = ReportRender.esc
                b += "<h4>\(esc(r.judge)): \(esc(c.criterion.id))</h4>\n"
                b += ReportRender.htmlTable([["answers with a confidence", "ECE", "Brier", "self-agreement (\(c.selfAgreement.metric.rawValue))", "items in 2+ samples"],
                                             ["\(c.calibration.n) of \(c.answered)", cell(c.calibration.ece), cell(c.calibration.brier),
                                              cell(c.selfAgreement), "\(c.repeatedItems)"]])
                if c.calibration.n > 0 { b += diagram(c.calibration, label: "reliability diagram of \(esc(r.judge)) on \(esc(c.criterion.id))") + "\n" }
            }
        }
        return b
    }

    /// Bars: the share right per non-empty bin; the dashed diagonal: perfect calibration.
    static func diagram(_ result: JudgeCalibration.Result, label: String) -> String {
        let left = 44, top = 12, size = 300, bottom = 40
        func x(_ v: Double) -> Int { left + Int((v * Double(size)).rounded()) }
        func y(_ v: Double) -> Int { top + size - Int((v * Double(size)).rounded()) }
        var s = ReportRender.svgOpen(width: left + size + 16, height: top + size + bottom, label: label)
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#999\"/>"
        s += "<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"
        for bin in result.bins {
            guard let accuracy = bin.accuracy, let mean = bin.meanConfidence else { continue }
            let x0 = x(bin.lower) + 1, width = max(1, x(bin.upper) - x(bin.lower) - 2)
            s += "<rect x=\"\(x0)\" y=\"\(y(accuracy))\" width=\"\(width)\" height=\"\(y(0) - y(accuracy))\" fill=\"#4a7fb5\">"
                + "<title>\(fixed(bin.lower, 3))–\(fixed(bin.upper, 3)): \(plural(bin.count, "answer")), mean confidence \(fixed(mean, 3)), right \(fixed(accuracy, 3))</title></rect>"
            s += "<circle cx=\"\(x(mean))\" cy=\"\(y(accuracy))\" r=\"2.5\" fill=\"#c0392b\"/>"
            s += "<text x=\"\(x0 + width / 2)\" y=\"\(y(0) + 12)\" font-size=\"8\" text-anchor=\"middle\">\(bin.count)</text>"
        }
        for tick in [0.0, 0.5, 1.0] {
            s += "<text x=\"\(x(tick))\" y=\"\(y(0) + 24)\" font-size=\"10\" text-anchor=\"middle\">\(fixed(tick, 1))</text>"
            s += "<text x=\"\(left - 4)\" y=\"\(y(tick) + 3)\" font-size=\"10\" text-anchor=\"end\">\(fixed(tick, 1))</text>"
        }
        s += "<text x=\"\(left + size / 2)\" y=\"\(top + size + 36)\" font-size=\"10\" text-anchor=\"middle\">confidence (15 bins; counts under the bars)</text>"
        s += "<text x=\"10\" y=\"\(top + size / 2)\" font-size=\"10\" text-anchor=\"middle\" transform=\"rotate(-90 10 \(top + size / 2))\">share right</text>"
        return s + "</svg>"
    }

    /// The JSON of one judge's calibration (`concord judge --format json` per criterion).
    public static func json(_ c: JudgeCalibrationReport.CriterionCalibration) -> String {
        func outcome(_ o: Outcome) -> String {
            JSON.object([("value", o.value.map(JSON.number) ?? JSON.null)] + (o.undefinedReason.map { [("undefined", JSON.string($0))] } ?? []))
        }
        let a = c.selfAgreement
        return JSON.object([
            ("answered", "\(c.answered)"), ("n", "\(c.calibration.n)"), ("bins", "\(JudgeCalibration.binCount)"),
            ("ece", outcome(c.calibration.ece)), ("brier", outcome(c.calibration.brier)),
            ("reliability_diagram", JSON.array(c.calibration.bins.map { bin in
                JSON.object([("lower", JSON.number(bin.lower)), ("upper", JSON.number(bin.upper)), ("count", "\(bin.count)"),
                             ("mean_confidence", bin.meanConfidence.map(JSON.number) ?? JSON.null),
                             ("accuracy", bin.accuracy.map(JSON.number) ?? JSON.null)])
            })),
            ("self_agreement", JSON.object([("metric", JSON.string(a.metric.rawValue)), ("value", a.outcome.value.map(JSON.number) ?? JSON.null),
                                            ("ci95_lower", a.lower.map(JSON.number) ?? JSON.null), ("ci95_upper", a.upper.map(JSON.number) ?? JSON.null),
                                            ("samples", "\(a.raters)"), ("repeated_items", "\(c.repeatedItems)")]
                                           + (a.undefinedReason.map { [("undefined", JSON.string($0))] } ?? []))),
        ])
    }
}
