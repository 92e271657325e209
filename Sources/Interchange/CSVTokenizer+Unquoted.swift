/// The rows of CSV bytes that hold no '"' at all (nearly every machine-written ratings file),
/// read without the quote handling of `CSVTokenizer.forEachRow` and giving exactly its
/// fields and lines for such bytes: comma-separated fields, rows ended by LF (a CR before it
/// dropped), spaces and tabs around a field trimmed, a blank row skipped. The delimiters are
/// found eight bytes at a time. Iterated with `next()` so a reader can stop after the header
/// and go on in chunks, each chunk starting right after a line break with its own line number.
struct UnquotedRows: ~Copyable {
    private let base: UnsafeBufferPointer<UInt8>
    private let end: Int
    /// Where the next row starts.
    private(set) var position: Int
    /// The line `position` is on.
    private(set) var nextLine: Int
    /// The line the row `next()` returned last starts on.
    private(set) var line = 0
    /// The fields of the row `next()` returned last: the first `count` of `storage`, which
    /// grows as needed (no array bookkeeping per field).
    var fields: UnsafeBufferPointer<CSVTokenizer.Field> { UnsafeBufferPointer(rebasing: storage[0..<count]) }
    private var storage = UnsafeMutableBufferPointer<CSVTokenizer.Field>.allocate(capacity: 8)
    private var count = 0

    /// The rows of `bytes[start..<end]`; `start` is the beginning of line `line`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, line: Int) {
        precondition(start >= 0 && start <= end && end <= bytes.count, "a chunk inside the bytes")
        base = bytes
        self.end = end
        position = start
        nextLine = line
    }

    deinit { storage.deallocate() }

    /// Reads the next non-blank row into `fields` and `line`; false at the end.
    mutating func next() -> Bool {
        let newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        while position < end {
            line = nextLine
            count = 0
            while true {
                let q = delimiter(from: position)
                var p = position
                while p < q && (base[p] == space || base[p] == tab) { p += 1 }
                var e = q
                if e > position && base[e - 1] == cr && (q >= end || base[q] == newline) { e -= 1 }
                while e > p && (base[e - 1] == space || base[e - 1] == tab) { e -= 1 }
                if count == storage.count {
                    let bigger = UnsafeMutableBufferPointer<CSVTokenizer.Field>.allocate(capacity: 2 * count)
                    _ = bigger.initialize(fromContentsOf: storage)
                    storage.deallocate()
                    storage = bigger
                }
                storage[count] = CSVTokenizer.Field(start: p, end: max(p, e), hasEscapes: false)
                count += 1
                if q >= end { position = end; break }
                position = q + 1
                if base[q] == newline { nextLine += 1; break }
            }
            if count == 1 && storage[0].start == storage[0].end { continue }
            return true
        }
        return false
    }

    /// The first comma or LF at or after `from`, or `end`.
    @inline(__always)
    private func delimiter(from: Int) -> Int { Self.delimiter(base.baseAddress!, from: from, to: end) }

    /// The first comma or LF in `base[from..<to]`, or `to`: a word at a time, a zero byte of
    /// `word ^ pattern` marking a match (the lowest flagged byte is exact: a borrow only
    /// flags bytes above a true zero).
    @inline(__always)
    static func delimiter(_ base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let commas = ones &* UInt64(UInt8(ascii: ",")), newlines = ones &* UInt64(UInt8(ascii: "\n"))
        var q = from
        let raw = UnsafeRawPointer(base)
        while q + 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: q, as: UInt64.self))
            let c = word ^ commas, l = word ^ newlines
            let found = ((c &- ones) & ~c | (l &- ones) & ~l) & highs
            if found != 0 { return q + found.trailingZeroBitCount >> 3 }
            q += 8
        }
        while q < end && base[q] != UInt8(ascii: ",") && base[q] != UInt8(ascii: "\n") { q += 1 }
        return q
    }
}
