import Dispatch
import Glibc

/// A reliability CSV without a '"' read by `UnquotedRows`, on one thread or in two chunks on
/// two: a million ratings are 25 MB, and the machines concord runs on have at least two
/// cores. Chunks split at a line break, so no row is cut; the second chunk interns its own
/// names and is then merged into the first in order, which gives exactly the one-thread
/// result: the same ids (names by first appearance), the same lines, the same first error.
extension ReliabilityCSV {
    /// nil if the bytes hold no header row.
    static func unquoted(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, name: String, readContent: Bool,
                         chunks: Bool, near: Int?) throws -> ReliabilityRows? {
        var header = UnquotedRows(bytes, from: start, to: bytes.count, line: 1)
        guard header.next() else { return nil }
        let layout = try layout(header.fields, bytes: bytes, name: name, line: header.line, readContent: readContent)
        let body = header.position, bodyLine = header.nextLine
        var split: Int?
        if chunks {
            let from = max(near ?? body + (bytes.count - body) / 2, body)
            if from < bytes.count, let newline = memchr(bytes.baseAddress! + from, Int32(UInt8(ascii: "\n")), bytes.count - from) {
                let after = bytes.baseAddress!.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                if after < bytes.count { split = after }
            }
        }
        guard let split else {
            var rows = ReliabilityRows(layout: layout, bytes: bytes.count - body)
            let problem = read(bytes, from: body, to: bytes.count, line: bodyLine, into: &rows)
            if let problem { throw rows.error(problem, name: name) }
            return rows
        }
        // Each thread writes only its own half; concurrentPerform returns after both.
        final class Halves: @unchecked Sendable {
            var first: (rows: ReliabilityRows, problem: ReliabilityRows.Problem?, nextLine: Int)?
            var second: (rows: ReliabilityRows, problem: ReliabilityRows.Problem?)?
        }
        let halves = Halves()
        nonisolated(unsafe) let shared = bytes
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            if half == 0 {
                var rows = ReliabilityRows(layout: layout, bytes: split - body)
                let (problem, nextLine) = readCountingLines(shared, from: body, to: split, line: bodyLine, into: &rows)
                halves.first = (rows, problem, nextLine)
            } else {
                // Lines counted from 1 here; shifted once the first chunk knows where it ends.
                var rows = ReliabilityRows(layout: layout, bytes: shared.count - split)
                let problem = read(shared, from: split, to: shared.count, line: 1, into: &rows)
                halves.second = (rows, problem)
            }
        }
        var (rows, problem, nextLine) = halves.first!
        if let problem { throw rows.error(problem, name: name) }
        let second = halves.second!
        let (conflict, later) = rows.append(second.rows, lineOffset: nextLine - 1, problem: second.problem)
        // Within one row the content is checked before the rater, so a conflict with the first
        // chunk on the line of the second chunk's problem is the one the file meets first.
        if let conflict, conflict.line <= later?.line ?? .max { throw rows.error(conflict, name: name) }
        if let later { throw rows.error(later, name: name) }
        return rows
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, line: Int,
                             into rows: inout ReliabilityRows) -> ReliabilityRows.Problem? {
        readCountingLines(bytes, from: start, to: end, line: line, into: &rows).problem
    }

    /// The first problem, if any, and the line after the last one read.
    private static func readCountingLines(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, line: Int,
                                          into rows: inout ReliabilityRows) -> (problem: ReliabilityRows.Problem?, nextLine: Int) {
        var scan = UnquotedRows(bytes, from: start, to: end, line: line)
        while scan.next() {
            do { try rows.take(scan.fields, line: scan.line, in: bytes) } catch { return (error, scan.nextLine) }
        }
        return (nil, scan.nextLine)
    }
}

extension ReliabilityRows {
    /// Appends `later`, read from the lines after these with lines counted from 1, as if
    /// these rows had gone on reading it: its names interned here in its order of first
    /// appearance, its lines shifted by `lineOffset`. Returns the first unit whose content
    /// there differs from its content here (the conflict the file meets first), if any, and
    /// `problem`, found in `later`, with its ids and line as they are now.
    mutating func append(_ later: ReliabilityRows, lineOffset: Int, problem: Problem?) -> (conflict: Problem?, problem: Problem?) {
        let unitIDs = Self.merge(later.units, into: &units), raterIDs = Self.merge(later.raters, into: &raters)
        let valueIDs = Self.merge(later.values, into: &values), contentIDs = Self.merge(later.contents, into: &contents)
        let offset = Int32(lineOffset)
        ratings.reserveCapacity(ratings.count + later.ratings.count)
        ratingLines.reserveCapacity(ratingLines.count + later.ratingLines.count)
        for r in later.ratings {
            ratings.append(.init(unit: unitIDs[Int(r.unit)], rater: raterIDs[Int(r.rater)], category: valueIDs[Int(r.category)]))
        }
        for line in later.ratingLines { ratingLines.append(line + offset) }
        for (cell, line) in zip(later.emptyCells, later.emptyCellLines) {
            emptyCells.append((unitIDs[Int(cell.unit)], raterIDs[Int(cell.rater)]))
            emptyCellLines.append(line + offset)
        }
        for (value, line) in zip(valueIDs, later.firstLineOfLabel) where Int(value) == firstLineOfLabel.count {
            firstLineOfLabel.append(line + offset)
        }
        var conflict: Problem?
        for (unit, (content, line)) in zip(unitIDs, zip(later.contentOfUnit, later.contentLineOfUnit)) {
            let content = contentIDs[Int(content)]
            if Int(unit) == contentOfUnit.count {
                contentOfUnit.append(content)
                contentLineOfUnit.append(line + offset)
            } else if conflict == nil && contentOfUnit[Int(unit)] != content {
                conflict = .contentConflict(line: Int(line + offset), unit: unit, content: content)
            }
        }
        let renumbered: Problem? = switch problem {
        case nil: nil
        case .fieldCount(let line, let found): .fieldCount(line: line + lineOffset, found: found)
        case .emptyUnit(let line): .emptyUnit(line: line + lineOffset)
        case .emptyContent(let line): .emptyContent(line: line + lineOffset)
        case .emptyRater(let line): .emptyRater(line: line + lineOffset)
        case .contentConflict(let line, let unit, let content):
            .contentConflict(line: line + lineOffset, unit: unitIDs[Int(unit)], content: contentIDs[Int(content)])
        }
        return (conflict, renumbered)
    }

    /// The ids in `into` of `from`'s names, interning those it lacks in `from`'s order.
    private static func merge(_ from: ByteInterner, into: inout ByteInterner) -> [Int32] {
        (0..<from.count).map { id in from.withBytes(of: id) { into.intern($0) } }
    }
}
