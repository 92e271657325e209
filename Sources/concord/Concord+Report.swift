import Agreement
import ArgumentParser
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

    func validate() throws {
        if !(1...100_000).contains(bootstrap) { throw ValidationError("--bootstrap must be between 1 and 100000; got \(bootstrap)") }
    }

    func run() throws {
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        // Lead/admin-only: decisions, clip hashes, golden set, queue, judges. Absent for
        // auditors; only a permission refusal is expected here, any other error still stops.
        let context = try Self.unlessRefused { try session.adjudicationContext(batch: batch) }
        // Aggregate reads: leads, auditors and admins may make them; raters may not.
        let labels = try context?.labels ?? session.labelsForAgreement(batch: batch)
        let activity = try session.activity(batch: batch)
        let gold = try session.goldAnswers(batch: batch)
        // After the labels were read, so the anchor covers every event that wrote them.
        let anchor = try session.auditHead()
        let (bootstrap, seed) = (self.bootstrap, self.seed)
        let (computed, extra) = try concurrently({
            try BatchReport(labels: labels, activity: activity, gold: gold.answers, goldThreshold: gold.threshold,
                            version: Concord.configuration.version, resamples: bootstrap, seed: seed)
        }, { try ReportExtras(context: context, resamples: bootstrap, seed: seed) })
        var report = computed
        report.auditAnchor = anchor
        let text: String
        switch format {
        case .json: text = ReportRender.json(report, extra)
        case .csv: text = ReportRender.csv(report, extra)
        case .md: text = ReportRender.markdown(report, extra)
        case .html: text = ReportRender.html(report, extra)
        }
        try global.writeOutput(text, to: out)
    }

    /// The value, or nil when the Store refuses the acting user (the auditor's case).
    static func unlessRefused<T>(_ read: () throws -> T) throws -> T? {
        do { return try read() } catch let error as StoreError where error.kind == .permission { return nil }
    }
}
