import Aggregation
import JSONWriter

/// The consensus section in HTML, Markdown, JSON and CSV: one model, four renderings, as the
/// rest of the report (HTML and Markdown round to three decimals; JSON and CSV are exact).
extension ReportRender {
    static let consensusNote = "Dawid–Skene (ds) fitted to people's current labels of each nominal or ordinal criterion: per rater, P(the rater gives the column's option | the answer is the row's) and the accuracy it implies (docs/aggregation.md)."

    /// One rater's matrix: a header row of the options given, then one row per answer.
    static func confusionRows(_ c: ConsensusSection.Criterion, _ m: [[Double]], text: (String) -> String = { $0 }) -> [[String]] {
        [["answer / given"] + c.options.map(text)] + c.options.indices.map { [text(c.options[$0])] + m[$0].map { fixed($0, 3) } }
    }

    /// The sentence over a rater's matrix: name, accuracy, labels.
    static func raterHeading(_ c: ConsensusSection.Criterion, _ s: RaterSkill, text: (String) -> String) -> String {
        "\(text(c.raterNames[s.rater])): accuracy \(s.accuracy.map { fixed($0, 3) } ?? "—"), \(plural(s.n, "label"))"
    }

    /// Why a criterion has no matrices, or how many raters are left out; nil when neither.
    static func consensusText(_ c: ConsensusSection.Criterion, method: AggregationMethod, text: (String) -> String) -> String? {
        if let why = c.undefinedReason { return "No matrices: \(method.rawValue) is undefined on these labels (\(text(why)))." }
        guard let r = c.result else { return nil }
        let omitted = ConsensusSection.shown(r).omitted
        return omitted > 0 ? "The \(ConsensusSection.shownRaters) raters with the most labels; \(plural(omitted, "more rater")) in the JSON and CSV." : nil
    }

    static func consensusMarkdown(_ s: ConsensusSection) -> String {
        let md = MarkdownText.escape, mdTable = MarkdownText.table
        var out = "## Rater confusion matrices\n\n\(consensusNote)\n\n"
        if s.criteria.isEmpty { out += "No nominal or ordinal criterion in this batch.\n\n" }
        for c in s.criteria {
            out += "### Confusion matrices: \(md(c.id)) (\(c.scale.rawValue))\n\n"
            if let note = consensusText(c, method: s.method, text: md) { out += "\(note)\n\n" }
            guard let r = c.result else { continue }
            for skill in ConsensusSection.shown(r).raters {
                guard let m = skill.confusion else { continue }
                out += "**\(raterHeading(c, skill, text: md))**\n\n" + mdTable(confusionRows(c, m, text: md)) + "\n"
            }
        }
        return out
    }

    static func consensusHTML(_ s: ConsensusSection) -> String {
        var out = "<h2>Rater confusion matrices</h2>\n<p>\(esc(consensusNote))</p>\n"
        if s.criteria.isEmpty { out += "<p>No nominal or ordinal criterion in this batch.</p>\n" }
        for c in s.criteria {
            out += "<h3>Confusion matrices: \(esc(c.id)) (\(c.scale.rawValue))</h3>\n"
            if let note = consensusText(c, method: s.method, text: esc) { out += "<p>\(note)</p>\n" }
            guard let r = c.result else { continue }
            for skill in ConsensusSection.shown(r).raters {
                guard let m = skill.confusion else { continue }
                out += "<h4>\(raterHeading(c, skill, text: esc))</h4>\n" + htmlTable(confusionRows(c, m, text: esc))
            }
        }
        return out
    }

    static func consensusJSON(_ s: ConsensusSection) -> String {
        JSON.object([("method", JSON.string(s.method.rawValue)), ("criteria", JSON.object(s.criteria.map { c in
            guard let r = c.result else {
                return (c.id, JSON.object([("options", JSON.array(c.options.map(JSON.string))), ("undefined", JSON.string(c.undefinedReason ?? ""))]))
            }
            var fields: [(String, String)] = [("options", JSON.array(c.options.map(JSON.string))), ("labels", "\(c.labels)")]
            if let i = r.iterations { fields.append(("iterations", "\(i)")) }
            if let converged = r.converged { fields.append(("converged", JSON.bool(converged))) }
            fields.append(("raters", JSON.array(r.raters.map { skill in
                JSON.object([("rater", JSON.string(c.raterNames[skill.rater])), ("accuracy", num(skill.accuracy)), ("n", "\(skill.n)"),
                             ("confusion", skill.confusion.map { m in JSON.array(m.map { JSON.array($0.map(JSON.number)) }) } ?? JSON.null)])
            })))
            return (c.id, JSON.object(fields))
        }))])
    }

    /// Rows `consensus.<criterion>`: `<rater>.accuracy`, `<rater>.n` and
    /// `<rater>.confusion.<answer>|<given>`, or `undefined` with the reason.
    static func consensusCSV(_ s: ConsensusSection) -> [(String, String, String)] {
        var rows: [(String, String, String)] = []
        for c in s.criteria {
            let sec = "consensus.\(c.id)"
            guard let r = c.result else { rows.append((sec, "undefined", c.undefinedReason ?? "")); continue }
            rows.append((sec, "method", s.method.rawValue))
            for skill in r.raters {
                let name = c.raterNames[skill.rater]
                rows.append((sec, "\(name).accuracy", skill.accuracy.map { "\($0)" } ?? ""))
                rows.append((sec, "\(name).n", "\(skill.n)"))
                guard let m = skill.confusion else { continue }
                for (i, a) in c.options.enumerated() { for (j, b) in c.options.enumerated() {
                    rows.append((sec, "\(name).confusion.\(a)|\(b)", "\(m[i][j])"))
                } }
            }
        }
        return rows
    }
}
