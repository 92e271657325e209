import Agreement
import ArgumentParser
import Reports
import Store

/// `concord report`: one batch's audit report (DESIGN.md; issue 8), computed once as a
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
    @Option(help: "Bootstrap resamples for the confidence intervals.") var bootstrap: Int = 1000
    @Option(help: "Bootstrap seed.") var seed: UInt64 = 1

    func validate() throws {
        if !(1...100_000).contains(bootstrap) { throw ValidationError("--bootstrap must be between 1 and 100000; got \(bootstrap)") }
    }

    func run() throws {
        let session = try global.session()
        let batch = try self.batch ?? session.defaultBatch()
        // Aggregate reads: leads, auditors and admins may make them; raters may not.
        let labels = try session.labelsForAgreement(batch: batch)
        let status = try session.status(batch: batch).first
        let gold = try session.goldAnswers(batch: batch)
        // Lead/admin-only: decisions, clip hashes, golden set. Absent for auditors.
        // Only a permission refusal is expected here; any other error still stops the report.
        let context = try Self.unlessRefused { try session.adjudicationContext(batch: batch) }
        let report = try BatchReport(labels: labels, status: status, gold: gold.answers, goldThreshold: gold.threshold,
                                     version: Concord.configuration.version, resamples: bootstrap, seed: seed)
        // Per-label dwell is lead/admin data too: read it only when the context was readable.
        let exported = context == nil ? nil : try Self.unlessRefused { try session.exportLabels(batch: batch) }
        let extra = ReportExtras(context: context, exported: exported)
        let text: String
        switch format {
        case .json: text = ReportRender.json(report, extra)
        case .csv: text = ReportRender.csv(report, extra)
        case .md: text = ReportRender.markdown(report, extra)
        case .html: text = ReportRender.html(report, extra)
        }
        try writeOutput(text, to: out)
    }

    /// The value, or nil when the Store refuses the acting user (the auditor's case).
    static func unlessRefused<T>(_ read: () throws -> T) throws -> T? {
        do { return try read() } catch let error as StoreError where error.kind == .permission { return nil }
    }
}

/// The lead-only parts of the report, nil when the acting user may not read them.
struct ReportExtras {
    struct Decision { let item: Int64; let criterion: String; let kind: String; let value: String; let lead: String; let reason: String }
    let decisions: [Decision]?
    let clipHashes: [(Int64, String)]?
    let goldenVersion: String?
    /// Per rater: median dwell (ms) and median watched share over their current labels.
    let dwell: [String: (dwellMs: Double?, watched: Double?)]?

    init(context: AdjudicationContext?, exported: [ExportedLabel]?) {
        dwell = exported.map { labels in
            Dictionary(grouping: labels, by: \.rater).mapValues { ls in
                (Self.median(ls.compactMap { $0.dwellMs.map(Double.init) }), Self.median(ls.compactMap(\.watchedShare)))
            }
        }
        guard let context else { decisions = nil; clipHashes = nil; goldenVersion = nil; return }
        decisions = context.decisions.map {
            Decision(item: $0.item, criterion: $0.criterion ?? "", kind: "\($0.kind)", value: $0.value ?? "",
                     lead: $0.lead, reason: $0.reason.map { "\($0)" } ?? ($0.note ?? ""))
        }
        clipHashes = context.clipHashes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        goldenVersion = GoldenSet(context).version
    }

    static let unavailable = "not available to auditors"

    static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// "1234 ms" / "0.85", or the auditors' note when per-label data is not readable.
    func dwellText(_ rater: String) -> (String, String) {
        guard let dwell else { return (Self.unavailable, Self.unavailable) }
        let d = dwell[rater]
        return (d?.dwellMs.map { "\(Int($0.rounded())) ms" } ?? "—", d?.watched.map { fixed($0, 2) } ?? "—")
    }
}
