import Agreement
import ArgumentParser
import Interchange
import JSONWriter
import Reports
import struct Rubric.Criterion
import enum Rubric.Scale
import Store

/// `concord agreement --batch NAME`: the Agreement engine on a batch's current labels,
/// one criterion at a time, with the metrics its scale calls for and the rubric's option
/// order (docs/statistics.md "Data").
extension AgreementCommand {
    func runBatch(_ batch: String, metrics: [Metric]?) throws {
        let labels = try global.session().labelsForAgreement(batch: batch)
        var criteria = labels.rubric.criteria.filter(\.isPartOfAgreement)
        if let criterion {
            guard let c = labels.rubric.criterion(criterion) else {
                throw InputError("the rubric \(quoted(labels.rubric.name)) has no criterion \(quoted(criterion)); criteria: \(labels.rubric.criteria.map(\.id).joined(separator: ", "))")
            }
            guard c.isPartOfAgreement else { throw InputError("'\(criterion)' is a text criterion: free notes are not part of agreement") }
            criteria = [c]
        }
        var reports: [(Criterion, AgreementReport)] = []
        for criterion in criteria {
            let data = try BatchReliability.data(labels, criterion: criterion, includeModels: includeModels)
            let shown = metrics ?? BatchReliability.metrics(for: criterion.scale, raters: data.raterCount)
            var intervals: [Metric: Result<BootstrapInterval, UndefinedInterval>]?
            if let bootstrap {
                intervals = Bootstrap.intervals(data, metrics: shown, resamples: bootstrap, seed: seed ?? 1, confidence: confidence)
            }
            let breakdown: BreakdownReport? = by.flatMap { $0 == .criterion ? nil : BreakdownReport(kind: $0, data: data, metrics: shown) }
            reports.append((criterion, AgreementReport(
                source: "batch \(batch) · \(criterion.id) (\(criterion.scale.rawValue))", data: data,
                summary: AgreementSummary(data), shown: shown, listOnly: metrics != nil && format == .text,
                intervals: intervals, bootstrap: bootstrapSettings, breakdown: breakdown, nominal: criterion.scale == .nominal)))
        }
        FileDescriptorOutput.standardOutput.write(render(reports, labels: labels))
    }

    private func render(_ reports: [(Criterion, AgreementReport)], labels: BatchLabels) -> String {
        switch format {
        case .text:
            if !metricNames.isEmpty {
                // --metric: one value per line, each prefixed with its criterion.
                return reports.flatMap { criterion, report in
                    report.render(.text).split(separator: "\n").map { "\(criterion.id): \($0)\n" }
                }.joined()
            }
            let header = "batch \(labels.batch): rubric \(labels.rubric.name) (\(labels.rubricHash.prefix(12))), \(plural(labels.items.count, "item"))\(includeModels ? "" : "; model raters excluded")\n\n"
            return header + reports.map { $0.1.render(.text) }.joined(separator: "\n")
        case .json:
            return JSON.object([("batch", JSON.string(labels.batch)), ("rubric", JSON.string(labels.rubric.name)),
                                ("rubric_hash", JSON.string(labels.rubricHash)), ("items", "\(labels.items.count)"),
                                ("include_models", JSON.bool(includeModels)),
                                ("criteria", JSON.object(reports.map { ($0.0.id, $0.1.jsonValue().replacingAll("\n", with: "\n    ")) }, indent: "  "))], indent: "") + "\n"
        case .csv:
            var out = ""
            for (i, (criterion, report)) in reports.enumerated() {
                let lines = report.render(.csv).split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
                if i == 0 { out += "criterion," + lines[0] + "\n" }
                for line in lines.dropFirst() { out += CSVField.escape(criterion.id) + "," + line + "\n" }
            }
            return out
        }
    }
}

/// `concord agreement --batch B --by gold`: each rater against the gold answers — accuracy,
/// its drift (earlier half of their gold answers against the later half) and whether the
/// batch's threshold flags them.
extension AgreementCommand {
    func runGold(_ batch: String) throws {
        // Aggregates: leads, auditors and admins may read them (raters and models may not).
        let session = try global.session()
        let gold = try session.goldAnswers(batch: batch)
        let accuracy = GoldAccuracy(labels: try session.labelsForAgreement(batch: batch), gold: gold.answers, threshold: gold.threshold)
        let out = FileDescriptorOutput.standardOutput
        let pct: (Double?) -> String = { $0.map { fixed($0, 3) } ?? "—" }
        switch format {
        case .json:
            out.write(JSON.object([
                ("batch", JSON.string(batch)), ("gold_questions", String(accuracy.goldQuestions)),
                ("threshold", accuracy.threshold.map(JSON.number) ?? JSON.null),
                ("raters", JSON.array(accuracy.rows.map { r in
                    JSON.object([("rater", JSON.string(r.rater)), ("role", JSON.string(r.role.rawValue)),
                                 ("answered", String(r.answered)), ("correct", String(r.correct)),
                                 ("accuracy", r.accuracy.map(JSON.number) ?? JSON.null), ("earlier", r.earlier.map(JSON.number) ?? JSON.null),
                                 ("later", r.later.map(JSON.number) ?? JSON.null), ("drift", r.drift.map(JSON.number) ?? JSON.null),
                                 ("flagged", JSON.bool(r.flagged))])
                })),
            ], indent: "") + "\n")
        case .csv:
            var text = "rater,role,answered,correct,accuracy,earlier,later,drift,flagged\n"
            for r in accuracy.rows {
                text += [r.rater, r.role.rawValue, String(r.answered), String(r.correct), r.accuracy.map { "\($0)" } ?? "",
                         r.earlier.map { "\($0)" } ?? "", r.later.map { "\($0)" } ?? "", r.drift.map { "\($0)" } ?? "",
                         String(r.flagged)].map(CSVField.escape).joined(separator: ",") + "\n"
            }
            out.write(text)
        case .text:
            var text = "batch \(batch): \(plural(accuracy.goldQuestions, "gold answer"))"
                + (accuracy.threshold.map { "; raters below \(fixed($0, 2)) are flagged" } ?? "") + "\n\n"
            guard !accuracy.rows.isEmpty else {
                out.write(text + "no rater has answered a gold question yet\n")
                return
            }
            var rows = [["rater", "role", "answered", "correct", "accuracy", "earlier", "later", "drift", ""]]
            for r in accuracy.rows {
                rows.append([r.rater, r.role.rawValue, String(r.answered), String(r.correct), pct(r.accuracy), pct(r.earlier),
                             pct(r.later), r.drift.map { ($0 >= 0 ? "+" : "") + fixed($0, 3) } ?? "—", r.flagged ? "⚑ below threshold" : ""])
            }
            text += table(rows)
            out.write(text)
        }
    }
}

/// `concord agreement --batch B --over-time [--window W]`: alpha and gold accuracy per time
/// window with rubric version markers and the drift warning (docs/statistics.md, "Agreement
/// over time").
extension AgreementCommand {
    func validateOverTime() throws {
        if window != nil && !overTime { throw ValidationError("--window applies to --over-time") }
        guard overTime else { return }
        if batch == nil { throw ValidationError("--over-time applies to --batch: label times live in a project") }
        if format == .csv { throw ValidationError("--over-time prints text or json; --format csv is not one of them") }
        if by != nil || !metricNames.isEmpty || includeModels {
            throw ValidationError("--over-time shows each criterion's alpha among people; leave out --by, --metric and --include-models")
        }
    }

    func runOverTime(_ batch: String) throws {
        // A misspelt window is one line (InputError), before the project is opened.
        let window: OverTimeWindow
        switch OverTimeWindow.parse(self.window ?? "day") {
        case .success(let w): window = w
        case .failure(let problem): throw InputError("--window: \(problem.message)")
        }
        let session = try global.session()
        let labels = try session.labelsForAgreement(batch: batch)
        let gold = try session.goldAnswers(batch: batch)
        let overTime = try AgreementOverTime(labels: labels, versions: try session.currentLabelVersions(batch: batch), gold: gold.answers,
                                             window: window, resamples: bootstrap ?? Bootstrap.defaultResamples,
                                             seed: seed ?? Bootstrap.defaultSeed, confidence: confidence)
        let criteria = criterion.map { id in overTime.criteria.filter { $0.criterion.id == id } } ?? overTime.criteria
        if let criterion, criteria.isEmpty {
            throw InputError("the rubric \(quoted(labels.rubric.name)) has no agreement criterion \(quoted(criterion)); criteria: \(overTime.criteria.map(\.criterion.id).joined(separator: ", "))")
        }
        let shown = overTime.only(criteria)
        FileDescriptorOutput.standardOutput.write(format == .json ? shown.json() : shown.text())
    }
}
