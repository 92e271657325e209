import Agreement
import Printable

/// The rows of a reliability CSV after its header, as interned ids: what `ReliabilityCSV.parse`
/// fills whichever tokenizer found the fields, and what each chunk of a file read on two
/// threads fills before the chunks are merged in order (`ReliabilityCSV+Chunks.swift`).
struct ReliabilityRows {
    /// Where the header put the columns.
    struct Layout {
        var unit: Int, rater: Int, value: Int
        var content: Int?
        /// Fields in the header; every row must have as many.
        var width: Int
    }

    /// A row refused. It becomes the `InputError` message only once the names it quotes are
    /// known: a content conflict found in a chunk is worded with the whole file's first line.
    enum Problem: Error {
        case fieldCount(line: Int, found: Int)
        case emptyUnit(line: Int)
        case emptyContent(line: Int)
        case contentConflict(line: Int, unit: Int32, content: Int32)
        case emptyRater(line: Int)

        var line: Int {
            switch self {
            case .fieldCount(let line, _), .emptyUnit(let line), .emptyContent(let line),
                 .contentConflict(let line, _, _), .emptyRater(let line): line
            }
        }
    }

    let layout: Layout
    var units = ByteInterner(), raters = ByteInterner(), values = ByteInterner(), contents = ByteInterner()
    var ratings: [ReliabilityData.Rating] = []
    var ratingLines: [Int32] = []
    var emptyCells: [(unit: Int32, rater: Int32)] = []
    var emptyCellLines: [Int32] = []
    var firstLineOfLabel: [Int32] = []
    var contentOfUnit: [Int32] = []
    var contentLineOfUnit: [Int32] = []
    private var scratch: [UInt8] = []

    /// `bytes` is how much of the file these rows come from (a rating row is at least six).
    init(layout: Layout, bytes: Int) {
        self.layout = layout
        ratings.reserveCapacity(bytes / 12)
        ratingLines.reserveCapacity(bytes / 12)
    }

    /// One row, checked in the order its fields are read: the field count, the unit, its
    /// content, the rater, then the value (an empty value is a missing rating).
    @inline(__always)
    mutating func take(_ fields: UnsafeBufferPointer<CSVTokenizer.Field>, line: Int, in bytes: UnsafeBufferPointer<UInt8>) throws(Problem) {
        guard fields.count == layout.width else { throw .fieldCount(line: line, found: fields.count) }
        let unitField = fields[layout.unit]
        let unit = Self.intern(unitField, bytes, &units, &scratch)
        if unitField.start == unitField.end { throw .emptyUnit(line: line) }
        if let contentColumn = layout.content {
            let field = fields[contentColumn]
            if field.start == field.end { throw .emptyContent(line: line) }
            let content = Self.intern(field, bytes, &contents, &scratch)
            if Int(unit) == contentOfUnit.count {
                contentOfUnit.append(content)
                contentLineOfUnit.append(Int32(line))
            } else if contentOfUnit[Int(unit)] != content {
                throw .contentConflict(line: line, unit: unit, content: content)
            }
        }
        let raterField = fields[layout.rater]
        let rater = Self.intern(raterField, bytes, &raters, &scratch)
        if raterField.start == raterField.end { throw .emptyRater(line: line) }
        let valueField = fields[layout.value]
        if valueField.start == valueField.end {
            emptyCells.append((unit, rater))
            emptyCellLines.append(Int32(line))
            return
        }
        let value = Self.intern(valueField, bytes, &values, &scratch)
        if Int(value) == firstLineOfLabel.count { firstLineOfLabel.append(Int32(line)) }
        ratings.append(ReliabilityData.Rating(unit: unit, rater: rater, category: value))
        ratingLines.append(Int32(line))
    }

    @inline(__always)
    private static func intern(_ field: CSVTokenizer.Field, _ bytes: UnsafeBufferPointer<UInt8>,
                               _ interner: inout ByteInterner, _ scratch: inout [UInt8]) -> Int32 {
        if !field.hasEscapes { return interner.intern(bytes, field.start, field.end) }
        return CSVTokenizer.value(of: field, in: bytes, scratch: &scratch) { interner.intern($0) }
    }

    /// The message of `problem`, in the file `name`, worded with these rows' names and lines.
    func error(_ problem: Problem, name: String) -> InputError {
        let message = switch problem {
        case .fieldCount(_, let found): "expected \(layout.width) fields as in the header, found \(found)"
        case .emptyUnit: "the unit is empty; every row needs a unit"
        case .emptyContent: "the content is empty; give every row the source its unit was made from, or leave out the content column"
        case .contentConflict(_, let unit, let content):
            "unit \(quoted(units.name(of: Int(unit)))) has the content \(quoted(contents.name(of: Int(content)))) here but \(quoted(contents.name(of: Int(contentOfUnit[Int(unit)])))) at line \(contentLineOfUnit[Int(unit)]); a unit is made from one content"
        case .emptyRater: "the rater is empty; every row needs a rater"
        }
        return InputError(file: name, line: problem.line, message)
    }
}

extension ByteInterner {
    /// The name of one id (for a message).
    func name(of id: Int) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }
}
