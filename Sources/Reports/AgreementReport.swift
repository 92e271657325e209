import Agreement
import Interchange
import JSONWriter
import Printable

/// `concord agreement --format`.
public enum AgreementFormat: String, CaseIterable, Sendable {
    case text, json, csv
}

/// `concord agreement --by`: what the statistics are broken down by.
public enum BreakdownKind: String, CaseIterable, Sendable {
    case criterion
    case gold
    case category
    case raterPair = "rater-pair"
    case rater
}

/// The output of `concord agreement`, rendered as text, JSON or CSV from one model so the
/// three formats can never disagree.
public struct AgreementReport {
    let source: String
    let data: ReliabilityData
    let summary: AgreementSummary
    /// The metrics to list (all, or those asked with --metric).
    let shown: [Metric]
    /// --metric was given: text output is one value per line, for scripts.
    let listOnly: Bool
    let intervals: [Metric: Result<BootstrapInterval, UndefinedInterval>]?
    let bootstrap: (resamples: Int, seed: UInt64, confidence: Double)?
    let breakdown: BreakdownReport?
    /// A nominal criterion's categories: listed in the rubric's order, which is not a
    /// ranking, so the header must not call them ordered.
    var nominal = false

    public init(source: String, data: ReliabilityData, summary: AgreementSummary, shown: [Metric], listOnly: Bool,
                intervals: [Metric: Result<BootstrapInterval, UndefinedInterval>]?,
                bootstrap: (resamples: Int, seed: UInt64, confidence: Double)?, breakdown: BreakdownReport?,
                nominal: Bool = false) {
        self.source = source; self.data = data; self.summary = summary; self.shown = shown; self.listOnly = listOnly
        self.intervals = intervals; self.bootstrap = bootstrap; self.breakdown = breakdown; self.nominal = nominal
    }

    public func render(_ format: AgreementFormat) -> String {
        switch format {
        case .text: return listOnly ? valueLines() : text()
        case .json: return json()
        case .csv: return csv()
        }
    }

    /// "ci95" for 0.95, "ci99.5" for 0.995.
    var ciKey: String {
        let percent = (bootstrap?.confidence ?? 0.95) * 100
        let rounded = (percent * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? "ci\(Int(rounded))" : "ci\(rounded)"
    }

    // MARK: Text

    private func valueLines() -> String {
        shown.map { metric in
            let outcome = summary.outcomes[metric]!
            // A reason can quote a value from the file ("'…' is not a number"): shown escaped.
            guard let value = outcome.value else { return "undefined: \(safeLine(outcome.undefinedReason!))" }
            guard let interval = intervals?[metric] else { return "\(value)" }
            switch interval {
            case .success(let ci): return "\(value) \(ci.lower) \(ci.upper)"
            case .failure(let why): return "\(value) (no interval: \(why.reason))"
            }
        }.joined(separator: "\n") + "\n"
    }

    private func text() -> String {
        // The file name and the category labels come from the user's file: shown escaped
        // and cut (Printable), never raw on the terminal.
        var out = "concord agreement: \(printableText(source))\n"
        out += "\(summary.units) units · \(summary.raters) raters · \(summary.ratings) ratings · \(summary.pairableUnits) pairable units\n"
        let cats = data.categories
        let ordered = cats.isOrdered && !nominal
        let separator = ordered ? " < " : ", "
        out += "\(plural(cats.count, "category"))\(ordered ? " (ordered)" : ""): \(cats.labels.prefix(20).map { printableCut($0) }.joined(separator: separator))\(cats.count > 20 ? " …" : "")\n\n"
        var rows: [[String]] = []
        let ciHeader = "\(percentText(bootstrap?.confidence ?? 0.95)) CI"
        rows.append(["metric", "value"] + (intervals == nil ? [] : [ciHeader]) + ["interpretation"])
        for metric in shown {
            let outcome = summary.outcomes[metric]!
            var row = [metric.title]
            switch outcome {
            case .value(let v):
                row.append(fixed(v, 4))
                if let intervals {
                    switch intervals[metric]! {
                    case .success(let ci): row.append("[\(fixed(ci.lower, 4)), \(fixed(ci.upper, 4))]")
                    case .failure: row.append("—")
                    }
                }
                row.append(Interpretation.of(metric, v, bootstrap: intervals?[metric]) ?? "")
            case .undefined(let reason):
                row.append("—")
                if intervals != nil { row.append("") }
                row.append("undefined: \(reason)")
            }
            rows.append(row)
        }
        out += table(rows)
        if let bootstrap {
            out += "\nCI: percentile \(Bootstrap.method(resamples: bootstrap.resamples, seed: bootstrap.seed)), units resampled. "
                + "A reading holds only when the whole CI lies in its band; q: the share of resamples below α 0.800.\n"
            let partial = shown.compactMap { m -> String? in
                guard case .success(let ci) = intervals?[m], ci.definedResamples < ci.resamples else { return nil }
                return "\(m.rawValue) defined in \(ci.definedResamples)"
            }
            if !partial.isEmpty { out += "Resamples where a statistic was undefined were left out: \(partial.joined(separator: "; ")).\n" }
        }
        out += "Full precision: --format json, or --metric NAME.\n"
        if let breakdown { out += "\n" + breakdown.text() }
        return out
    }

    // MARK: JSON

    private func json() -> String {
        var metricsJSON: [(String, String)] = []
        for metric in Metric.allCases {
            let outcome = summary.outcomes[metric]!
            var fields: [(String, String)] = []
            switch outcome {
            case .value(let v): fields.append(("value", JSON.number(v)))
            case .undefined(let reason):
                fields.append(("value", JSON.null))
                fields.append(("undefined", JSON.string(reason)))
            }
            if case .value = outcome, let interval = intervals?[metric] {
                switch interval {
                case .success(let ci):
                    fields.append(("\(ciKey)_lower", JSON.number(ci.lower)))
                    fields.append(("\(ciKey)_upper", JSON.number(ci.upper)))
                    if ci.definedResamples < ci.resamples {
                        fields.append(("ci_defined_resamples", "\(ci.definedResamples)"))
                    }
                case .failure(let why):
                    fields.append(("\(ciKey)_lower", JSON.null))
                    fields.append(("\(ciKey)_upper", JSON.null))
                    fields.append(("ci_undefined", JSON.string(why.reason)))
                }
            }
            metricsJSON.append((metric.rawValue, JSON.object(fields)))
        }
        var top: [(String, String)] = [
            ("source", JSON.string(source)),
            ("units", "\(summary.units)"),
            ("raters", "\(summary.raters)"),
            ("ratings", "\(summary.ratings)"),
            ("pairable_units", "\(summary.pairableUnits)"),
            ("categories", JSON.array(data.categories.labels.map(JSON.string))),
            ("ordered", JSON.bool(data.categories.isOrdered)),
        ]
        if let bootstrap {
            top.append(("bootstrap", JSON.object([("resamples", "\(bootstrap.resamples)"), ("seed", "\(bootstrap.seed)"),
                                                  ("confidence", JSON.number(bootstrap.confidence)),
                                                  ("method", JSON.string("percentile, units resampled"))])))
        }
        top.append(("metrics", JSON.object(metricsJSON, indent: "  ")))
        if let breakdown { top.append(("breakdown", breakdown.json())) }
        return JSON.object(top, indent: "") + "\n"
    }

    /// The JSON object alone, for embedding (one per criterion in a batch report).
    public func jsonValue() -> String {
        let text = json()
        return String(text.dropLast())
    }

    // MARK: CSV

    private func csv() -> String {
        // CSV holds one table: with --by it is the breakdown's.
        if let breakdown { return breakdown.csv() }
        var lines = ["metric,value,undefined,\(ciKey)_lower,\(ciKey)_upper,interpretation"]
        for metric in shown {
            let outcome = summary.outcomes[metric]!
            var lower = "", upper = ""
            if case .success(let ci)? = intervals?[metric] { lower = "\(ci.lower)"; upper = "\(ci.upper)" }
            let value = outcome.value.map { "\($0)" } ?? ""
            let interpretation = outcome.value.flatMap { Interpretation.of(metric, $0, bootstrap: intervals?[metric]) } ?? ""
            lines.append([metric.rawValue, value, safeLine(outcome.undefinedReason ?? ""), lower, upper, interpretation]
                .map(CSVField.escape).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Breakdown rows for --by, rendered beside the headline numbers.
public struct BreakdownReport {
    let kind: BreakdownKind
    let keyColumns: [String]
    let rows: [(keys: [String], summary: AgreementSummary)]
    let metrics: [Metric]

    public init(kind: BreakdownKind, data: ReliabilityData, metrics: [Metric]) {
        self.kind = kind
        switch kind {
        case .criterion, .gold:
            preconditionFailure("handled by the batch report")
        case .category:
            // One-vs-rest recodes to two unordered categories: only nominal statistics apply.
            let nominal = metrics.filter { [.krippendorffAlphaNominal, .fleissKappa, .percentAgreement, .gwetAC1, .cohenKappa, .scottsPi].contains($0) }
            self.metrics = nominal.isEmpty ? [.krippendorffAlphaNominal] : nominal
            keyColumns = ["category"]
            rows = Breakdown.perCategory(data, metrics: self.metrics).map { ([$0.category], $0.summary) }
        case .raterPair:
            self.metrics = metrics
            keyColumns = ["rater", "rater"]
            rows = Breakdown.perRaterPair(data, metrics: metrics).map { ([$0.first, $0.second], $0.summary) }
        case .rater:
            self.metrics = metrics
            keyColumns = ["without rater"]
            rows = Breakdown.leaveOneRaterOut(data, metrics: metrics).map { ([$0.rater], $0.summary) }
        }
    }

    func text() -> String {
        let heading: String
        switch kind {
        case .criterion, .gold: heading = ""
        case .category: heading = "By category (one-vs-rest):"
        case .raterPair: heading = "By rater pair (each pair alone):"
        case .rater: heading = "Leave one rater out (the statistics without that rater):"
        }
        // Short headings, and only metrics defined somewhere, so the table fits a terminal.
        let columns = metrics.filter { m in rows.contains { $0.summary.outcomes[m]!.value != nil } }
        var table: [[String]] = [keyColumns + ["pairable"] + columns.map(shortTitle)]
        for row in rows {
            table.append(row.keys + ["\(row.summary.pairableUnits)"] + columns.map { m in
                row.summary.outcomes[m]!.value.map { fixed($0, 4) } ?? "—"
            })
        }
        let hidden = metrics.count - columns.count
        return heading + "\n" + Reports.table(table) + "(— undefined\(hidden > 0 ? "; \(hidden) metrics undefined in every row not shown" : ""); --format json gives each reason)\n"
    }

    private func shortTitle(_ metric: Metric) -> String {
        switch metric {
        case .krippendorffAlphaNominal: return "α nominal"
        case .krippendorffAlphaOrdinal: return "α ordinal"
        case .krippendorffAlphaInterval: return "α interval"
        case .krippendorffAlphaRatio: return "α ratio"
        case .fleissKappa: return "Fleiss κ"
        case .cohenKappa: return "Cohen κ"
        case .weightedKappaLinear: return "κw linear"
        case .weightedKappaQuadratic: return "κw quad"
        case .scottsPi: return "Scott π"
        case .percentAgreement: return "% agree"
        case .gwetAC1: return "AC1"
        }
    }

    func csv() -> String {
        let keys: [String]
        switch kind {
        case .criterion, .gold: keys = []
        case .category: keys = ["category"]
        case .raterPair: keys = ["rater_1", "rater_2"]
        case .rater: keys = ["without_rater"]
        }
        var lines = [(keys + ["units", "ratings", "pairable_units"] + metrics.map(\.rawValue)).joined(separator: ",")]
        for row in rows {
            let values = metrics.map { row.summary.outcomes[$0]!.value.map { "\($0)" } ?? "" }
            lines.append((row.keys.map(CSVField.escape) + ["\(row.summary.units)", "\(row.summary.ratings)",
                          "\(row.summary.pairableUnits)"] + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func json() -> String {
        let items = rows.map { row -> String in
            var fields: [(String, String)] = []
            switch kind {
            case .criterion, .gold: break
            case .category: fields.append(("category", JSON.string(row.keys[0])))
            case .raterPair: fields.append(("raters", JSON.array(row.keys.map(JSON.string))))
            case .rater: fields.append(("without_rater", JSON.string(row.keys[0])))
            }
            fields.append(("units", "\(row.summary.units)"))
            fields.append(("ratings", "\(row.summary.ratings)"))
            fields.append(("pairable_units", "\(row.summary.pairableUnits)"))
            fields.append(("metrics", JSON.object(metrics.map { m in
                let o = row.summary.outcomes[m]!
                return (m.rawValue, o.value.map { JSON.object([("value", JSON.number($0))]) }
                        ?? JSON.object([("value", JSON.null), ("undefined", JSON.string(o.undefinedReason!))]))
            })))
            return JSON.object(fields)
        }
        return JSON.object([("by", JSON.string(kind.rawValue)), ("rows", JSON.array(items))])
    }
}
