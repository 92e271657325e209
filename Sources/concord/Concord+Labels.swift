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
            let read = kind == .csv
                ? try bytes.withUnsafeBufferPointer { try LabelsCSV.parse($0, name: name) }
                : try LabelStudio.parse(bytes, name: name, valueProblem: StoredText.problem) { try? session.rubric(forClip: $0) }
            let rows = read.map(LabelImportRow.init)
            let sha = FileHash.sha256(bytes: bytes)
            let summary = try session.importLabels(rows, file: name, fileSHA256: sha, batch: batch)
            if summary.added + summary.revised == 0 {
                print("\(printableText(name)): \(plural(rows.count, "row")), all equal to the current labels; nothing imported")
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
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Progress per batch and rater.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this batch.") var batch: String?
    @Option(help: "text or json.") var format: DataFormat = .text

    func run() throws {
        let batches = try global.session().status(batch: batch)
        switch format {
        case .text:
            var out = ""
            if batches.isEmpty { out = "no batches yet; add clips with: concord clip add FILE... --batch NAME --rubric NAME\n" }
            for b in batches {
                out += "batch \(b.batch): \(plural(b.items, "item")), rubric \(b.rubric) (\(b.rubricHash.prefix(12)))\n"
                var rows = [["rater", "role", "assigned", "labeled", "labels", "skipped", "flagged", "done"]]
                for r in b.raters {
                    let done = r.assigned > 0 ? "\(Int((Double(r.labeled) / Double(r.assigned) * 100).rounded()))%" : "—"
                    rows.append([r.rater, r.role.rawValue, "\(r.assigned)", "\(r.labeled)", "\(r.labels)", "\(r.skipped)", "\(r.flagged)", done])
                }
                out += table(rows) + "\n"
            }
            FileDescriptorOutput.standardOutput.write(out)
        case .json:
            print(JSON.array(batches.map { b in
                JSON.object([("batch", JSON.string(b.batch)), ("items", "\(b.items)"), ("rubric", JSON.string(b.rubric)),
                             ("rubric_hash", JSON.string(b.rubricHash)),
                             ("raters", JSON.array(b.raters.map { r in
                                JSON.object([("rater", JSON.string(r.rater)), ("role", JSON.string(r.role.rawValue)),
                                             ("assigned", "\(r.assigned)"), ("labeled", "\(r.labeled)"), ("labels", "\(r.labels)"),
                                             ("skipped", "\(r.skipped)"), ("flagged", "\(r.flagged)")]) }))])
            }))
        }
    }
}

/// Label rows read by Interchange's formats, as the Store imports them.
extension LabelImportRow {
    init(_ row: ImportedLabel) {
        self.init(line: row.line, clip: row.clip, rater: row.rater, criterion: row.criterion, value: row.value,
                  frame: row.frame, submittedAt: row.submittedAt, batch: row.batch)
    }
}

/// The Store's exported labels are what Interchange's writers write.
extension ExportedLabel: ExportableLabel {}
