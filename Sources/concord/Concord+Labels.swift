import ArgumentParser
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
            let rows = kind == .csv
                ? try bytes.withUnsafeBufferPointer { try LabelsCSV.parse($0, name: name) }
                : try LabelStudio.parse(bytes, name: name) { try? session.rubric(forClip: $0) }
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

/// The labels CSV (docs/project-file.md "Decisions": labels CSV import, `label export`).
enum LabelsCSV {
    static let exportColumns = ["clip", "rater", "criterion", "value", "frame", "submitted_at", "batch", "item",
                                "rubric_hash", "revision", "pts", "dwell_ms", "watched"]

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws -> [LabelImportRow] {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        guard bytes[start...].contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw InputError("\(name): the file is empty; expected a header line 'clip,rater,criterion,value' and one row per label")
        }
        if let bad = firstInvalidUTF8(in: bytes) {
            throw InputError(file: name, line: bad.line, "invalid UTF-8 (byte 0x\(String(bad.byte, radix: 16, uppercase: true)) at byte \(bad.column) of the line); save the file as UTF-8")
        }
        var columns: [String: Int] = [:]
        var width = 0
        var rows: [LabelImportRow] = []
        rows.reserveCapacity(bytes.count / 24)
        var scratch: [UInt8] = []
        func text(_ field: CSVTokenizer.Field) -> String {
            CSVTokenizer.value(of: field, in: bytes, scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
        }
        do {
            try CSVTokenizer.forEachRow(in: bytes, from: start) { fields, line in
                if columns.isEmpty {
                    for (i, f) in fields.enumerated() {
                        let column = text(f)
                        if columns[column] != nil { throw InputError(file: name, line: line, "the column \(quoted(column)) appears twice in the header") }
                        columns[column] = i
                    }
                    for required in ["clip", "rater", "criterion", "value"] where columns[required] == nil {
                        throw InputError(file: name, line: line, "missing column '\(required)'; the header must name clip, rater, criterion and value (optional: frame, submitted_at)")
                    }
                    width = fields.count
                    return
                }
                guard fields.count == width else {
                    throw InputError(file: name, line: line, "expected \(width) fields as in the header, found \(fields.count)")
                }
                var row = LabelImportRow(line: line, clip: text(fields[columns["clip"]!]), rater: text(fields[columns["rater"]!]),
                                         criterion: text(fields[columns["criterion"]!]), value: text(fields[columns["value"]!]))
                for (column, value) in [("clip", row.clip), ("rater", row.rater), ("criterion", row.criterion), ("value", row.value)] where value.isEmpty {
                    throw InputError(file: name, line: line, "the \(column) is empty; every row needs clip, rater, criterion and value")
                }
                if let i = columns["frame"] {
                    let f = text(fields[i])
                    if !f.isEmpty {
                        guard let frame = Int(f), frame >= 0 else {
                            throw InputError(file: name, line: line, "frame \(quoted(f)) is not a frame number (0, 1, 2, …)")
                        }
                        row.frame = frame
                    }
                }
                if let i = columns["batch"] {
                    let b = text(fields[i])
                    if !b.isEmpty { row.batch = b }
                }
                if let i = columns["submitted_at"] {
                    let s = text(fields[i])
                    if !s.isEmpty { row.submittedAt = s }
                }
                rows.append(row)
            }
        } catch CSVTokenizer.Failure.unterminatedQuote(let line) {
            throw InputError(file: name, line: line, "a quoted field is never closed; add the closing '\"'")
        } catch CSVTokenizer.Failure.textAfterQuote(let line) {
            throw InputError(file: name, line: line, "text after a closing quote; a quote inside a quoted field is written '\"\"'")
        }
        return rows
    }

    /// `field` is applied to every value before CSV quoting (`TerminalView.csvField` on a terminal).
    static func render(_ labels: [ExportedLabel], field: (String) -> String = { $0 }) -> String {
        var out = exportColumns.joined(separator: ",") + "\n"
        for l in labels {
            let fields: [String] = [l.clip, l.rater, l.criterion, l.value, l.frame.map(String.init) ?? "", l.submittedAt, l.batch,
                                    String(l.item), l.rubricHash, String(l.revision), l.pts.map { "\($0)" } ?? "",
                                    l.dwellMs.map(String.init) ?? "", l.watchedShare.map { "\($0)" } ?? ""]
            out += fields.map { CSVField.escape(field($0)) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func renderJSONL(_ labels: [ExportedLabel]) -> String {
        labels.map { l in
            JSON.object([("clip", JSON.string(l.clip)), ("rater", JSON.string(l.rater)), ("criterion", JSON.string(l.criterion)),
                         ("value", JSON.string(l.value)), ("frame", l.frame.map(String.init) ?? "null"),
                         ("submitted_at", JSON.string(l.submittedAt)), ("batch", JSON.string(l.batch)), ("item", String(l.item)),
                         ("rubric_hash", JSON.string(l.rubricHash)), ("revision", String(l.revision)),
                         ("pts", l.pts.map { JSON.number($0) } ?? "null"), ("dwell_ms", l.dwellMs.map(String.init) ?? "null"),
                         ("watched", l.watchedShare.map { JSON.number($0) } ?? "null")])
        }.joined(separator: "\n") + (labels.isEmpty ? "" : "\n")
    }
}

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
