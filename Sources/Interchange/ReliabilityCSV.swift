import Agreement
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
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        guard bytes[start...].contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw InputError("\(printableText(name)): the file is empty; expected a header line 'unit,rater,value' and one row per rating")
        }
        if let bad = firstInvalidUTF8(in: bytes) {
            throw InputError(file: name, line: bad.line, "invalid UTF-8 (byte 0x\(String(bad.byte, radix: 16, uppercase: true)) at byte \(bad.column) of the line); save the file as UTF-8")
        }
        var units = ByteInterner(), raters = ByteInterner(), values = ByteInterner(), contents = ByteInterner()
        var result = ReliabilityCSV(unitNames: [], raterNames: [], valueLabels: [], ratings: [], ratingLines: [],
                                    emptyCells: [], emptyCellLines: [], firstLineOfLabel: [])
        result.ratings.reserveCapacity(bytes.count / 12)
        result.ratingLines.reserveCapacity(bytes.count / 12)
        var columns: (unit: Int, rater: Int, value: Int)?
        var headerWidth = 0
        var contentColumn: Int?
        var scratch: [UInt8] = []
        do {
            try CSVTokenizer.forEachRow(in: bytes, from: start) { fields, line in
                guard let (unitColumn, raterColumn, valueColumn) = columns else {
                    columns = try header(fields, bytes: bytes, name: name, line: line)
                    headerWidth = fields.count
                    if readContent { contentColumn = try optionalColumn("content", fields, bytes: bytes, name: name, line: line) }
                    return
                }
                guard fields.count == headerWidth else {
                    throw InputError(file: name, line: line, "expected \(headerWidth) fields as in the header, found \(fields.count)")
                }
                let unit = CSVTokenizer.value(of: fields[unitColumn], in: bytes, scratch: &scratch) { units.intern($0) }
                if fields[unitColumn].start == fields[unitColumn].end {
                    throw InputError(file: name, line: line, "the unit is empty; every row needs a unit")
                }
                if let contentColumn {
                    try result.readContent(fields[contentColumn], unit: unit, line: line, bytes: bytes, interner: &contents,
                                           units: units, name: name, scratch: &scratch)
                }
                let rater = CSVTokenizer.value(of: fields[raterColumn], in: bytes, scratch: &scratch) { raters.intern($0) }
                if fields[raterColumn].start == fields[raterColumn].end {
                    throw InputError(file: name, line: line, "the rater is empty; every row needs a rater")
                }
                let valueField = fields[valueColumn]
                if valueField.start == valueField.end {
                    result.emptyCells.append((unit, rater))
                    result.emptyCellLines.append(Int32(line))
                    return
                }
                let value = CSVTokenizer.value(of: valueField, in: bytes, scratch: &scratch) { values.intern($0) }
                if Int(value) == result.firstLineOfLabel.count { result.firstLineOfLabel.append(Int32(line)) }
                result.ratings.append(ReliabilityData.Rating(unit: unit, rater: rater, category: value))
                result.ratingLines.append(Int32(line))
            }
        } catch CSVTokenizer.Failure.unterminatedQuote(let line) {
            throw InputError(file: name, line: line, "a quoted field is never closed; add the closing '\"'")
        } catch CSVTokenizer.Failure.textAfterQuote(let line) {
            throw InputError(file: name, line: line, "text after a closing quote; a quote inside a quoted field is written '\"\"'")
        }
        result.unitNames = units.names()
        result.raterNames = raters.names()
        result.valueLabels = values.names()
        result.contentNames = contents.names()
        return result
    }

    /// The column `column` if the header names it once; nil if it does not.
    private static func optionalColumn(_ column: String, _ fields: [CSVTokenizer.Field], bytes: UnsafeBufferPointer<UInt8>,
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

    /// Records a row's content for its unit: units are numbered by first appearance, so a
    /// unit seen for the first time is the next index.
    private mutating func readContent(_ field: CSVTokenizer.Field, unit: Int32, line: Int, bytes: UnsafeBufferPointer<UInt8>,
                                      interner: inout ByteInterner, units: ByteInterner, name: String,
                                      scratch: inout [UInt8]) throws {
        if field.start == field.end {
            throw InputError(file: name, line: line, "the content is empty; give every row the source its unit was made from, or leave out the content column")
        }
        let content = CSVTokenizer.value(of: field, in: bytes, scratch: &scratch) { interner.intern($0) }
        if Int(unit) == contentOfUnit.count {
            contentOfUnit.append(content)
            contentLineOfUnit.append(Int32(line))
        } else if contentOfUnit[Int(unit)] != content {
            let names = interner.names()
            throw InputError(file: name, line: line,
                             "unit \(quoted(units.names()[Int(unit)])) has the content \(quoted(names[Int(content)])) here but \(quoted(names[Int(contentOfUnit[Int(unit)])])) at line \(contentLineOfUnit[Int(unit)]); a unit is made from one content")
        }
    }

    private static func header(_ fields: [CSVTokenizer.Field], bytes: UnsafeBufferPointer<UInt8>, name: String,
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
