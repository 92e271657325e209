import Aggregation
import Dispatch
import Interchange
import JSONWriter
import Printable

/// The output of `concord aggregate`, rendered as text, JSON or CSV from one model so the
/// three formats can never disagree (docs/aggregation.md, "concord aggregate"). Numbers in
/// JSON and CSV are full precision (shortest round-trip), as `agreement` and `mos` write
/// them; text shows 4 decimals. A tied item has no label: JSON null with the tied options,
/// "tie" in text, an empty label and the tied options in CSV.
public struct AggregationReport: Sendable {
    let source: String
    let data: LabelData
    let result: AggregationResult
    /// Units and raters of the input with no label at all, left out of the data.
    let leftOut: (units: Int, raters: Int)

    public init(source: String, data: LabelData, result: AggregationResult, leftOut: (units: Int, raters: Int) = (0, 0)) {
        self.source = source; self.data = data; self.result = result; self.leftOut = leftOut
    }

    /// What each method is, in a few words for the text header.
    public static func describe(_ method: AggregationMethod) -> String {
        switch method {
        case .mv: return "majority vote, ties reported"
        case .ds: return "Dawid–Skene: a confusion matrix per rater"
        case .oneCoin: return "one-coin Dawid–Skene: one accuracy per rater"
        case .mace: return "MACE: each rater knows the answer or spams"
        case .glad: return "GLAD: rater ability and item difficulty"
        }
    }

    public func render(_ format: AgreementFormat) -> String {
        switch format {
        case .text: return text()
        case .json: return jsonValue() + "\n"
        case .csv: return unitCSV()
        }
    }

    var ties: Int { result.items.reduce(0) { $0 + ($1.label == nil ? 1 : 0) } }

    // MARK: Text

    private func text() -> String {
        var out = "concord aggregate: \(printableText(source)) · \(result.method.rawValue) (\(Self.describe(result.method)))\n"
        out += "\(plural(data.itemCount, "unit")) · \(plural(data.raterCount, "rater")) · \(plural(data.labelCount, "label"))"
        out += " · \(plural(data.classCount, "option")) (\(data.classNames.map { printableCut($0) }.joined(separator: ", ")))"
        if let iterations = result.iterations {
            out += " · \(plural(iterations, "iteration"))\(result.converged == false ? " (stopped at the limit, not converged)" : "")"
        }
        out += " · \(ties == 0 ? "no tie" : plural(ties, "tie"))\n"
        if leftOut.units + leftOut.raters > 0 {
            let parts = [leftOut.units > 0 ? plural(leftOut.units, "unit") : nil, leftOut.raters > 0 ? plural(leftOut.raters, "rater") : nil]
            out += "left out, with no label: \(parts.compactMap { $0 }.joined(separator: " and "))\n"
        }
        var rows = [["unit", "label", "posterior", "n"]]
        for item in result.items {
            let top = item.posterior.max() ?? 0
            let label = item.label.map { printableCut(data.classNames[$0]) }
                ?? "tie (\(item.tiedLabels.map { printableCut(data.classNames[$0]) }.joined(separator: ", ")))"
            rows.append([printableCut(data.itemNames[item.item]), label, fixed(top, 4), "\(item.n)"])
        }
        out += "\n" + table(rows)
        rows = [["rater", "accuracy", "n"]]
        for r in result.raters { rows.append([printableCut(data.raterNames[r.rater]), r.accuracy.map { fixed($0, 4) } ?? "—", "\(r.n)"]) }
        out += "\n" + table(rows)
        if result.raters.contains(where: { $0.confusion != nil }) {
            out += "\nconfusion matrices: P(rater gives the column's option | the answer is the row's)\n"
            for r in result.raters {
                guard let matrix = r.confusion else { continue }
                var rows = [[printableCut(data.raterNames[r.rater])] + data.classNames.map { printableCut($0) }]
                for (t, row) in matrix.enumerated() { rows.append([printableCut(data.classNames[t])] + row.map { fixed($0, 4) }) }
                out += "\n" + table(rows)
            }
        }
        return out
    }

    // MARK: JSON

    /// The JSON object alone, for embedding. `label` is null on a tie, with `tied`; a rater's
    /// `confusion` is `{true option: {given option: p}}`, absent for methods without one.
    ///
    /// Written into byte buffers, the units in fixed chunks on every core and joined in
    /// order (the same bytes on any core count): a crowd batch has 100,000 units of five
    /// posteriors each, and joining strings piece by piece copied the units' text several
    /// times over — most of `concord aggregate`'s time on a million labels went there.
    public func jsonValue() -> String {
        let keys = data.classNames.map { Self.jsonString($0) + Array(": ".utf8) }
        let head = Array("{\n  \"method\": \(JSON.string(result.method.rawValue)),\n  \"units\": [".utf8)
        let count = result.items.count, size = count >= 4096 ? (count + 15) / 16 : max(count, 1)
        let chunks = stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
        var parts = [[UInt8]](repeating: [], count: chunks.count)
        parts.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: chunks.count) { c in slots[c] = unitsJSON(chunks[c], keys: keys) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(256 + result.raters.count * (64 + data.classCount * data.classCount * 32))
        out += Array((count == 0 ? "],\n  \"raters\": [" : "\n  ],\n  \"raters\": [").utf8)
        for (n, r) in result.raters.enumerated() {
            out += Array((n == 0 ? "\n    {\"rater\": " : ",\n    {\"rater\": ").utf8) + Self.jsonString(data.raterNames[r.rater])
            out += Array(", \"accuracy\": \(r.accuracy.map(Self.number) ?? JSON.null)".utf8)
            if let matrix = r.confusion {
                out += Array(", \"confusion\": {".utf8)
                for (t, row) in matrix.enumerated() {
                    if t > 0 { out += Array(", ".utf8) }
                    out += keys[t]
                    Self.byOption(row, keys: keys, into: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
            out += Array(", \"n\": \(r.n)}".utf8)
        }
        var tail = result.raters.isEmpty ? "]" : "\n  ]"
        if let iterations = result.iterations { tail += ",\n  \"iterations\": \(iterations)" }
        if let converged = result.converged { tail += ",\n  \"converged\": " + JSON.bool(converged) }
        if let seed = result.seed { tail += ",\n  \"seed\": \(seed)" }
        out += Array((tail + ",\n  \"ties\": \(ties)\n}").utf8)
        // One copy of the pieces into the text, not a joined buffer copied again.
        let pieces = [head] + parts + [out]
        return String(unsafeUninitializedCapacity: pieces.reduce(0) { $0 + $1.count }) { text in
            var at = 0
            for piece in pieces {
                piece.withUnsafeBufferPointer { p in
                    guard let base = p.baseAddress, p.count > 0 else { return }
                    (text.baseAddress! + at).update(from: base, count: p.count)
                }
                at += piece.count
            }
            return at
        }
    }

    /// The units in `range`, each on its own line after a comma (none before the first unit).
    private func unitsJSON(_ range: Range<Int>, keys: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count * (48 + data.classCount * 32))
        for n in range {
            let item = result.items[n]
            out.append(contentsOf: (n == 0 ? "\n    {\"unit\": " : ",\n    {\"unit\": ").utf8)
            out += Self.jsonString(data.itemNames[item.item])
            out.append(contentsOf: ", \"label\": ".utf8)
            if let label = item.label { out += Self.jsonString(data.classNames[label]) } else {
                out.append(contentsOf: "null, \"tied\": ".utf8)
                out.append(contentsOf: JSON.array(item.tiedLabels.map { JSON.string(data.classNames[$0]) }).utf8)
            }
            out.append(contentsOf: ", \"posterior\": ".utf8)
            Self.byOption(item.posterior, keys: keys, into: &out)
            out.append(contentsOf: ", \"n\": ".utf8)
            out.append(contentsOf: String(item.n).utf8)
            out.append(UInt8(ascii: "}"))
        }
        return out
    }

    /// `{"option": p, ...}` with `keys` the options' quoted names and ": ".
    private static func byOption(_ values: [Double], keys: [[UInt8]], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (c, v) in values.enumerated() {
            if c > 0 { out.append(contentsOf: ", ".utf8) }
            out += keys[c]
            out.append(contentsOf: (v.isFinite ? v.description : JSON.null).utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `JSON.string(s)` as bytes; a name of printable ASCII without '"' or '\\' (which
    /// `JSON.string` leaves as it is) is quoted without going through it.
    private static func jsonString(_ s: String) -> [UInt8] {
        var plain = true
        for b in s.utf8 where b < 0x20 || b > 0x7E || b == 0x22 || b == 0x5C { plain = false; break }
        guard plain else { return Array(JSON.string(s).utf8) }
        var out = [UInt8(ascii: "\"")]
        out.append(contentsOf: s.utf8)
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// A finite number in full precision; a non-finite one (which no method should give) as
    /// null rather than invalid JSON.
    static func number(_ v: Double) -> String { v.isFinite ? JSON.number(v) : JSON.null }

    // MARK: CSV

    /// One row per unit, in input order: unit,label,tied,n, then `posterior:OPTION` per option.
    /// A tie has an empty label and its options in `tied`, separated by "|".
    private func unitCSV() -> String {
        var out = (["unit", "label", "tied", "n"] + data.classNames.map { CSVField.escape("posterior:" + $0) }).joined(separator: ",") + "\n"
        let names = data.classNames.map(CSVField.escape)
        for item in result.items {
            out += CSVField.escape(data.itemNames[item.item]) + "," + (item.label.map { names[$0] } ?? "") + ","
            out += CSVField.escape(item.tiedLabels.map { data.classNames[$0] }.joined(separator: "|")) + ",\(item.n)"
            for p in item.posterior { out += "," + (p.isFinite ? "\(p)" : "") }
            out += "\n"
        }
        return out
    }
}
