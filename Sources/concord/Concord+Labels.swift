import ArgumentParser
import Interchange
import JSONWriter
import Media
import Reports
import Store

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "label", abstract: "Import and export labels.",
                                                    subcommands: [Import.self, Export.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a labels CSV (clip,rater,criterion,value[,frame][,submitted_at]) or Label Studio's JSON export; all or nothing.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(valueName: "FILE.csv")) var file: String
        @Option(help: "The batch, when a clip is in several.") var batch: String?
        @Option(help: "csv or labelstudio (default: labelstudio for a .json file, else csv).") var format: ImportFormat?

        func run() throws {
            let session = try global.session()
            let bytes = try readInput(file)
            let name = file == "-" ? "<stdin>" : file
            let kind = format ?? (file.lowercased().hasSuffix(".json") ? .labelstudio : .csv)
            let sha = FileHash.sha256(bytes: bytes)
            let summary: ImportSummary
            if kind == .csv {
                // Rows handed on as the file is read: on PostgreSQL the server stores them meanwhile.
                summary = try session.importLabels(file: name, fileSHA256: sha, batch: batch) { each in
                    try bytes.withUnsafeBufferPointer { try LabelsCSV.parse($0, name: name) { try each(LabelImportRow($0)) } }
                }
            } else {
                let read = try LabelStudio.parse(bytes, name: name, valueProblem: StoredText.problem) { try? session.rubric(forClip: $0) }
                summary = try session.importLabels(read.map(LabelImportRow.init), file: name, fileSHA256: sha, batch: batch)
            }
            if summary.added + summary.revised == 0 {
                print("\(printableText(name)): \(plural(summary.unchanged, "row")), all equal to the current labels; nothing imported")
            } else {
                print("\(printableText(name)): imported \(plural(summary.added, "new label")) and \(plural(summary.revised, "revision"))\(summary.unchanged > 0 ? "; \(plural(summary.unchanged, "row")) unchanged" : "")")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the current labels you may read (raters: their own).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "csv, jsonl or labelstudio (Label Studio's JSON: one task per item).") var format: ExportFormat = .csv
        @Option(help: "Write to FILE (atomically) instead of standard output.") var out: String?
        @Option(help: "Only this batch.") var batch: String?

        func run() throws {
            let session = try global.session()
            let labels = try session.exportLabels(batch: batch)
            // Exact data in a file or a pipe; escaped values when a person reads it on a terminal.
            let terminal = TerminalView.isTerminal(out: out)
            switch format {
            case .csv: try global.writeOutput(LabelsCSV.render(labels, field: terminal ? TerminalView.csvField : { $0 }), to: out)
            case .jsonl:
                let text = LabelsCSV.renderJSONL(labels)
                try global.writeOutput(terminal ? TerminalView.json(text) : text, to: out)
            case .labelstudio:
                let text = LabelStudio.render(labels, rubrics: try session.rubricsByHash())
                try global.writeOutput(terminal ? TerminalView.json(text) : text, to: out)
            }
        }
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case csv, jsonl, labelstudio }
enum ImportFormat: String, ExpressibleByArgument, CaseIterable { case csv, labelstudio }

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status",
        abstract: "Progress per batch and rater; with --batch, each rater's quality-rule violations; with --target-ci, the ratings each clip still needs.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this batch (and its quality rules).") var batch: String?
    @Option(help: "text or json.") var format: DataFormat = .text
    @Option(name: .customLong("target-ci"), help: ArgumentHelp("Per clip, the ratings still needed for the 95% interval's half-width to reach W.", valueName: "W"))
    var targetCI: Double?
    @Option(help: ArgumentHelp("The ordinal or numeric criterion the quality rules and --target-ci score (default: every one for the rules, the rubric's only one for --target-ci).", valueName: "C"))
    var criterion: String?
    @OptionGroup var quality: QualityOptions

    /// One criterion's quality-rule results.
    struct QualitySection {
        let criterion: String
        let results: [RaterViolations]
    }

    func run() throws {
        if batch == nil, targetCI != nil || criterion != nil {
            throw InputError("\(targetCI != nil ? "--target-ci" : "--criterion") needs --batch B: the batch whose clips to score")
        }
        if let w = targetCI, !(w > 0 && w.isFinite) { throw InputError(RatingsNeeded.Problem.badTarget(w).description) }
        let thresholds = try quality.thresholds()
        let session = try global.session()
        let batches = try session.status(batch: batch)
        var sections: [QualitySection] = []
        var plan: (criterion: String, plan: RatingsNeeded.Plan)?
        if let batch {
            (sections, plan) = try scores(session, batch: batch, thresholds: thresholds)
        }
        switch format {
        case .text:
            var out = ""
            if batches.isEmpty { out = "no batches yet; add clips with: concord clip add FILE... --batch NAME --rubric NAME\n" }
            for b in batches {
                let size = b.pool.map { "\(plural(b.items, "pair")) of \(plural($0, "clip"))" } ?? plural(b.items, "item")
                out += "batch \(b.batch): \(size), rubric \(b.rubric) (\(b.rubricHash.prefix(12)))\n"
                var rows = [["rater", "role", "assigned", "labeled", "labels", "skipped", "flagged", "done"]]
                for r in b.raters {
                    let done = r.assigned > 0 ? "\(Int((Double(r.labeled) / Double(r.assigned) * 100).rounded()))%" : "—"
                    rows.append([r.rater, r.role.rawValue, "\(r.assigned)", "\(r.labeled)", "\(r.labels)", "\(r.skipped)", "\(r.flagged)", done])
                }
                out += table(rows) + "\n"
            }
            for section in sections {
                out += QualityRules.text(criterion: section.criterion, results: section.results, thresholds: thresholds) + "\n"
            }
            if let plan { out += RatingsNeeded.text(criterion: plan.criterion, plan: plan.plan) }
            FileDescriptorOutput.standardOutput.write(out)
        case .json:
            print(JSON.array(batches.map { b in
                var fields = [("batch", JSON.string(b.batch)), ("items", "\(b.items)")] + (b.pool.map { [("pool", "\($0)")] } ?? []) + [("rubric", JSON.string(b.rubric)),
                              ("rubric_hash", JSON.string(b.rubricHash)),
                              ("raters", JSON.array(b.raters.map { r in
                                 JSON.object([("rater", JSON.string(r.rater)), ("role", JSON.string(r.role.rawValue)),
                                              ("assigned", "\(r.assigned)"), ("labeled", "\(r.labeled)"), ("labels", "\(r.labels)"),
                                              ("skipped", "\(r.skipped)"), ("flagged", "\(r.flagged)")]) }))]
                if batch != nil, !sections.isEmpty {
                    fields.append(("quality", JSON.array(sections.map {
                        QualityRules.json(criterion: $0.criterion, results: $0.results, thresholds: thresholds)
                    })))
                }
                if let plan { fields.append(("ratings_needed", RatingsNeeded.json(criterion: plan.criterion, plan: plan.plan))) }
                return JSON.object(fields)
            }))
        }
    }

    /// The quality rules on each scored criterion (or the one named) and, with --target-ci,
    /// the plan. A rater may ask for their own progress, not for others' behaviour: without
    /// --target-ci or --criterion their status leaves the rules out rather than failing.
    private func scores(_ session: ProjectSession, batch: String, thresholds: QualityThresholds)
        throws -> ([QualitySection], (criterion: String, plan: RatingsNeeded.Plan)?) {
        let labels: BatchLabels, viewing: BatchViewing
        do {
            labels = try session.labelsForAgreement(batch: batch)
            viewing = try session.viewing(batch: batch)
        } catch let error as StoreError where error.kind == .permission && targetCI == nil && criterion == nil {
            return ([], nil)
        }
        let criteria = criterion != nil || targetCI != nil ? [try BatchScores.criterion(in: labels.rubric, named: criterion)]
                                                         : BatchScores.scoredCriteria(labels.rubric)
        let sections = try criteria.map { c in
            QualitySection(criterion: c.id, results: try QualityRules.evaluate(labels: labels, viewing: viewing, criterion: c, thresholds: thresholds,
                                                                               namingClips: session.allows(.adjudicate)))
        }
        guard let w = targetCI, let c = criteria.first else { return (sections, nil) }
        do {
            return (sections, (c.id, try RatingsNeeded.plan(try BatchScores(labels, criterion: c, namingClips: session.allows(.adjudicate)), halfWidth: w)))
        } catch let problem as RatingsNeeded.Problem {
            throw InputError("batch \(quoted(batch)), \(c.id): \(problem.description)")
        }
    }
}

/// Label rows read by Interchange's formats, as the Store imports them.
extension LabelImportRow {
    init(_ row: ImportedLabel) {
        self.init(line: row.line, clip: row.clip, rater: row.rater, criterion: row.criterion, value: row.value,
                  frame: row.frame, submittedAt: row.submittedAt, batch: row.batch, confidence: row.confidence, sample: row.sample)
    }
}

/// The Store's exported labels are what Interchange's writers write.
extension ExportedLabel: ExportableLabel {}
