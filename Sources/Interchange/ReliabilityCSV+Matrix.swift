import Agreement
import Dispatch
import Glibc
import OpinionScores

/// `concord mos FILE` in one step from bytes to the dense matrix (docs/mos.md): a million
/// ratings are 25 MB, and reading them was most of the command's time. The rows are read
/// into ids on two threads, then written straight into the units × raters matrix, with no
/// line kept per rating and no list of empty cells.
///
/// Only a file with no problem at all is read this way: a quote, invalid UTF-8, a bad
/// header or row, a value that is not a number or a repeated (unit, rater) sends the bytes
/// to `parse(_:name:readContent:)` and `opinionData(name:)`, which find and word the first
/// problem with its line. The problems that remain after every row is accepted (no two
/// raters) are worded by the same code either way (`opinionData(unitNames:...)`).
extension ReliabilityCSV {
    /// `parse(bytes, name:, readContent: true).opinionData(name:)`: the same data, and for
    /// a file with a problem the same first error.
    public static func opinionData(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws
        -> (data: OpinionData, leftOut: (units: Int, raters: Int)) {
        try opinionData(bytes, name: name, split: nil)
    }

    /// `split`: where the rows are cut in two for the second thread (tests), 0 for one
    /// thread; nil: the middle, from a megabyte of rows on.
    static func opinionData(_ bytes: UnsafeBufferPointer<UInt8>, name: String, split: Int?) throws
        -> (data: OpinionData, leftOut: (units: Int, raters: Int)) {
        if let matrix = OpinionMatrix.read(bytes, split: split) {
            return try opinionData(unitNames: matrix.unitNames, raterNames: matrix.raterNames, scores: matrix.scores,
                                   unitRated: matrix.unitRated, raterRated: matrix.raterRated,
                                   contentNames: matrix.contentNames, contentOfUnit: matrix.contentOfUnit, name: name)
        }
        return try parse(bytes, name: name, readContent: true).opinionData(name: name)
    }
}

/// The matrix of a reliability CSV with no problem, or nil (`read`).
struct OpinionMatrix {
    var unitNames: [String], raterNames: [String]
    /// Row-major units × raters, NaN where no row gives a value.
    var scores: [Double]
    var unitRated: [Bool], raterRated: [Bool]
    var contentNames: [String], contentOfUnit: [Int32]

    /// nil when anything would make the parse refuse the bytes or `opinionData(name:)` refuse
    /// its rows before it has filled the matrix: then the slower path says what and where.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, split near: Int?) -> OpinionMatrix? {
        guard let base = bytes.baseAddress else { return nil }
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        var header = UnquotedRows(bytes, from: start, to: bytes.count, line: 1)
        guard header.next(),
              let layout = try? ReliabilityCSV.layout(header.fields, bytes: bytes, name: "", line: header.line, readContent: true)
        else { return nil }
        let body = header.position
        // The header's bytes are checked here; each chunk checks its own.
        guard OpinionChunk.plain(bytes, from: 0, to: body) else { return nil }
        let from = near.map { $0 == 0 ? bytes.count : max($0, body) } ?? (bytes.count - body >= 1 << 20 ? body + (bytes.count - body) / 2 : bytes.count)
        let newline = from < bytes.count ? memchr(base + from, Int32(UInt8(ascii: "\n")), bytes.count - from) : nil
        let split = newline.map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) + 1 } ?? bytes.count
        var chunks: [OpinionChunk]
        if split >= bytes.count {
            var only = OpinionChunk(layout: layout, bytes: bytes.count - body)
            guard only.read(bytes, from: body, to: bytes.count) else { return nil }
            chunks = [only]
        } else {
            // Each thread writes only its own slot; concurrentPerform returns after both.
            final class Slots: @unchecked Sendable { var chunks: [OpinionChunk?] = [nil, nil] }
            let slots = Slots()
            nonisolated(unsafe) let shared = bytes
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                let (from, to) = half == 0 ? (body, split) : (split, shared.count)
                var chunk = OpinionChunk(layout: layout, bytes: to - from)
                if chunk.read(shared, from: from, to: to) { slots.chunks[half] = chunk }
            }
            guard let first = slots.chunks[0], let second = slots.chunks[1] else { return nil }
            chunks = [first, second]
        }
        return matrix(chunks)
    }

    /// The chunks' names merged in file order (the second's interned into the first's), then
    /// every row written into its cell.
    private static func matrix(_ chunks: [OpinionChunk]) -> OpinionMatrix? {
        var all = chunks[0]
        var maps: [(units: [Int32], raters: [Int32], values: [Int32])] = [(.init(0..<Int32(all.units.count)),
                                                                          .init(0..<Int32(all.raters.count)),
                                                                          .init(0..<Int32(all.values.count)))]
        for later in chunks.dropFirst() {
            let units = merge(later.units, into: &all.units), raters = merge(later.raters, into: &all.raters)
            let values = merge(later.values, into: &all.values), contents = merge(later.contents, into: &all.contents)
            for (unit, content) in zip(units, later.contentOfUnit) {
                if Int(unit) == all.contentOfUnit.count {
                    all.contentOfUnit.append(contents[Int(content)])
                } else if all.contentOfUnit[Int(unit)] != contents[Int(content)] {
                    return nil
                }
            }
            maps.append((units, raters, values))
        }
        var numbers: [Double] = []
        for label in all.values.names() {
            guard let number = CategorySet.number(from: label) else { return nil }
            numbers.append(number)
        }
        let unitCount = all.units.count, raterCount = all.raters.count
        guard unitCount > 0 && raterCount > 0 && chunks.contains(where: { $0.rated > 0 }) else { return nil }
        var scores = [Double](repeating: .nan, count: unitCount * raterCount)
        var claimed = [UInt64](repeating: 0, count: (unitCount * raterCount + 63) / 64)
        var unitRated = [Bool](repeating: false, count: unitCount), raterRated = [Bool](repeating: false, count: raterCount)
        for (chunk, map) in zip(chunks, maps) {
            let fine = chunk.cells.withUnsafeBufferPointer { cells in
                scores.withUnsafeMutableBufferPointer { scores in
                    claimed.withUnsafeMutableBufferPointer { claimed in
                        var k = 0
                        while k < cells.count {
                            let unit = Int(map.units[Int(cells[k])]), rater = Int(map.raters[Int(cells[k + 1])]), value = cells[k + 2]
                            let cell = unit * raterCount + rater, bit = UInt64(1) << UInt64(cell & 63)
                            if claimed[cell >> 6] & bit != 0 { return false }
                            claimed[cell >> 6] |= bit
                            if value >= 0 {
                                scores[cell] = numbers[Int(map.values[Int(value)])]
                                unitRated[unit] = true
                                raterRated[rater] = true
                            }
                            k += 3
                        }
                        return true
                    }
                }
            }
            if !fine { return nil }
        }
        return OpinionMatrix(unitNames: all.units.names(), raterNames: all.raters.names(), scores: scores,
                             unitRated: unitRated, raterRated: raterRated,
                             contentNames: all.contents.names(), contentOfUnit: all.contentOfUnit)
    }

    /// The ids in `into` of `from`'s names, interning those it lacks in `from`'s order.
    private static func merge(_ from: ByteInterner, into: inout ByteInterner) -> [Int32] {
        (0..<from.count).map { id in from.withBytes(of: id) { into.intern($0) } }
    }
}

/// The rows of one chunk of a file as ids: three per row (unit, rater, value or -1 for an
/// empty value), with each unit's content.
struct OpinionChunk {
    let layout: ReliabilityRows.Layout
    var units = ByteInterner(), raters = ByteInterner(), values = ByteInterner(), contents = ByteInterner()
    var cells: [Int32] = []
    var contentOfUnit: [Int32] = []
    /// Rows with a value.
    var rated = 0

    /// `bytes` is how much of the file the chunk is: room for its rows if each is 12 bytes
    /// or more (a million ratings average 25); shorter ones grow the list.
    init(layout: ReliabilityRows.Layout, bytes: Int) {
        self.layout = layout
        cells.reserveCapacity(bytes / 4)
    }

    /// Bytes the quote-free reader may read as they are: no '"' and valid UTF-8. One pass a
    /// word at a time finds a quote or any non-ASCII byte; only text with non-ASCII bytes is
    /// then checked as UTF-8.
    static func plain(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        guard from < to else { return true }
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* UInt64(UInt8(ascii: "\""))
        var any: UInt64 = 0, k = from
        while k + 8 <= to {
            let word = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self), q = word ^ quotes
            if (q &- ones) & ~q & highs != 0 { return false }
            any |= word
            k += 8
        }
        while k < to {
            if bytes[k] == UInt8(ascii: "\"") { return false }
            any |= UInt64(bytes[k])
            k += 1
        }
        return any & highs == 0 || firstInvalidUTF8(in: UnsafeBufferPointer(rebasing: bytes[from..<to])) == nil
    }

    /// Reads the rows of `bytes[from..<to]` (`from` at the start of a line); false at the
    /// first thing `ReliabilityRows.take` would refuse, or bytes that are not `plain`.
    ///
    /// The fields are found as `UnquotedRows` finds them. Ratings files are written unit by
    /// unit: a row's unit and content are mostly the last row's, so they are compared with
    /// the last row's bytes before the interner is asked; a one-byte value (a 1–5 scale) is
    /// looked up in a table.
    mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        guard Self.plain(bytes, from: from, to: to) else { return false }
        let base = bytes.baseAddress!, width = layout.width
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: 2 * width), ends = starts + width
        defer { starts.deallocate() }
        let unitColumn = layout.unit, raterColumn = layout.rater, valueColumn = layout.value, contentColumn = layout.content ?? -1
        var byteValue = [Int32](repeating: -1, count: 256)
        var lastUnit = (start: 0, end: -1, id: Int32(-1)), lastContent = (start: 0, end: -1, id: Int32(-1))
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r"), newline = UInt8(ascii: "\n")
        var p = from
        while p < to {
            var count = 0
            while true {
                let q = UnquotedRows.delimiter(base, from: p, to: to)
                var s = p, e = q
                while s < q && (base[s] == space || base[s] == tab) { s += 1 }
                if e > p && base[e - 1] == cr && (q >= to || base[q] == newline) { e -= 1 }
                while e > s && (base[e - 1] == space || base[e - 1] == tab) { e -= 1 }
                if count < width { starts[count] = s; ends[count] = max(s, e) }
                count += 1
                if q >= to { p = to; break }
                p = q + 1
                if base[q] == newline { break }
            }
            if count == 1 && starts[0] == ends[0] { continue }
            guard count == width else { return false }
            let unitStart = starts[unitColumn], unitEnd = ends[unitColumn]
            let raterStart = starts[raterColumn], raterEnd = ends[raterColumn]
            guard unitStart < unitEnd && raterStart < raterEnd else { return false }
            let sameUnit = Self.same(bytes, unitStart, unitEnd, lastUnit.start, lastUnit.end)
            let unit = sameUnit ? lastUnit.id : units.intern(bytes, unitStart, unitEnd)
            lastUnit = (unitStart, unitEnd, unit)
            if contentColumn >= 0 {
                let start = starts[contentColumn], end = ends[contentColumn]
                guard start < end else { return false }
                let sameContent = Self.same(bytes, start, end, lastContent.start, lastContent.end)
                let content = sameContent ? lastContent.id : contents.intern(bytes, start, end)
                lastContent = (start, end, content)
                if !(sameUnit && sameContent) {
                    if Int(unit) == contentOfUnit.count {
                        contentOfUnit.append(content)
                    } else if contentOfUnit[Int(unit)] != content {
                        return false
                    }
                }
            }
            let rater = raters.intern(bytes, raterStart, raterEnd)
            var value: Int32 = -1
            let valueStart = starts[valueColumn], valueEnd = ends[valueColumn]
            if valueStart < valueEnd {
                if valueEnd - valueStart == 1 {
                    value = byteValue[Int(base[valueStart])]
                    if value < 0 {
                        value = values.intern(bytes, valueStart, valueEnd)
                        byteValue[Int(base[valueStart])] = value
                    }
                } else {
                    value = values.intern(bytes, valueStart, valueEnd)
                }
                rated += 1
            }
            cells.append(unit)
            cells.append(rater)
            cells.append(value)
        }
        return true
    }

    /// Whether `bytes[a..<aEnd]` and `bytes[b..<bEnd]` are the same bytes, a word at a time
    /// (a last partial word read whole where the buffer has room, masked).
    @inline(__always)
    static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Bool {
        let n = aEnd - a
        guard n == bEnd - b else { return false }
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        var k = 0
        while k + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: a + k, as: UInt64.self) != raw.loadUnaligned(fromByteOffset: b + k, as: UInt64.self) {
                return false
            }
            k += 8
        }
        guard k < n else { return true }
        if max(a, b) + k + 8 <= bytes.count {
            let mask: UInt64 = (1 << (8 * UInt64(n - k))) - 1
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: a + k, as: UInt64.self))
            let y = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: b + k, as: UInt64.self))
            return (x ^ y) & mask == 0
        }
        while k < n {
            if bytes[a + k] != bytes[b + k] { return false }
            k += 1
        }
        return true
    }
}
