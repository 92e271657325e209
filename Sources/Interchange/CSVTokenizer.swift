/// A fast RFC 4180 tokenizer over bytes in memory: fields separated by commas, rows by LF
/// or CRLF, fields optionally in double quotes (a quote inside doubled, commas and line
/// breaks allowed inside). Unquoted fields have surrounding spaces and tabs trimmed.
///
/// It hands each row to a closure as byte buffers (no String per field) together with the
/// line the row starts on, so errors can name the line a person sees in an editor.
public struct CSVTokenizer {
    public struct Field {
        public var start: Int
        public var end: Int
        /// The field was quoted and contains doubled quotes to collapse.
        public var hasEscapes: Bool
    }

    public enum Failure: Error {
        case unterminatedQuote(line: Int)
        case textAfterQuote(line: Int)
    }

    /// Calls `row(fields, line)` for every non-blank row. Field bounds index `bytes`;
    /// use `value(of:in:scratch:)` to get a field's bytes.
    public static func forEachRow(in bytes: UnsafeBufferPointer<UInt8>, from startOffset: Int = 0,
                           _ row: (_ fields: [Field], _ line: Int) throws -> Void) throws {
        let n = bytes.count
        var pos = startOffset
        var line = 1
        var fields: [Field] = []
        fields.reserveCapacity(8)
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let quote = UInt8(ascii: "\""), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        while pos < n {
            let rowLine = line
            fields.removeAll(keepingCapacity: true)
            var endOfRow = false
            while !endOfRow {
                // Skip leading blanks of the field.
                var p = pos
                while p < n && (bytes[p] == space || bytes[p] == tab) { p += 1 }
                if p < n && bytes[p] == quote {
                    var q = p + 1
                    var escapes = false
                    while true {
                        guard q < n else { throw Failure.unterminatedQuote(line: rowLine) }
                        let b = bytes[q]
                        if b == quote {
                            if q + 1 < n && bytes[q + 1] == quote { escapes = true; q += 2; continue }
                            break
                        }
                        if b == newline { line += 1 }
                        q += 1
                    }
                    fields.append(Field(start: p + 1, end: q, hasEscapes: escapes))
                    q += 1
                    while q < n && (bytes[q] == space || bytes[q] == tab) { q += 1 }
                    if q < n && bytes[q] == cr && q + 1 < n && bytes[q + 1] == newline { q += 1 }
                    if q >= n { pos = n; endOfRow = true }
                    else if bytes[q] == comma { pos = q + 1 }
                    else if bytes[q] == newline { pos = q + 1; line += 1; endOfRow = true }
                    else { throw Failure.textAfterQuote(line: line) }
                } else {
                    var q = pos
                    while q < n && bytes[q] != comma && bytes[q] != newline { q += 1 }
                    var end = q
                    if end > pos && bytes[end - 1] == cr && (q >= n || bytes[q] == newline) { end -= 1 }
                    while end > p && (bytes[end - 1] == space || bytes[end - 1] == tab) { end -= 1 }
                    fields.append(Field(start: p, end: max(p, end), hasEscapes: false))
                    if q >= n { pos = n; endOfRow = true }
                    else if bytes[q] == comma { pos = q + 1 }
                    else { pos = q + 1; line += 1; endOfRow = true }
                }
            }
            // A blank line is one empty unquoted field: skip it.
            if fields.count == 1 && fields[0].start == fields[0].end && !(fields[0].start > 0 && bytes[fields[0].start - 1] == quote) {
                continue
            }
            try row(fields, rowLine)
        }
    }

    /// The bytes of `field`, with doubled quotes collapsed into `scratch` when needed.
    @inline(__always)
    public static func value<R>(of field: Field, in bytes: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
                         _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if !field.hasEscapes {
            return try body(UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]))
        }
        scratch.removeAll(keepingCapacity: true)
        var i = field.start
        while i < field.end {
            scratch.append(bytes[i])
            i += bytes[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return try scratch.withUnsafeBufferPointer(body)
    }
}

/// Where the first invalid UTF-8 sequence is, if any (Unicode 15, table 3-7: no overlong
/// forms, no surrogates, nothing above U+10FFFF). ASCII, nearly all of a ratings file, is
/// skipped eight bytes at a time; the line and column are counted only for the answer.
public func firstInvalidUTF8(in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, byte: UInt8)? {
    guard let base = bytes.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    var i = 0
    let n = bytes.count
    while i < n {
        if i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
            continue
        }
        let b = base[i]
        if b < 0x80 {
            i += 1
            continue
        }
        var length = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; hi = 0x9F
        case 0xF0: length = 4; lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; hi = 0x8F
        default: return position(i, b)
        }
        guard i + length <= n else { return position(i, b) }
        for j in 1..<length {
            let c = base[i + j]
            let (l, h) = j == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
            if c < l || c > h { return position(i, b) }
        }
        i += length
    }
    return nil

    /// Line (from 1) and column (byte within the line, from 1) of the byte at `offset`.
    func position(_ offset: Int, _ byte: UInt8) -> (line: Int, column: Int, byte: UInt8) {
        var line = 1, lineStart = 0
        for k in 0..<offset where base[k] == UInt8(ascii: "\n") { line += 1; lineStart = k + 1 }
        return (line, offset - lineStart + 1, byte)
    }
}
