import ArgumentParser
import JSONWriter
import Reports
import Store

/// `concord judge RATER`: a model rater scored against the golden set, per criterion,
/// beside every human rater scored the same way; and, from the confidence and repeated
/// samples imported with its labels, its calibration and self-agreement.
struct JudgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge",
        abstract: "Score a model rater (a metric, VLM or LLM judge) against the golden set, beside the human raters (leads and admins).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The model rater's name.") var rater: String
    @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
    @Option(help: "Bootstrap resamples for the intervals.") var bootstrap: Int = 1000
    @Option(help: "Bootstrap seed.") var seed: UInt64 = 1
    @Option(help: "text or json.") var format: DataFormat = .text

    func validate() throws {
        if !(1...100_000).contains(bootstrap) { throw ValidationError("--bootstrap must be between 1 and 100000; got \(bootstrap)") }
    }

    func run() throws {
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        let context = try session.adjudicationContext(batch: batch)
        let golden = GoldenSet(context)
        let score = try JudgeScore(labels: context.labels, golden: golden, judge: rater, resamples: bootstrap, seed: seed)
        let calibration = JudgeCalibrationReport(labels: context.labels, golden: golden, judge: rater,
                                                 predictions: try session.predictions(batch: batch, rater: rater),
                                                 resamples: bootstrap, seed: seed)
        FileDescriptorOutput.standardOutput.write(format == .json ? json(score, calibration, batch: batch)
                                                                  : text(score, calibration, batch: batch))
    }

    private func text(_ s: JudgeScore, _ calibration: JudgeCalibrationReport, batch: String) -> String {
        var out = "judge \(s.judge) against golden set \(s.goldenVersion.prefix(12)) of batch \(batch) · 95% percentile bootstrap, \(s.resamples) resamples, seed \(s.seed)\n"
        for c in s.criteria {
            out += "\n\(c.criterion.id) (\(c.criterion.scale.rawValue)): \(c.judge.pairs) golden entr\(c.judge.pairs == 1 ? "y" : "ies") answered by \(s.judge)\n"
            let names = c.judge.statistics.map(\.name)
            var rows = [["rater", "n"] + names]
            for r in [c.judge] + c.humans {
                rows.append(["\(r.rater)\(r.role == .model ? " (model)" : "")", String(r.pairs)] + r.statistics.map { JudgeFormat.cell($0.estimate) })
            }
            out += table(rows)
            if let confusion = c.judge.confusion, c.judge.pairs > 0 {
                out += "confusion (rows gold, columns \(s.judge)):\n"
                var m = [[""] + c.categories]
                for (i, row) in confusion.enumerated() { m.append([c.categories[i]] + row.map(String.init)) }
                out += table(m)
            }
            if let k = calibration.criteria.first(where: { $0.criterion.id == c.criterion.id }) {
                out += calibrationText(k)
            }
        }
        return out
    }

    /// ECE, Brier, the reliability diagram's non-empty bins and self-agreement, as lines.
    /// Nothing for a criterion the judge answered no golden entry of and never repeated.
    private func calibrationText(_ k: JudgeCalibrationReport.CriterionCalibration) -> String {
        guard k.answered > 0 || k.repeatedItems > 0 else { return "" }
        var out = k.calibration.n == 0
            ? "calibration: none of the \(k.answered) answers carries a confidence; import the judge's predictions with a confidence column (or Label Studio's score)\n"
            : "calibration: \(k.calibration.n) of \(k.answered) answers carry a confidence; "
                + "ECE (15 bins) \(JudgeCalibrationSection.cell(k.calibration.ece)); Brier \(JudgeCalibrationSection.cell(k.calibration.brier))\n"
        let filled = k.calibration.bins.filter { $0.count > 0 }
        if !filled.isEmpty {
            var rows = [["confidence bin", "n", "mean confidence", "share right"]]
            for bin in filled {
                rows.append(["\(bin == k.calibration.bins[0] ? "[" : "(")\(fixed(bin.lower, 3)), \(fixed(bin.upper, 3))]", "\(bin.count)",
                             fixed(bin.meanConfidence!, 3), fixed(bin.accuracy!, 3)])
            }
            out += table(rows)
        }
        out += "self-agreement over repeated samples (\(k.selfAgreement.metric.rawValue)): \(JudgeCalibrationSection.cell(k.selfAgreement))"
            + (k.repeatedItems > 0 ? "; \(k.repeatedItems) item\(k.repeatedItems == 1 ? "" : "s") in \(k.selfAgreement.raters) samples" : "") + "\n"
        return out
    }

    private func json(_ s: JudgeScore, _ calibration: JudgeCalibrationReport, batch: String) -> String {
        return JSON.object([
            ("judge", JSON.string(s.judge)), ("batch", JSON.string(batch)), ("golden_version", JSON.string(s.goldenVersion)),
            ("bootstrap", String(s.resamples)), ("seed", String(s.seed)),
            ("criteria", JSON.object(s.criteria.map { c in
                (c.criterion.id, JSON.object([("scale", JSON.string(c.criterion.scale.rawValue)),
                                              ("categories", JSON.array(c.categories.map(JSON.string))),
                                              ("judge", JudgeFormat.rater(c.judge)), ("humans", JSON.array(c.humans.map(JudgeFormat.rater))),
                                              ("calibration", calibration.criteria.first { $0.criterion.id == c.criterion.id }
                                                  .map(JudgeCalibrationSection.json) ?? JSON.null)]))
            })),
        ], indent: "") + "\n"
    }
}
