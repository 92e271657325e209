import Pairwise
import Printable

/// The comparisons CSV `concord pairwise FILE` reads (docs/pairwise.md): a header naming
/// `rater`, `a`, `b` and `winner` (any order, other columns ignored, an optional `left`
/// column holding `a` or `b` for the clip shown on the left), then one judgement per row.
/// `winner` repeats the winning item's name from `a` or `b`, or is empty for a tie; names
/// are any text. Every problem is one InputError naming the file and the CSV line.
public enum ComparisonsCSV {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws -> Comparisons {
        if let bad = firstInvalidUTF8(in: bytes) {
            throw InputError(file: name, line: bad.line, "not UTF-8 text (byte 0x\(String(bad.byte, radix: 16)) at column \(bad.column)); save the file as UTF-8")
        }
        var columns: [String: Int]? = nil
        var items = [String: Int32](), raters = [String: Int32]()
        var itemNames = [String](), raterNames = [String]()
        var rater = [Int32](), a = [Int32](), b = [Int32](), outcome = [Comparisons.Outcome](), left = [Int8]()
        var scratch = [UInt8]()
        func id(_ s: String, _ table: inout [String: Int32], _ names: inout [String]) -> Int32 {
            if let x = table[s] { return x }
            let x = Int32(names.count); table[s] = x; names.append(s); return x
        }
        do {
            try CSVTokenizer.forEachRow(in: bytes) { fields, line in
                let values = fields.map { f in CSVTokenizer.value(of: f, in: bytes, scratch: &scratch) { String(decoding: $0, as: UTF8.self) } }
                guard let cols = columns else {
                    var found = [String: Int]()
                    for (k, v) in values.enumerated() { found[v.lowercased()] = found[v.lowercased()] ?? k }
                    let missing = ["rater", "a", "b", "winner"].filter { found[$0] == nil }
                    if !missing.isEmpty {
                        throw InputError(file: name, line: line, "the header lacks \(missing.joined(separator: ", ")); the first row must name the columns rater,a,b,winner")
                    }
                    columns = found
                    return
                }
                func field(_ c: String) -> String { let k = cols[c]!; return k < values.count ? values[k] : "" }
                let x = field("a"), y = field("b"), w = field("winner"), r = field("rater")
                if x.isEmpty || y.isEmpty { throw InputError(file: name, line: line, "column \(x.isEmpty ? "a" : "b") is empty; every row names the two items compared") }
                if x == y { throw InputError(file: name, line: line, "a and b are the same item \(quoted(x)); a comparison needs two different items") }
                let o: Comparisons.Outcome
                switch w {
                case "": o = .tie
                case x: o = .a
                case y: o = .b
                default: throw InputError(file: name, line: line, "winner \(quoted(w)) is neither a (\(quoted(x))) nor b (\(quoted(y))); repeat the winning item's name, or leave it empty for a tie")
                }
                var l: Int8 = -1
                if let k = cols["left"], k < values.count {
                    switch values[k].lowercased() {
                    case "a", x.lowercased(): l = 0
                    case "b", y.lowercased(): l = 1
                    case "": l = -1
                    default: throw InputError(file: name, line: line, "left \(quoted(values[k])) is neither a nor b; write a, b or leave it empty")
                    }
                }
                rater.append(id(r, &raters, &raterNames)); a.append(id(x, &items, &itemNames)); b.append(id(y, &items, &itemNames))
                outcome.append(o); left.append(l)
            }
        } catch CSVTokenizer.Failure.unterminatedQuote(let line) {
            throw InputError(file: name, line: line, "a quoted field is never closed; add the closing '\"'")
        } catch CSVTokenizer.Failure.textAfterQuote(let line) {
            throw InputError(file: name, line: line, "text after a closing quote; a quote inside a quoted field is written '\"\"'")
        }
        guard columns != nil else { throw InputError("\(printableText(name)): empty file; give a CSV with the header rater,a,b,winner and one comparison per row") }
        guard !a.isEmpty else { throw InputError("\(printableText(name)): no comparisons after the header; add rows rater,a,b,winner") }
        return Comparisons(items: itemNames, raters: raterNames, rater: rater, a: a, b: b, outcome: outcome,
                           shownLeft: left.contains { $0 >= 0 } ? left : [])
    }
}
