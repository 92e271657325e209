import Glibc

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
