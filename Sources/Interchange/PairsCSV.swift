import Printable

/// The pairs CSV `concord pair add --file` reads (docs/pairwise.md "Projects"): a header
/// naming `clip_a` and `clip_b` and optionally `group` (any order, other columns ignored),
/// then one pair of clip names per row. An empty group is no group. Problems of the file
/// itself are one InputError naming the file and the CSV line; whether the clips exist is
/// the project's to say, with the same line (`PairRow.line`).
public enum PairsCSV {
    public struct PairRow: Sendable, Equatable {
        /// The CSV line, the header being line 1.
        public let line: Int
        public let a: String
        public let b: String
        public let group: String?
        public init(line: Int, a: String, b: String, group: String?) { self.line = line; self.a = a; self.b = b; self.group = group }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws -> [PairRow] {
        if let bad = firstInvalidUTF8(in: bytes) {
            throw InputError(file: name, line: bad.line, "not UTF-8 text (byte 0x\(String(bad.byte, radix: 16)) at column \(bad.column)); save the file as UTF-8")
        }
        var columns: [String: Int]? = nil
        var rows: [PairRow] = []
        var scratch = [UInt8]()
        do {
            try CSVTokenizer.forEachRow(in: bytes) { fields, line in
                var values = fields.map { f in CSVTokenizer.value(of: f, in: bytes, scratch: &scratch) { String(decoding: $0, as: UTF8.self) } }
                guard let cols = columns else {
                    if line == 1, let first = values.first, first.hasPrefix("\u{FEFF}") { values[0] = String(first.dropFirst()) }
                    var found = [String: Int]()
                    for (k, v) in values.enumerated() { found[v.trimmingSpaces.lowercased()] = found[v.trimmingSpaces.lowercased()] ?? k }
                    let missing = ["clip_a", "clip_b"].filter { found[$0] == nil }
                    if !missing.isEmpty {
                        throw InputError(file: name, line: line, "the header lacks \(missing.joined(separator: " and ")); the first row must name the columns clip_a,clip_b (and optionally group)")
                    }
                    columns = found
                    return
                }
                func field(_ c: String) -> String? { cols[c].flatMap { $0 < values.count ? values[$0].trimmingSpaces : nil } }
                let a = field("clip_a") ?? "", b = field("clip_b") ?? ""
                if a.isEmpty || b.isEmpty {
                    throw InputError(file: name, line: line, "\(a.isEmpty ? "clip_a" : "clip_b") is empty; every row names the two clips of a pair")
                }
                let group = field("group").flatMap { $0.isEmpty ? nil : $0 }
                rows.append(PairRow(line: line, a: a, b: b, group: group))
            }
        } catch CSVTokenizer.Failure.unterminatedQuote(let line) {
            throw InputError(file: name, line: line, "a quoted field is never closed; add the closing '\"'")
        } catch CSVTokenizer.Failure.textAfterQuote(let line) {
            throw InputError(file: name, line: line, "text after a closing quote; a quote inside a quoted field is written '\"\"'")
        }
        guard columns != nil else { throw InputError("\(printableText(name)): empty file; give a CSV with the header clip_a,clip_b[,group] and one pair per row") }
        guard !rows.isEmpty else { throw InputError("\(printableText(name)): no pairs after the header; add rows clip_a,clip_b[,group]") }
        return rows
    }
}

private extension String {
    /// Without the spaces and tabs a spreadsheet leaves around a cell.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
