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
        if split >= bytes.count {
            var only = OpinionChunk(layout: layout, bytes: bytes.count - body)
            guard only.read(bytes, from: body, to: bytes.count) else { return nil }
            return matrix([only])
        }
        // Each thread writes only its own slot; concurrentPerform returns after both.
        final class Slot: @unchecked Sendable { var chunk: OpinionChunk? }
        let slots = [Slot(), Slot()]
        nonisolated(unsafe) let shared = bytes
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            let (from, to) = half == 0 ? (body, split) : (split, shared.count)
            var chunk = OpinionChunk(layout: layout, bytes: to - from)
            if chunk.read(shared, from: from, to: to) { slots[half].chunk = chunk }
        }
        guard let first = slots[0].chunk, let second = slots[1].chunk else { return nil }
        return matrix([first, second])
    }

    /// The chunks' names merged in file order (the second's interned into the first's), then
    /// every row written into its cell.
    private static func matrix(_ chunks: [OpinionChunk]) -> OpinionMatrix? {
        var all = chunks[0]
        var idMaps: [(units: [Int32], raters: [Int32], values: [Int32])] = [(.init(0..<Int32(all.units.count)),
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
            idMaps.append((units, raters, values))
        }
        let labels = all.values.names(), numbers = labels.compactMap(CategorySet.number(from:))
        guard numbers.count == labels.count else { return nil }
        let unitCount = all.units.count, raterCount = all.raters.count
        guard unitCount > 0 && raterCount > 0 && chunks.contains(where: { $0.rated > 0 }) else { return nil }
        // With two chunks the matrix is filled on two threads too, each the rows of half the
        // units (its own cells, its own claimed bits), reading every chunk's rows.
        let parts = chunks.count, cellCount = unitCount * raterCount, maps = idMaps
        var unitRated = [Bool](repeating: false, count: unitCount)
        // Each part writes only its rows of the matrix and of unitRated, and its own result.
        final class Part: @unchecked Sendable { var raterRated: [Bool] = [], duplicate = false }
        let results = (0..<parts).map { _ in Part() }
        let scores = [Double](unsafeUninitializedCapacity: cellCount) { buffer, initialized in
            unitRated.withUnsafeMutableBufferPointer { unitRated in
                nonisolated(unsafe) let (scores, unitRated) = (buffer.baseAddress!, unitRated.baseAddress!)
                let fill: @Sendable (Int) -> Void = { part in
                    let low = unitCount * part / parts, high = unitCount * (part + 1) / parts
                    (scores + low * raterCount).initialize(repeating: .nan, count: (high - low) * raterCount)
                    var claimed = [UInt64](repeating: 0, count: ((high - low) * raterCount + 63) / 64)
                    var rated = [Bool](repeating: false, count: raterCount)
                    for (chunk, map) in zip(chunks, maps) {
                        let fine = chunk.cells.withUnsafeBufferPointer { cells in
                            var k = 0
                            while k < cells.count {
                                let unit = Int(map.units[Int(cells[k])])
                                if unit >= low && unit < high {
                                    let rater = Int(map.raters[Int(cells[k + 1])]), value = cells[k + 2]
                                    let bit = (unit - low) * raterCount + rater, mask = UInt64(1) << UInt64(bit & 63)
                                    if claimed[bit >> 6] & mask != 0 { return false }
                                    claimed[bit >> 6] |= mask
                                    if value >= 0 {
                                        scores[unit * raterCount + rater] = numbers[Int(map.values[Int(value)])]
                                        unitRated[unit] = true
                                        rated[rater] = true
                                    }
                                }
                                k += 3
                            }
                            return true
                        }
                        if !fine { results[part].duplicate = true; break }
                    }
                    results[part].raterRated = rated
                }
                if parts == 1 { fill(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: fill) }
            }
            initialized = cellCount
        }
        if results.contains(where: \.duplicate) { return nil }
        let raterRated = (0..<raterCount).map { r in results.contains { $0.raterRated[r] } }
        return OpinionMatrix(unitNames: all.units.names(), raterNames: all.raters.names(), scores: scores,
                             unitRated: unitRated, raterRated: raterRated,
                             contentNames: all.contents.names(), contentOfUnit: all.contentOfUnit)
    }

    /// The ids in `into` of `from`'s names, interning those it lacks in `from`'s order.
    private static func merge(_ from: ByteInterner, into: inout ByteInterner) -> [Int32] {
        (0..<from.count).map { id in from.withBytes(of: id) { into.intern($0) } }
    }
}
