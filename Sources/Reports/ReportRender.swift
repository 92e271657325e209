import Agreement
import Foundation
import JSONWriter
import Rubric

/// JSON, CSV and Markdown renderings of a `BatchReport`: every number comes from the one
/// model so the formats agree; full precision in JSON and CSV, rounded in Markdown/HTML.
public enum ReportRender {
    static let methodNote = "Metric definitions and conventions: docs/statistics.md. Intervals: percentile bootstrap over items (units resampled). Label snapshot hash: SHA-256 of the sorted lines item,rater,criterion,value (one per current label, each ending in a newline)."

    static func num(_ x: Double?) -> String { x.map(JSON.number) ?? JSON.null }
    static func short(_ x: Double?) -> String { x.map { fixed($0, 3) } ?? "—" }

    // MARK: JSON

    public static func json(_ r: BatchReport, _ e: ReportExtras) -> String {
        let s = r.summary
        let summary = JSON.object([("items", "\(s.items)"), ("human_raters", "\(s.humanRaters)"), ("model_raters", "\(s.modelRaters)"),
                                   ("labels", "\(s.labels)"), ("completion", num(s.completion)),
                                   ("first_submission", s.firstSubmission.map(JSON.string) ?? JSON.null),
                                   ("last_submission", s.lastSubmission.map(JSON.string) ?? JSON.null)])
        let criteria = JSON.object(r.criteria.map { c in
            let metrics = JSON.object(c.metrics.map { m in
                var f: [(String, String)] = [("value", num(m.outcome.value))]
                if let why = m.outcome.undefinedReason { f.append(("undefined", JSON.string(why))) }
                if case .success(let ci)? = m.interval { f.append(("ci95_lower", num(ci.lower))); f.append(("ci95_upper", num(ci.upper))) }
                if let q = m.q { f.append(("q", num(q))); f.append(("q_minimum", num(Interpretation.reliableAlpha))) }
                f.append(("interpretation", m.interpretation.map(JSON.string) ?? JSON.null))
                return (m.metric.rawValue, JSON.object(f))
            })
            var fields: [(String, String)] = [("scale", JSON.string(c.scale.rawValue)), ("units", "\(c.units)"), ("raters", "\(c.raters)"),
                                              ("ratings", "\(c.ratings)"), ("metrics", metrics),
                                              ("rater_pair_alpha", JSON.object(pairs(c).map { ($0.0, num($0.1)) })),
                                              ("leave_one_out_alpha", JSON.object(c.leaveOneOut.sorted { $0.key < $1.key }.map { ($0.key, num($0.value)) }))]
            if let m = c.confusion {
                fields.append(("confusion", JSON.object([("categories", JSON.array(c.categories.map(JSON.string))),
                                                         ("pooled_pairs", JSON.array(m.map { JSON.array($0.map { "\($0)" }) }))])))
            }
            return (c.id, JSON.object(fields))
        }, indent: "  ")
        let raters = JSON.array(r.raters.map { x in
            JSON.object([("rater", JSON.string(x.rater)), ("role", JSON.string(x.role.rawValue)), ("labels", "\(x.labels)"),
                         ("items", "\(x.items)"), ("assigned", x.assigned.map { "\($0)" } ?? JSON.null),
                         ("gold_answered", "\(x.goldAnswered)"), ("gold_correct", "\(x.goldCorrect)"),
                         ("gold_accuracy", num(x.goldAccuracy)), ("mean_pair_alpha", num(x.meanPairAlpha)),
                         ("leave_one_out_alpha", JSON.object(r.criteria.compactMap { c in c.leaveOneOut[x.rater].map { (c.id, num($0)) } })),
                         ("median_dwell_ms", num(x.medianDwellMs)), ("median_watched_share", num(x.medianWatchedShare)),
                         ("items_per_hour", num(x.itemsPerHour))])
        })
        let adjudication = e.decisions.map { ds in JSON.array(ds.map { d in
            JSON.object([("item", "\(d.item)"), ("criterion", JSON.string(d.criterion)), ("kind", JSON.string(d.kind)),
                         ("value", JSON.string(d.value)), ("lead", JSON.string(d.lead)), ("reason", JSON.string(d.reason)),
                         ("note", JSON.string(d.note))])
        }) } ?? JSON.string(ReportExtras.unavailable)
        let open = e.open.map { es in JSON.array(es.map { o in
            // A pair item adds clip_b, as `queue --format json` does; one-clip entries are as they were.
            JSON.object([("item", "\(o.item)"), ("clip", JSON.string(o.clip))] + (o.clipB.map { [("clip_b", JSON.string($0))] } ?? [])
                        + [("criterion", JSON.string(o.criterion)),
                         ("votes", JSON.object(o.votes.map { ($0.rater, JSON.string($0.value)) })), ("priority", num(o.priority)),
                         ("reopened", JSON.bool(o.reopened)), ("flags", JSON.array(o.flags.map(JSON.string)))])
        }) } ?? JSON.string(ReportExtras.unavailable)
        let judges = e.judges.map { js in JSON.array(js.map(judgeJSON)) } ?? JSON.string(ReportExtras.unavailable)
        let clips = e.clipHashes.map { hs in JSON.object(hs.map { ("\($0.0)", JSON.string($0.1)) }) } ?? JSON.string(ReportExtras.unavailable)
        let method = JSON.object([("concord_version", JSON.string(r.version)), ("bootstrap_resamples", "\(r.resamples)"),
                                  ("bootstrap_seed", "\(r.seed)"), ("confidence", "0.95"), ("rubric", JSON.string(r.rubricName)),
                                  ("rubric_hash", JSON.string(r.rubricHash)), ("label_snapshot_sha256", JSON.string(r.snapshotSHA256)),
                                  ("audit_anchor", r.auditAnchor.map { JSON.string($0.description) } ?? JSON.null),
                                  ("clip_sha256", clips), ("notes", JSON.string(methodNote))])
        let mix = JSON.object(r.displayMix.sorted { $0.key < $1.key }.map { rater, counts in
            (rater, JSON.object(displayModes.compactMap { mode in counts[mode].map { (mode, "\($0)") } }))
        })
        return JSON.object([("batch", JSON.string(r.batch)), ("summary", summary), ("criteria", criteria),
                            ("scores", scoresJSON(r.scores))] + preferencesField(r.preferences)
                            + [("over_time", overTimeJSON(r.overTime)), ("raters", raters),
                            ("display_mix", mix), ("consensus", consensusJSON(r.consensus)),
                            ("gold_questions", "\(r.goldQuestions)"), ("adjudications", adjudication),
                            ("open_disagreements", open), ("judges", judges),
                            ("golden_set_version", e.goldenVersion.map(JSON.string) ?? JSON.string(ReportExtras.unavailable)),
                            ("method", method)], indent: "") + "\n"
    }

    /// The `preferences` field, absent for a batch without pairwise criteria.
    static func preferencesField(_ s: PreferencesSection?) -> [(String, String)] {
        guard let s, !s.criteria.isEmpty else { return [] }
        return [("preferences", preferencesJSON(s))]
    }

    static func judgeJSON(_ s: JudgeScore) -> String {
        return JSON.object([("judge", JSON.string(s.judge)), ("golden_version", JSON.string(s.goldenVersion)),
                            ("criteria", JSON.object(s.criteria.map { c in
                                (c.criterion.id, JSON.object([("categories", JSON.array(c.categories.map(JSON.string))),
                                                              ("judge", JudgeFormat.rater(c.judge)),
                                                              ("humans", JSON.array(c.humans.map(JudgeFormat.rater)))]))
                            }))])
    }

    static func pairs(_ c: BatchReport.CriterionSection) -> [(String, Double?)] {
        var out: [(String, Double?)] = []
        for i in c.raterNames.indices { for j in c.raterNames.indices where j > i {
            out.append(("\(c.raterNames[i])|\(c.raterNames[j])", c.pairAlpha[i][j]))
        } }
        return out
    }

    // MARK: CSV — one long table: section,key,value

    public static func csv(_ r: BatchReport, _ e: ReportExtras) -> String {
        var rows: [(String, String, String)] = []
        let v: (Double?) -> String = { $0.map { "\($0)" } ?? "" }
        let s = r.summary
        rows += [("summary", "batch", r.batch), ("summary", "items", "\(s.items)"), ("summary", "human_raters", "\(s.humanRaters)"),
                 ("summary", "model_raters", "\(s.modelRaters)"), ("summary", "labels", "\(s.labels)"), ("summary", "completion", v(s.completion)),
                 ("summary", "first_submission", s.firstSubmission ?? ""), ("summary", "last_submission", s.lastSubmission ?? "")]
        for c in r.criteria {
            let sec = "criterion.\(c.id)"
            for m in c.metrics {
                rows.append((sec, "\(m.metric.rawValue).value", v(m.outcome.value)))
                if case .success(let ci)? = m.interval {
                    rows.append((sec, "\(m.metric.rawValue).ci95_lower", v(ci.lower))); rows.append((sec, "\(m.metric.rawValue).ci95_upper", v(ci.upper)))
                }
                if let q = m.q {
                    rows.append((sec, "\(m.metric.rawValue).q", v(q))); rows.append((sec, "\(m.metric.rawValue).q_minimum", v(Interpretation.reliableAlpha)))
                }
                rows.append((sec, "\(m.metric.rawValue).interpretation", m.interpretation ?? ""))
            }
            for (k, x) in pairs(c) { rows.append((sec, "pair_alpha.\(k)", v(x))) }
            for (k, x) in c.leaveOneOut.sorted(by: { $0.key < $1.key }) { rows.append((sec, "leave_one_out_alpha.\(k)", v(x))) }
            if let m = c.confusion {
                for (i, a) in c.categories.enumerated() { for (j, b) in c.categories.enumerated() {
                    rows.append((sec, "confusion.\(a)|\(b)", "\(m[i][j])"))
                } }
            }
        }
        rows += scoresCSV(r.scores)
        rows += r.preferences.map(preferencesCSV) ?? []
        rows += consensusCSV(r.consensus)
        for x in r.raters {
            let sec = "rater.\(x.rater)"
            rows += [(sec, "role", x.role.rawValue), (sec, "labels", "\(x.labels)"), (sec, "items", "\(x.items)"),
                     (sec, "assigned", x.assigned.map { "\($0)" } ?? ""), (sec, "items_per_hour", v(x.itemsPerHour)),
                     (sec, "gold_answered", "\(x.goldAnswered)"), (sec, "gold_accuracy", v(x.goldAccuracy)), (sec, "mean_pair_alpha", v(x.meanPairAlpha)),
                     (sec, "median_dwell_ms", v(x.medianDwellMs)), (sec, "median_watched_share", v(x.medianWatchedShare))]
        }
        for (rater, counts) in r.displayMix.sorted(by: { $0.key < $1.key }) {
            for mode in displayModes { if let n = counts[mode] { rows.append(("display_mix.\(rater)", mode, "\(n)")) } }
        }
        if let ds = e.decisions {
            for (n, d) in ds.enumerated() { rows.append(("adjudication", "\(n + 1)", "item \(d.item) · \(d.criterion) · \(d.kind) · \(d.value) · \(d.lead) · \(d.reason) · \(d.note)")) }
        } else { rows.append(("adjudication", "note", ReportExtras.unavailable)) }
        if let es = e.open {
            for (n, o) in es.enumerated() {
                rows.append(("open_disagreement", "\(n + 1)", "item \(o.item) · \(o.criterion) · \(ReportExtras.voteSummary(o))\(o.reopened ? " · re-opened" : "")"))
            }
        } else { rows.append(("open_disagreement", "note", ReportExtras.unavailable)) }
        if let js = e.judges {
            for j in js { for c in j.criteria { for r in [c.judge] + c.humans { for st in r.statistics {
                rows.append(("judge.\(j.judge).\(c.criterion.id)", "\(r.rater).\(st.name)", v(st.estimate.value)))
            } } } }
        } else { rows.append(("judge", "note", ReportExtras.unavailable)) }
        rows.append(("golden_set", "version", e.goldenVersion ?? ReportExtras.unavailable))
        rows += [("method", "concord_version", r.version), ("method", "bootstrap_resamples", "\(r.resamples)"), ("method", "bootstrap_seed", "\(r.seed)"),
                 ("method", "rubric_hash", r.rubricHash), ("method", "label_snapshot_sha256", r.snapshotSHA256),
                 ("method", "audit_anchor", r.auditAnchor?.description ?? "")]
        if let hs = e.clipHashes { for (item, h) in hs { rows.append(("method", "clip_sha256.\(item)", h)) } }
        // Read in spreadsheets: a text cell that would be a formula there gets a leading '.
        return "section,key,value\n" + rows.map { SpreadsheetCell.line([$0.0, $0.1, $0.2]) }.joined()
    }

    /// The raters table shared by Markdown and HTML. `text` makes a user's value safe for the format (Markdown escapes it; HTML's table
    /// escapes every cell itself).
    static func raterRows(_ r: BatchReport, _ e: ReportExtras, text: (String) -> String = { $0 }) -> [[String]] {
        var rows = [["rater", "role", "labels", "items", "assigned", "items/h", "median dwell", "median watched", "gold accuracy", "mean pair alpha", "leave-one-out alpha"]]
        for x in r.raters {
            let d = x.medianDwellMs.map { "\(Int($0.rounded())) ms" } ?? "—", w = short(x.medianWatchedShare)
            let loo = r.criteria.compactMap { c in c.leaveOneOut[x.rater].map { "\(text(c.id)) \(short($0))" } }.joined(separator: "; ")
            let pace = x.itemsPerHour.map { String(format: "%.1f", $0) } ?? "—"
            rows.append([text(x.rater), x.role.rawValue, "\(x.labels)", "\(x.items)", x.assigned.map { "\($0)" } ?? "—", pace, d, w, short(x.goldAccuracy), short(x.meanPairAlpha), loo.isEmpty ? "—" : loo])
        }
        return rows
    }

    /// The display modes in the rubric's order (kitty … player), the display mix's columns.
    static let displayModes = Display.allCases.map(\.rawValue)

    /// The display mix shared by Markdown and HTML: per rater, the items whose latest
    /// submission was judged on each mode; nil when no submission recorded its display.
    static func displayRows(_ r: BatchReport, text: (String) -> String = { $0 }) -> [[String]]? {
        guard !r.displayMix.isEmpty else { return nil }
        return [["rater"] + displayModes] + r.displayMix.sorted { $0.key < $1.key }.map { rater, counts in
            [text(rater)] + displayModes.map { "\(counts[$0] ?? 0)" }
        }
    }

    static let displayMixNote = "Display mix: items per rater by the display their latest submission was judged on (a 256-colour sixel palette or half-blocks can add banding and blocking a 24-bit picture does not show)."

    /// How many open disagreements there are, and the first `shownOpen` as rows.
    static let shownOpen = 100

    static func openRows(_ es: [AdjudicationQueue.Entry], text: (String) -> String = { $0 }) -> [[String]] {
        [["item", "clip", "criterion", "votes", "priority", "note"]] + es.prefix(shownOpen).map {
            // A pair item is named by both clips ("m1.mp4 vs m3.mp4"), as the lead's queue names it.
            ["\($0.item)", text($0.title), text($0.criterion), ReportExtras.voteSummary($0, text: text), fixed($0.priority, 3),
             ($0.reopened ? "re-opened" : "") + ($0.flags.isEmpty ? "" : " flagged")]
        }
    }

    static func openText(_ e: ReportExtras, markdown: Bool) -> String {
        guard let es = e.open else { return markdown ? "_Open disagreements: \(ReportExtras.unavailable)_\n" : "" }
        let more = es.count > shownOpen ? " (the first \(shownOpen) in queue order; all are in the JSON and CSV)" : ""
        return markdown ? "Open disagreements (not yet adjudicated): \(es.count)\(more).\n\n" : "<p>Open disagreements (not yet adjudicated): \(es.count)\(esc(more)).</p>\n"
    }
}
