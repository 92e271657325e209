import Agreement
import Reports
import struct Rubric.Criterion
import enum Rubric.Scale
import Store

/// `concord agreement --batch NAME`: the Agreement engine on a batch's current labels,
/// one criterion at a time, with the metrics its scale calls for and the rubric's option
/// order (DESIGN.md "Agreement, precisely").
extension AgreementCommand {
    func runBatch(_ batch: String, metrics: [Metric]?) throws {
        let labels = try global.session().labelsForAgreement(batch: batch)
        var criteria = labels.rubric.criteria.filter(\.isPartOfAgreement)
        if let criterion {
            guard let c = labels.rubric.criterion(criterion) else {
                throw InputError("the rubric '\(labels.rubric.name)' has no criterion '\(criterion)'; criteria: \(labels.rubric.criteria.map(\.id).joined(separator: ", "))")
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
                intervals: intervals, bootstrap: bootstrapSettings, breakdown: breakdown)))
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
                                ("include_models", includeModels ? "true" : "false"),
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
