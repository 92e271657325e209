import Agreement
import Glibc
import Printable

/// A reliability CSV (README.md "Agreement from a file"): header `unit,rater,value` (any order,
/// other columns ignored), one row per rating, an empty value is a missing rating, a
/// repeated (unit, rater) is an error naming both lines.
public struct ReliabilityCSV {
    public var unitNames: [String]
    public var raterNames: [String]
    /// Distinct non-empty value texts, by first appearance.
    public var valueLabels: [String]
    /// Ratings with `category` = index into `valueLabels`.
    public var ratings: [ReliabilityData.Rating]
    public var ratingLines: [Int32]
    public var emptyCells: [(unit: Int32, rater: Int32)]
    public var emptyCellLines: [Int32]
    /// The first line each value label appears on (for messages about a value).
    public var firstLineOfLabel: [Int32]
    /// With `readContent` and a `content` column: the contents (source clips) by first
    /// appearance, each unit's content, and the line that gave it (`concord mos`, docs/mos.md).
    public var contentNames: [String] = []
    public var contentOfUnit: [Int32] = []
    public var contentLineOfUnit: [Int32] = []

    public static let requiredColumns = ["unit", "rater", "value"]

    /// Parses `bytes`; `name` is how messages refer to the input (a path, or "<stdin>").
    /// With `readContent`, an optional `content` column gives each unit's content (one per
    /// unit; a second one for the same unit is an error naming both lines).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String, readContent: Bool = false) throws -> ReliabilityCSV {
        try parse(bytes, name: name, readContent: readContent, reading: .fastest)
    }

    /// How the rows are found: every way gives the same result and the same first error.
    enum Reading {
        /// `tokenizer` where the bytes hold a '"', else `unquoted`, in two chunks on two
        /// threads from a megabyte of rows on.
        case fastest
        /// `CSVTokenizer.forEachRow`, which reads any RFC 4180 file.
        case tokenizer
        /// `UnquotedRows` (for bytes without a '"'), on one thread.
        case unquoted
        /// `UnquotedRows` in two chunks on two threads, the first ending at the first line
        /// break at or after byte `near` (the middle of the rows if nil).
        case chunks(near: Int?)
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String, readContent: Bool, reading: Reading) throws -> ReliabilityCSV {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        guard bytes[start...].contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw InputError("\(printableText(name)): the file is empty; expected a header line 'unit,rater,value' and one row per rating")
        }
        if let bad = firstInvalidUTF8(in: bytes) {
            throw InputError(file: name, line: bad.line, "invalid UTF-8 (byte 0x\(String(bad.byte, radix: 16, uppercase: true)) at byte \(bad.column) of the line); save the file as UTF-8")
        }
        var reading = reading
        if case .fastest = reading {
            reading = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\"")), bytes.count - start) != nil ? .tokenizer
                : bytes.count - start >= 1 << 20 ? .chunks(near: nil) : .unquoted
        }
        let rows: ReliabilityRows?
        switch reading {
        case .fastest, .tokenizer: rows = try tokenized(bytes, from: start, name: name, readContent: readContent)
        case .unquoted: rows = try unquoted(bytes, from: start, name: name, readContent: readContent, chunks: false, near: nil)
        case .chunks(let near): rows = try unquoted(bytes, from: start, name: name, readContent: readContent, chunks: true, near: near)
        }
        var result = ReliabilityCSV(unitNames: [], raterNames: [], valueLabels: [], ratings: [], ratingLines: [],
                                    emptyCells: [], emptyCellLines: [], firstLineOfLabel: [])
        guard let rows else { return result }
        result.unitNames = rows.units.names()
        result.raterNames = rows.raters.names()
        result.valueLabels = rows.values.names()
        result.contentNames = rows.contents.names()
        result.ratings = rows.ratings
        result.ratingLines = rows.ratingLines
        result.emptyCells = rows.emptyCells
        result.emptyCellLines = rows.emptyCellLines
        result.firstLineOfLabel = rows.firstLineOfLabel
        result.contentOfUnit = rows.contentOfUnit
        result.contentLineOfUnit = rows.contentLineOfUnit
        return result
    }

    /// Any RFC 4180 file through `CSVTokenizer`; nil if it has no header row.
    private static func tokenized(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, name: String,
                                  readContent: Bool) throws -> ReliabilityRows? {
        var rows: ReliabilityRows?
        do {
            try CSVTokenizer.forEachRow(in: bytes, from: start) { fields, line in
                guard rows != nil else {
                    rows = ReliabilityRows(layout: try layout(fields, bytes: bytes, name: name, line: line, readContent: readContent),
                                           bytes: bytes.count)
                    return
                }
                let problem = fields.withUnsafeBufferPointer { fields -> ReliabilityRows.Problem? in
                    do throws(ReliabilityRows.Problem) { try rows!.take(fields, line: line, in: bytes) } catch { return error }
                    return nil
                }
                if let problem { throw rows!.error(problem, name: name) }
            }
        } catch CSVTokenizer.Failure.unterminatedQuote(let line) {
            throw InputError(file: name, line: line, "a quoted field is never closed; add the closing '\"'")
        } catch CSVTokenizer.Failure.textAfterQuote(let line) {
            throw InputError(file: name, line: line, "text after a closing quote; a quote inside a quoted field is written '\"\"'")
        }
        return rows
    }

    /// The columns the header names (`requiredColumns`, and `content` with `readContent`).
    static func layout(_ fields: some Collection<CSVTokenizer.Field>, bytes: UnsafeBufferPointer<UInt8>, name: String, line: Int,
                       readContent: Bool) throws -> ReliabilityRows.Layout {
        let (unit, rater, value) = try header(fields, bytes: bytes, name: name, line: line)
        let content = readContent ? try optionalColumn("content", fields, bytes: bytes, name: name, line: line) : nil
        return ReliabilityRows.Layout(unit: unit, rater: rater, value: value, content: content, width: fields.count)
    }

    /// The column `column` if the header names it once; nil if it does not.
    private static func optionalColumn(_ column: String, _ fields: some Collection<CSVTokenizer.Field>, bytes: UnsafeBufferPointer<UInt8>,
                                       name: String, line: Int) throws -> Int? {
        var scratch: [UInt8] = []
        let names = fields.map { f in
            CSVTokenizer.value(of: f, in: bytes, scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
        }
        guard let i = names.firstIndex(of: column) else { return nil }
        if names.lastIndex(of: column) != i {
            throw InputError(file: name, line: line, "the column \(quoted(column)) appears twice in the header")
        }
        return i
    }

    private static func header(_ fields: some Collection<CSVTokenizer.Field>, bytes: UnsafeBufferPointer<UInt8>, name: String,
                               line: Int) throws -> (Int, Int, Int) {
        var scratch: [UInt8] = []
        let names = fields.map { f in
            CSVTokenizer.value(of: f, in: bytes, scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
        }
        var found: [Int] = []
        for column in requiredColumns {
            guard let i = names.firstIndex(of: column) else {
                let shown = names.joined(separator: ",")
                throw InputError(file: name, line: line,
                    "missing column '\(column)'; the header must name the columns unit, rater and value (found \(quoted(shown)))")
            }
            if names.lastIndex(of: column) != i {
                throw InputError(file: name, line: line, "the column \(quoted(column)) appears twice in the header")
            }
            found.append(i)
        }
        return (found[0], found[1], found[2])
    }
}
