import Agreement
import ArgumentParser
import OpinionScores
import Reports
import Store

/// `concord report`: one batch's audit report (docs/reports.md), computed once as a
/// `BatchReport` and rendered as self-contained HTML, Markdown, CSV or JSON. CSV is one
/// long table `section,key,value` (e.g. `criterion.quality,krippendorff_alpha_ordinal.value,0.71`)
/// so pandas can pivot it; JSON holds the same numbers nested.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a batch's audit report (agreement with CIs, raters, gold, method) as html, md, csv or json.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, md, csv, json }

    @OptionGroup var global: GlobalOptions
    @Option(help: "html, md, csv or json.") var format: Format = .html
    @Option(help: "The file to write (atomically); '-' for standard output.") var out: String
    @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
    @Option(help: "Bootstrap resamples for the confidence intervals.") var bootstrap: Int = Bootstrap.defaultResamples
    @Option(help: "Bootstrap seed.") var seed: UInt64 = Bootstrap.defaultSeed
    @Option(help: ArgumentHelp("The Scores section's method (\(OpinionMethod.allCases.map(\.rawValue).joined(separator: ", "))); mos where it is undefined. mle can take thousands of iterations per criterion on a large batch (a project's clips have no content); p910 and mos are quick.",
                               valueName: "M"))
    var scoresMethod: String = ScoresSection.preferred.rawValue

    func validate() throws {
        if !(1...100_000).contains(bootstrap) { throw ValidationError("--bootstrap must be between 1 and 100000; got \(bootstrap)") }
        if OpinionMethod(rawValue: scoresMethod) == nil {
            throw ValidationError("--scores-method must be one of \(OpinionMethod.allCases.map(\.rawValue).joined(separator: ", ")); got \(quoted(scoresMethod))")
        }
    }

    func run() throws {
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        // Aggregate reads (leads, auditors and admins; raters may not), all from one snapshot
        // and each read once; the lead-only context (decisions, clip hashes, golden set,
        // queue, judges) is absent for auditors.
        let inputs = try session.reportInputs(batch: batch)
        let (bootstrap, seed, scoresMethod) = (self.bootstrap, self.seed, OpinionMethod(rawValue: self.scoresMethod) ?? ScoresSection.preferred)
        let (computed, extra) = try concurrently({
            try BatchReport(labels: inputs.labels, activity: inputs.activity, gold: inputs.gold, goldThreshold: inputs.goldThreshold,
                            version: Concord.configuration.version, resamples: bootstrap, seed: seed, viewing: inputs.viewing,
                            // Clips are named only for those who may adjudicate (the lead's
                            // context is read for them): an auditor's report names no clip.
                            scoresMethod: scoresMethod, namingClips: inputs.context != nil)
        }, { try ReportExtras(context: inputs.context, predictions: inputs.predictions, resamples: bootstrap, seed: seed) })
        var report = computed
        report.auditAnchor = inputs.auditAnchor
        report.preferences = try PreferencesSection.make(rubric: inputs.labels.rubric, comparisons: inputs.comparisons,
                                                         namingClips: inputs.context != nil)
        report.overTime = try AgreementOverTime(labels: inputs.labels, versions: session.currentLabelVersions(batch: batch), gold: inputs.gold,
                                                window: .day, resamples: bootstrap, seed: seed)
        let text: String
        switch format {
        case .json: text = ReportRender.json(report, extra)
        case .csv: text = ReportRender.csv(report, extra)
        case .md: text = ReportRender.markdown(report, extra)
        case .html: text = ReportRender.html(report, extra)
        }
        try global.writeOutput(text, to: out)
    }
}
