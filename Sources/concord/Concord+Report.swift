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

/// The lead-only parts of the report, nil when the acting user may not read them.
struct ReportExtras {
    struct Decision { let item: Int64; let criterion: String; let kind: String; let value: String; let lead: String; let reason: String; let note: String }
    let decisions: [Decision]?
    let clipHashes: [(Int64, String)]?
    let goldenVersion: String?
    /// Disagreements not yet settled, in queue order.
    let open: [AdjudicationQueue.Entry]?
    /// Every model rater of the batch scored against the golden set.
    let judges: [JudgeScore]?

    init(context: AdjudicationContext?, resamples: Int, seed: UInt64) throws {
        guard let context else { decisions = nil; clipHashes = nil; goldenVersion = nil; open = nil; judges = nil; return }
        // The names the command line uses (send_back, rubric_ambiguous), never Swift's.
        decisions = context.decisions.map {
            let value = $0.kind == .sendBack ? "sent back to \($0.raters.joined(separator: ", "))" : ($0.value ?? "")
            return Decision(item: $0.item, criterion: $0.criterion ?? "", kind: $0.kind.rawValue, value: value,
                            lead: $0.lead, reason: $0.reason?.rawValue ?? "", note: $0.note ?? "")
        }
        clipHashes = context.clipHashes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let golden = GoldenSet(context)
        goldenVersion = golden.version
        open = try AdjudicationQueue(context).entries
        let labels = context.labels
        judges = try labels.raters.indices.filter { labels.roles[$0] == .model }.sorted { labels.raters[$0] < labels.raters[$1] }.map {
            try JudgeScore(labels: labels, golden: golden, judge: labels.raters[$0], resamples: resamples, seed: seed)
        }
    }

    static let unavailable = "not available to auditors"

    /// "yes ×3, no ×1": an entry's votes as counts (a batch can have hundreds of raters).
    static func voteSummary(_ e: AdjudicationQueue.Entry, text: (String) -> String = { $0 }) -> String {
        var counts: [(String, Int)] = []
        for v in e.votes {
            if let i = counts.firstIndex(where: { $0.0 == v.value }) { counts[i].1 += 1 } else { counts.append((v.value, 1)) }
        }
        return counts.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map { "\(text($0.0)) ×\($0.1)" }.joined(separator: ", ")
    }

    /// Per judge and criterion: the judge's row, then the human raters' median of each
    /// statistic (every human row is in the JSON).
    static func judgeRows(_ j: JudgeScore, _ c: JudgeScore.CriterionScore, text: (String) -> String = { $0 }) -> [[String]] {
        let names = c.judge.statistics.map(\.name)
        var rows = [["rater", "n"] + names]
        rows.append(["\(text(j.judge)) (model)", "\(c.judge.pairs)"] + c.judge.statistics.map { JudgeFormat.cell($0.estimate) })
        let humans = c.humans.filter { $0.pairs > 0 }
        let medians = names.map { name in
            BatchReport.median(humans.compactMap { h in h.statistics.first { $0.name == name }?.estimate.value }).map { fixed($0, 3) } ?? "—"
        }
        rows.append(["human raters, median of \(humans.count)", humans.isEmpty ? "—" : "\(BatchReport.median(humans.map { Double($0.pairs) }).map { Int($0) } ?? 0)"] + medians)
        return rows
    }
}
