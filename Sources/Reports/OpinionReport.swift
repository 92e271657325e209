import Interchange
import JSONWriter
import OpinionScores
import Printable

/// The output of `concord mos`, rendered as text, JSON or CSV from one model so the three
/// formats can never disagree (docs/mos.md, "concord mos"). Numbers in JSON and CSV are
/// full precision (shortest round-trip), as `agreement` writes them; text shows 4 decimals.
public struct OpinionReport {
    /// Raters a rule outside the method left out before scoring (`--reject quality`).
    public struct Excluded: Sendable, Equatable {
        public let rater: String
        public let reason: String
        public init(rater: String, reason: String) { self.rater = rater; self.reason = reason }
    }

    let source: String
    let data: OpinionData
    let result: OpinionResult
    let excluded: [Excluded]
    /// Units and raters of the input with no rating at all, left out of the data.
    let leftOut: (units: Int, raters: Int)

    public init(source: String, data: OpinionData, result: OpinionResult, excluded: [Excluded] = [],
                leftOut: (units: Int, raters: Int) = (0, 0)) {
        self.source = source; self.data = data; self.result = result; self.excluded = excluded; self.leftOut = leftOut
    }

    /// What each method is, in a few words for the text header.
    public static func describe(_ method: OpinionMethod) -> String {
        switch method {
        case .mos: return "mean opinion score"
        case .bt500: return "ITU-R BT.500-14 subject rejection, then mean opinion score"
        case .p913: return "ITU-T P.913 bias removal and subject rejection"
        case .mle: return "maximum likelihood: score, rater bias and inconsistency, content ambiguity"
        case .mleCO: return "maximum likelihood without the content term: score, rater bias and inconsistency"
        case .p910: return "ITU-T P.910 alternating projection: score, rater bias and inconsistency"
        }
    }

    /// `ratersCSV`: with `.csv`, one row per rater instead of one per unit.
    public func render(_ format: AgreementFormat, ratersCSV: Bool = false) -> String {
        switch format {
        case .text: return text()
        case .json: return jsonValue() + "\n"
        case .csv: return ratersCSV ? raterCSV() : unitCSV()
        }
    }

    var rejectedCount: Int { result.raters.filter(\.rejected).count + excluded.count }

    // MARK: Text

    private func text() -> String {
        var out = "concord mos: \(printableText(source)) · \(result.method.rawValue) (\(Self.describe(result.method)))\n"
        out += "\(plural(data.unitCount, "unit")) · \(plural(data.raterCount + excluded.count, "rater")) · \(plural(data.ratingCount, "rating"))"
        out += " · \(rejectedCount == 0 ? "no rater rejected" : "\(plural(rejectedCount, "rater")) rejected")"
        if let iterations = result.iterations { out += " · \(plural(iterations, "iteration"))" }
        out += "\n"
        if leftOut.units + leftOut.raters > 0 {
            let parts = [leftOut.units > 0 ? plural(leftOut.units, "unit") : nil, leftOut.raters > 0 ? plural(leftOut.raters, "rater") : nil]
            out += "left out, with no rating: \(parts.compactMap { $0 }.joined(separator: " and "))\n"
        }
        var rows = [["unit", "score", "95% interval", "n"]]
        for u in result.units {
            rows.append([printableCut(data.unitNames[u.unit]), fixed(u.score, 4), interval(u.ci95), "\(u.n)"])
        }
        out += "\n" + table(rows)
        let showBias = result.raters.contains { $0.bias != nil }, showInconsistency = result.raters.contains { $0.inconsistency != nil }
        // Kept or rejected only where raters can be rejected: a screening method, or a rule
        // applied before scoring.
        let showScreening = ReleaseGate.screens(result.method) || rejectedCount > 0
        if showBias || showInconsistency || showScreening {
            var header = ["rater"]
            if showBias { header += ["bias", "95% interval"] }
            if showInconsistency { header += ["inconsistency", "95% interval"] }
            var rows = [header + (showScreening ? ["screening"] : [])]
            for r in result.raters {
                var row = [printableCut(data.raterNames[r.rater])]
                if showBias { row += [r.bias.map(signed) ?? "—", interval(r.biasCI95)] }
                if showInconsistency { row += [r.inconsistency.map { fixed($0, 4) } ?? "—", interval(r.inconsistencyCI95)] }
                rows.append(row + (showScreening ? [r.rejected ? "rejected: \(safeLine(r.reason ?? "by the method"))" : "kept"] : []))
            }
            for e in excluded {
                rows.append([printableCut(e.rater)] + Array(repeating: "", count: header.count - 1) + ["rejected: \(safeLine(e.reason))"])
            }
            out += "\n" + table(rows)
        }
        if !result.contents.isEmpty {
            var rows = [["content", "ambiguity", "95% interval"]]
            for c in result.contents { rows.append([printableCut(data.contentNames[c.content]), fixed(c.ambiguity, 4), interval(c.ci95)]) }
            out += "\n" + table(rows)
        }
        return out
    }

    private func interval(_ i: Interval?) -> String { i.map { "\(fixed($0.low, 4)) – \(fixed($0.high, 4))" } ?? "—" }
    /// A bias with its sign ("+0.2500", "-0.2500"); one that rounds to zero has none.
    private func signed(_ v: Double) -> String {
        let text = fixed(v, 4)
        return text.hasPrefix("-") || text == fixed(0, 4) ? text : "+" + text
    }

    // MARK: JSON

    /// The JSON object alone, for embedding (one per criterion with `--batch`). Fields a
    /// method does not estimate are absent; `reason` only for a rejected rater.
    public func jsonValue() -> String {
        let units = result.units.map { u in
            JSON.object([("unit", JSON.string(data.unitNames[u.unit])), ("score", Self.number(u.score))]
                        + (u.ci95.map { [("ci95", Self.pair($0))] } ?? []) + [("n", "\(u.n)")])
        }
        var raters = result.raters.map { r in
            var fields = [("rater", JSON.string(data.raterNames[r.rater]))]
            if let bias = r.bias { fields.append(("bias", Self.number(bias))) }
            if let ci = r.biasCI95 { fields.append(("bias_ci95", Self.pair(ci))) }
            if let inconsistency = r.inconsistency { fields.append(("inconsistency", Self.number(inconsistency))) }
            if let ci = r.inconsistencyCI95 { fields.append(("inconsistency_ci95", Self.pair(ci))) }
            fields.append(("rejected", JSON.bool(r.rejected)))
            if r.rejected { fields.append(("reason", JSON.string(r.reason ?? "rejected by the method"))) }
            return JSON.object(fields)
        }
        raters += excluded.map { JSON.object([("rater", JSON.string($0.rater)), ("rejected", "true"), ("reason", JSON.string($0.reason))]) }
        var top = [("method", JSON.string(result.method.rawValue)),
                   ("units", "[\n    " + units.joined(separator: ",\n    ") + "\n  ]"),
                   ("raters", "[\n    " + raters.joined(separator: ",\n    ") + "\n  ]")]
        if !result.contents.isEmpty {
            let contents = result.contents.map { c in
                JSON.object([("content", JSON.string(data.contentNames[c.content])), ("ambiguity", Self.number(c.ambiguity))]
                            + (c.ci95.map { [("ci95", Self.pair($0))] } ?? []))
            }
            top.append(("contents", "[\n    " + contents.joined(separator: ",\n    ") + "\n  ]"))
        }
        if let iterations = result.iterations { top.append(("iterations", "\(iterations)")) }
        return JSON.object(top, indent: "")
    }

    /// A finite number in full precision; a non-finite one (which no method should give) as
    /// null rather than invalid JSON.
    static func number(_ v: Double) -> String { v.isFinite ? JSON.number(v) : JSON.null }
    static func pair(_ i: Interval) -> String { JSON.array([number(i.low), number(i.high)]) }

    // MARK: CSV

    private static func cell(_ v: Double?) -> String { v.map { $0.isFinite ? "\($0)" : "" } ?? "" }

    /// One row per unit, in input order: unit,score,ci95_lower,ci95_upper,n.
    private func unitCSV() -> String {
        var out = "unit,score,ci95_lower,ci95_upper,n\n"
        for u in result.units {
            out += [CSVField.escape(data.unitNames[u.unit]), Self.cell(u.score), Self.cell(u.ci95?.low), Self.cell(u.ci95?.high), "\(u.n)"]
                .joined(separator: ",") + "\n"
        }
        return out
    }

    /// One row per rater (`--raters`): empty cells for figures the method does not estimate.
    private func raterCSV() -> String {
        var out = "rater,bias,bias_ci95_lower,bias_ci95_upper,inconsistency,inconsistency_ci95_lower,inconsistency_ci95_upper,rejected,reason\n"
        for r in result.raters {
            out += [CSVField.escape(data.raterNames[r.rater]), Self.cell(r.bias), Self.cell(r.biasCI95?.low), Self.cell(r.biasCI95?.high),
                    Self.cell(r.inconsistency), Self.cell(r.inconsistencyCI95?.low), Self.cell(r.inconsistencyCI95?.high),
                    "\(r.rejected)", CSVField.escape(r.rejected ? r.reason ?? "rejected by the method" : "")].joined(separator: ",") + "\n"
        }
        for e in excluded { out += [CSVField.escape(e.rater), "", "", "", "", "", "", "true", CSVField.escape(e.reason)].joined(separator: ",") + "\n" }
        return out
    }
}
