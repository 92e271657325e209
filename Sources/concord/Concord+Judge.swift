import ArgumentParser
import JSONWriter
import Reports
import Store

/// `concord judge RATER`: a model rater scored against the golden set, per criterion,
/// beside every human rater scored the same way.
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
        FileDescriptorOutput.standardOutput.write(format == .json ? json(score, batch: batch) : text(score, batch: batch))
    }

    private func text(_ s: JudgeScore, batch: String) -> String {
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
        }
        return out
    }

    private func json(_ s: JudgeScore, batch: String) -> String {
        return JSON.object([
            ("judge", JSON.string(s.judge)), ("batch", JSON.string(batch)), ("golden_version", JSON.string(s.goldenVersion)),
            ("bootstrap", String(s.resamples)), ("seed", String(s.seed)),
            ("criteria", JSON.object(s.criteria.map { c in
                (c.criterion.id, JSON.object([("scale", JSON.string(c.criterion.scale.rawValue)),
                                              ("categories", JSON.array(c.categories.map(JSON.string))),
                                              ("judge", JudgeFormat.rater(c.judge)), ("humans", JSON.array(c.humans.map(JudgeFormat.rater)))]))
            })),
        ], indent: "") + "\n"
    }
}
