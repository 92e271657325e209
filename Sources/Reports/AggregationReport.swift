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
        case .json: return String(decoding: jsonBytes(), as: UTF8.self)
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

    /// The JSON object alone, for embedding: `jsonBytes()` without its last line break.
    public func jsonValue() -> String { String(decoding: jsonBytes().dropLast(), as: UTF8.self) }

    /// `render(.json)` as bytes. `label` is null on a tie, with `tied`; a rater's `confusion`
    /// is `{true option: {given option: p}}`, absent for methods without one.
    ///
    /// Written by `JSONBytes` (`JSON`'s spelling, byte for byte), the units in fixed chunks on
    /// every core and joined in order (the same bytes on any core count): a crowd batch has
    /// 100,000 units of five posteriors each, and joining `String`s piece by piece took most
    /// of `concord aggregate`'s time on a million labels.
    public func jsonBytes() -> [UInt8] {
        let count = result.items.count, size = count >= 4096 ? (count + 15) / 16 : max(count, 1)
        let chunks = stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
        // Each option's name as a JSON key, spelled once rather than once per posterior.
        let keys = data.classNames.map { JSON.string($0) + ": " }
        var parts = [[UInt8]](repeating: [], count: chunks.count)
        parts.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: chunks.count) { c in slots[c] = unitsJSON(chunks[c], keys: keys) }
        }
        var head = JSONBytes(capacity: 64)
        head.raw("{\n  \"method\": ")
        head.string(result.method.rawValue)
        head.raw(",\n  \"units\": [")
        var tail = JSONBytes(capacity: 256 + result.raters.count * (64 + data.classCount * data.classCount * 32))
        tail.raw(count == 0 ? "],\n  \"raters\": [" : "\n  ],\n  \"raters\": [")
        for (n, r) in result.raters.enumerated() {
            tail.raw(n == 0 ? "\n    {\"rater\": " : ",\n    {\"rater\": ")
            tail.string(data.raterNames[r.rater])
            tail.raw(", \"accuracy\": ")
            if let accuracy = r.accuracy { Self.number(accuracy, &tail) } else { tail.raw("null") }
            if let matrix = r.confusion {
                tail.raw(", \"confusion\": {")
                for (t, row) in matrix.enumerated() {
                    if t > 0 { tail.raw(", ") }
                    tail.raw(keys[t])
                    byOption(row, keys: keys, &tail)
                }
                tail.raw("}")
            }
            tail.raw(", \"n\": ")
            tail.integer(r.n)
            tail.raw("}")
        }
        tail.raw(result.raters.isEmpty ? "]" : "\n  ]")
        if let iterations = result.iterations { tail.raw(",\n  \"iterations\": "); tail.integer(iterations) }
        if let converged = result.converged { tail.raw(converged ? ",\n  \"converged\": true" : ",\n  \"converged\": false") }
        if let seed = result.seed { tail.raw(",\n  \"seed\": \(seed)") }
        tail.raw(",\n  \"ties\": ")
        tail.integer(ties)
        tail.raw("\n}\n")
        var out: [UInt8] = []
        out.reserveCapacity(head.bytes.count + parts.reduce(0) { $0 + $1.count } + tail.bytes.count)
        out += head.bytes
        for part in parts { out += part }
        out += tail.bytes
        return out
    }

    /// The units in `range`, each on its own line after a comma (none before the first unit).
    private func unitsJSON(_ range: Range<Int>, keys: [String]) -> [UInt8] {
        var out = JSONBytes(capacity: range.count * (48 + data.classCount * 32))
        for n in range {
            let item = result.items[n]
            out.raw(n == 0 ? "\n    {\"unit\": " : ",\n    {\"unit\": ")
            out.string(data.itemNames[item.item])
            out.raw(", \"label\": ")
            if let label = item.label { out.string(data.classNames[label]) } else {
                out.raw("null, \"tied\": [")
                for (k, c) in item.tiedLabels.enumerated() {
                    if k > 0 { out.raw(", ") }
                    out.string(data.classNames[c])
                }
                out.raw("]")
            }
            out.raw(", \"posterior\": ")
            byOption(item.posterior, keys: keys, &out)
            out.raw(", \"n\": ")
            out.integer(item.n)
            out.raw("}")
        }
        return out.bytes
    }

    /// `{"option": p, ...}` in the option order; `keys` are the options' names as JSON keys.
    private func byOption(_ values: [Double], keys: [String], _ out: inout JSONBytes) {
        out.raw("{")
        for (c, v) in values.enumerated() {
            if c > 0 { out.raw(", ") }
            out.raw(keys[c])
            Self.number(v, &out)
        }
        out.raw("}")
    }

    /// A finite number in full precision; a non-finite one (which no method should give) as
    /// null rather than invalid JSON.
    private static func number(_ v: Double, _ out: inout JSONBytes) {
        if v.isFinite { out.number(v) } else { out.raw("null") }
    }

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
