import JSONWriter
import Printable

/// One row of a labels file as read (the labels CSV, Label Studio's JSON): what the project
/// file's importer checks and stores. `line` is where a message points: the CSV line, or the
/// Label Studio task number.
public struct ImportedLabel: Sendable, Equatable {
    public var line: Int
    public var clip: String
    public var rater: String
    public var criterion: String
    public var value: String
    public var frame: Int?
    public var submittedAt: String?
    /// The batch column (as `label export` writes it): which batch the clip's item is in.
    public var batch: String?
    /// A model's confidence in the value, in [0, 1] (the `confidence` column, Label
    /// Studio's `score`): what `concord judge` calibrates (docs/release-gate-and-judges.md).
    public var confidence: Double?
    /// Which repeated sample of the same model on the same item the row is (the `sample`
    /// column, from 1): `concord judge`'s self-agreement compares them.
    public var sample: Int?

    public init(line: Int, clip: String, rater: String, criterion: String, value: String, frame: Int? = nil,
                submittedAt: String? = nil, batch: String? = nil, confidence: Double? = nil, sample: Int? = nil) {
        self.line = line; self.clip = clip; self.rater = rater; self.criterion = criterion; self.value = value
        self.frame = frame; self.submittedAt = submittedAt; self.batch = batch
        self.confidence = confidence; self.sample = sample
    }

    /// A confidence as written in a file, or why it is not one: a decimal in [0, 1]
    /// ("0.85", "1", "7e-1"); not "85%", not NaN.
    public static func confidence(_ text: String) -> Result<Double, InputError> {
        guard let x = Double(text), x.isFinite, text.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            return .failure(InputError("confidence \(quoted(text)) is not a number; write the model's probability for its answer as a decimal from 0 to 1 (0.85)"))
        }
        guard x >= 0 && x <= 1 else {
            return .failure(InputError("confidence \(text) is outside [0, 1]; write a probability (0.85, not 85)"))
        }
        return .success(x)
    }
}

/// A current label as the exports write it. A protocol, not a struct, so the project file's
/// rows are written as they are read (Interchange knows no SQL and no Store types).
public protocol ExportableLabel {
    var clip: String { get }
    var rater: String { get }
    var criterion: String { get }
    var value: String { get }
    var frame: Int? { get }
    var submittedAt: String { get }
    var batch: String { get }
    var item: Int64 { get }
    var rubricHash: String { get }
    var revision: Int { get }
    var pts: Double? { get }
    var dwellMs: Int? { get }
    /// Share of the clip's frames the rater had seen when submitting from the workbench;
    /// nil for imported labels.
    var watchedShare: Double? { get }
    /// The display the label was judged on: mode ("kitty"…"player"), picture size
    /// ("640x360"), colours ("24-bit", "256", "none"…) and playback speeds ("0.5,1"); nil
    /// for imported labels and submissions that recorded none.
    var display: String? { get }
    var displaySize: String? { get }
    var colors: String? { get }
    var speeds: String? { get }
    /// The model's confidence in the value, and which repeated sample it is; nil when the
    /// import gave none.
    var confidence: Double? { get }
    var sample: Int? { get }
    /// For a pair item: clip b (`clip` is clip a), and the side the rater saw clip a on
    /// ("a" or "b", nil when not recorded); nil for an item about one clip.
    var clipB: String? { get }
    var left: String? { get }
}

/// A label from where no model's prediction was imported has neither.
extension ExportableLabel {
    public var confidence: Double? { nil }
    public var sample: Int? { nil }
    public var clipB: String? { nil }
    public var left: String? { nil }
}

/// The labels CSV (docs/project-file.md "Decisions": labels CSV import, `label export`).
public enum LabelsCSV {
    public static let exportColumns = ["clip", "rater", "criterion", "value", "frame", "submitted_at", "batch", "item",
                                "rubric_hash", "revision", "pts", "dwell_ms", "watched",
                                       "display", "display_size", "colors", "speeds", "confidence", "sample"]

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws -> [ImportedLabel] {
        var rows: [ImportedLabel] = []
        rows.reserveCapacity(bytes.count / 24)
        try parse(bytes, name: name) { rows.append($0) }
        return rows
    }

    /// `parse(_:name:)` handing each row to `each` as it is read, in file order (so a
    /// million rows need not be held at once: a PostgreSQL import sends them as they come).
    /// A problem in the file is thrown where it is found, after the rows before it.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String, each: (ImportedLabel) throws -> Void) throws {
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
        // Where each column is, found once from the header.
        var at = (clip: 0, rater: 0, criterion: 0, value: 0, frame: Int?.none, batch: Int?.none, submittedAt: Int?.none,
                  confidence: Int?.none, sample: Int?.none)
        var scratch: [UInt8] = []
        func text(_ field: CSVTokenizer.Field) -> String {
            CSVTokenizer.value(of: field, in: bytes, scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
        }
        // Clips, raters, criteria and batches repeat across a million rows: each
        // distinct one becomes a String once, and the rows share it.
        var interner = ByteInterner()
        var interned: [String] = []
        func shared(_ field: CSVTokenizer.Field) -> String {
            CSVTokenizer.value(of: field, in: bytes, scratch: &scratch) { bytes in
                let id = Int(interner.intern(bytes))
                if id == interned.count { interned.append(String(decoding: bytes, as: UTF8.self)) }
                return interned[id]
            }
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
                        throw InputError(file: name, line: line, "missing column '\(required)'; the header must name clip, rater, criterion and value (optional: frame, submitted_at, batch, confidence, sample)")
                    }
                    at = (columns["clip"]!, columns["rater"]!, columns["criterion"]!, columns["value"]!, columns["frame"], columns["batch"],
                          columns["submitted_at"], columns["confidence"], columns["sample"])
                    width = fields.count
                    return
                }
                guard fields.count == width else {
                    throw InputError(file: name, line: line, "expected \(width) fields as in the header, found \(fields.count)")
                }
                func isEmpty(_ index: Int) -> Bool { fields[index].start == fields[index].end }
                if let column = isEmpty(at.clip) ? "clip" : isEmpty(at.rater) ? "rater" : isEmpty(at.criterion) ? "criterion"
                                : isEmpty(at.value) ? "value" : nil {
                    throw InputError(file: name, line: line, "the \(column) is empty; every row needs clip, rater, criterion and value")
                }
                var row = ImportedLabel(line: line, clip: shared(fields[at.clip]), rater: shared(fields[at.rater]),
                                         criterion: shared(fields[at.criterion]), value: text(fields[at.value]))
                if let i = at.frame {
                    let f = text(fields[i])
                    if !f.isEmpty {
                        guard let frame = Int(f), frame >= 0 else {
                            throw InputError(file: name, line: line, "frame \(quoted(f)) is not a frame number (0, 1, 2, …)")
                        }
                        row.frame = frame
                    }
                }
                if let i = at.batch {
                    let b = shared(fields[i])
                    if !b.isEmpty { row.batch = b }
                }
                if let i = at.submittedAt {
                    let s = text(fields[i])
                    if !s.isEmpty { row.submittedAt = s }
                }
                if let i = at.confidence {
                    let c = text(fields[i])
                    if !c.isEmpty {
                        switch ImportedLabel.confidence(c) {
                        case .success(let x): row.confidence = x
                        case .failure(let problem): throw InputError(file: name, line: line, problem.message)
                        }
                    }
                }
                if let i = at.sample {
                    let s = text(fields[i])
                    if !s.isEmpty {
                        guard let n = Int(s), n >= 1, n <= 1_000_000 else {
                            throw InputError(file: name, line: line, "sample \(quoted(s)) is not a sample number (1, 2, 3, …: which repeated run of the model gave the row)")
                        }
                        row.sample = n
                    }
                }
                try each(row)
            }
        } catch CSVTokenizer.Failure.unterminatedQuote(let line) {
            throw InputError(file: name, line: line, "a quoted field is never closed; add the closing '\"'")
        } catch CSVTokenizer.Failure.textAfterQuote(let line) {
            throw InputError(file: name, line: line, "text after a closing quote; a quote inside a quoted field is written '\"\"'")
        }
    }

    /// The columns an export with pair items adds (docs/pairwise.md "Projects"): clip b and
    /// the side clip a was shown on. Left out when no label is about a pair, so the export
    /// of a project without pairwise batches is as it always was.
    public static let pairColumns = ["clip_b", "left"]

    /// `field` is applied to every value before CSV quoting (`TerminalView.csvField` on a terminal).
    public static func render(_ labels: [some ExportableLabel], field: (String) -> String = { $0 }) -> String {
        let pairs = labels.contains { $0.clipB != nil }
        var out = (exportColumns + (pairs ? pairColumns : [])).joined(separator: ",") + "\n"
        for l in labels {
            var fields: [String] = [l.clip, l.rater, l.criterion, l.value, l.frame.map(String.init) ?? "", l.submittedAt, l.batch,
                                    String(l.item), l.rubricHash, String(l.revision), l.pts.map { "\($0)" } ?? "",
                                    l.dwellMs.map(String.init) ?? "", l.watchedShare.map { "\($0)" } ?? "",
                                    l.display ?? "", l.displaySize ?? "", l.colors ?? "", l.speeds ?? "",
                                    l.confidence.map { "\($0)" } ?? "", l.sample.map(String.init) ?? ""]
            if pairs { fields += [l.clipB ?? "", l.left ?? ""] }
            out += fields.map { CSVField.escape(field($0)) }.joined(separator: ",") + "\n"
        }
        return out
    }

    public static func renderJSONL(_ labels: [some ExportableLabel]) -> String {
        labels.map { l in
            let pair: [(String, String)] = l.clipB.map { [("clip_b", JSON.string($0)), ("left", l.left.map(JSON.string) ?? JSON.null)] } ?? []
            return JSON.object([("clip", JSON.string(l.clip)), ("rater", JSON.string(l.rater)), ("criterion", JSON.string(l.criterion)),
                         ("value", JSON.string(l.value)), ("frame", l.frame.map(String.init) ?? JSON.null),
                         ("submitted_at", JSON.string(l.submittedAt)), ("batch", JSON.string(l.batch)), ("item", String(l.item)),
                         ("rubric_hash", JSON.string(l.rubricHash)), ("revision", String(l.revision)),
                         ("pts", l.pts.map { JSON.number($0) } ?? JSON.null), ("dwell_ms", l.dwellMs.map(String.init) ?? JSON.null),
                         ("watched", l.watchedShare.map { JSON.number($0) } ?? JSON.null),
                         ("display", l.display.map(JSON.string) ?? JSON.null),
                         ("display_size", l.displaySize.map(JSON.string) ?? JSON.null),
                         ("colors", l.colors.map(JSON.string) ?? JSON.null), ("speeds", l.speeds.map(JSON.string) ?? JSON.null),
                         ("confidence", l.confidence.map(JSON.number) ?? JSON.null), ("sample", l.sample.map(String.init) ?? JSON.null)] + pair)
        }.joined(separator: "\n") + (labels.isEmpty ? "" : "\n")
    }
}
