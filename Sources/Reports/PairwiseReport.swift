import Interchange
import JSONWriter
import Pairwise
import Printable

/// The output of `concord pairwise`, text, JSON or CSV from one model (docs/pairwise.md).
/// JSON: {"model", "ties", "nu", "items": [{"item", "score", "se", "ci95": [low, high],
/// "wins", "losses", "ties", "group", "undefined", "regularised"}], "raters": [...]}; an item
/// without an ML score has score null and its reason in "undefined". Numbers full precision.
public struct PairwiseReport: Sendable {
    let source: String
    let data: Comparisons
    let result: PairwiseResult
    /// `--bootstrap N`: percentile intervals from resampling raters, beside the Fisher ones
    /// (JSON "bootstrap95", CSV bootstrap95_low/high, a text column).
    let bootstrap: BootstrapIntervals?

    public init(source: String, data: Comparisons, result: PairwiseResult, bootstrap: BootstrapIntervals? = nil) {
        self.source = source; self.data = data; self.result = result; self.bootstrap = bootstrap
    }

    public func render(_ format: AgreementFormat) -> String {
        switch format {
        case .text: return text()
        case .json: return String(decoding: jsonBytes(), as: UTF8.self)
        case .csv: return csv()
        }
    }

    /// Items best first; those without an ML score last, by regularised score.
    var ordered: [ItemScore] {
        result.items.sorted { x, y in
            switch (x.score, y.score) {
            case let (s?, t?): return s > t
            case (.some, nil): return true
            case (nil, .some): return false
            default: return regularised(x) ?? -.infinity > regularised(y) ?? -.infinity
            }
        }
    }

    func regularised(_ item: ItemScore) -> Double? {
        if case .undefined(_, let r) = item.fit { return r }
        return nil
    }

    func reason(_ item: ItemScore) -> String? {
        if case .undefined(let r, _) = item.fit { return r }
        return nil
    }

    private func text() -> String {
        let model = result.model == .bt ? "Bradley–Terry (log-strength), ties \(result.ties.rawValue)" : "Thurstone Case V (z units), ties half-win"
        var out = "concord pairwise: \(printableText(source)) · \(model)\n"
        out += "\(data.items.count) items · \(data.raters.count) raters · \(data.count) comparisons · \(result.groups) connected group\(result.groups == 1 ? "" : "s")"
        if let nu = result.nu { out += " · Davidson ν \(Self.fixed(nu))" }
        if let bootstrap { out += "\nbootstrap: percentile 95% intervals from \(bootstrap.replicates) resamples of raters, seed \(bootstrap.seed)" }
        out += "\n\n"
        // One aligned table; an item without a maximum-likelihood score says why in `note`.
        var rows = [["item", "score", "95% interval"] + (bootstrap == nil ? [] : ["bootstrap 95%"]) + ["wins", "losses", "ties", "group", "note"]]
        for item in ordered {
            var row = [printableCut(data.items[item.item])]
            if let s = item.score {
                row += [Self.fixed(s), item.ci95.map { "\(Self.fixed($0.0)) – \(Self.fixed($0.1))" } ?? "—"]
            } else {
                row += ["—", "—"]
            }
            var note = reason(item) ?? (item.score != nil && item.ci95 == nil ? "no interval" : "")
            if item.ci95 != nil && item.interval == .approximate { note = "approximate interval (a large group: docs/pairwise.md, Intervals)" }
            if let bootstrap {
                let ci = bootstrap.ci95[item.item]
                row.append(ci.map { "\(Self.fixed($0.lowerBound)) – \(Self.fixed($0.upperBound))" } ?? "—")
                if ci == nil, item.score != nil, let why = bootstrap.reason[item.item] { note += (note.isEmpty ? "" : "; ") + "no bootstrap interval: \(why)" }
            }
            if item.score == nil, let r = regularised(item) { note += "; regularised \(Self.fixed(r))" }
            row += ["\(item.wins)", "\(item.losses)", "\(item.ties)", "\(item.group + 1)", note]
            rows.append(row)
        }
        out += Self.trimmed(table(rows))
        if !result.raters.isEmpty {
            out += "\nraters: circular triads, Kendall's ζ, share of left wins and agreement with the consensus (95% Wilson intervals, k/n, exact binomial p of 1/2)\n"
            var raterRows = [["rater", "comparisons", "circular triads", "ζ", "left wins", "agreement"]]
            for r in result.raters {
                raterRows.append([printableCut(data.raters[r.rater]), "\(r.comparisons)", "\(r.circularTriads)",
                                  describe(r.zeta.map(Self.fixed)), describe(r.leftWins.map(share)), describe(r.agreement.map(share))])
            }
            out += Self.trimmed(table(raterRows))
        }
        return out
    }

    /// The table's lines without the padding an empty last cell leaves.
    static func trimmed(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line[..<(line.lastIndex { $0 != " " }.map { line.index(after: $0) } ?? line.startIndex)]) }
            .joined(separator: "\n")
    }

    /// Four decimals, rounded once: the integer part comes from the same rounded value as the
    /// fraction, so 1.99996 is 2.0000 (not 1.0000).
    static func fixed(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e12 else { return "\(x)" }
        let n = Int((abs(x) * 10000).rounded())
        let fraction = String(n % 10000)
        return (x < 0 && n > 0 ? "-" : "") + "\(n / 10000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
    /// "0.9000 [0.5958, 0.9821] 9/10 p 0.0215": the share, its interval, the count and the
    /// exact test of 1/2 (beyond chance when p is small).
    private func share(_ p: RaterFigures.Proportion) -> String {
        "\(Self.fixed(p.share)) [\(Self.fixed(p.low)), \(Self.fixed(p.high))] \(p.k)/\(p.n) p \(Self.pValue(p.pValue))"
    }

    /// A p-value in four decimals, or "< 0.0001" below that.
    static func pValue(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : fixed(p) }
    private func describe(_ r: Result<String, RaterFigures.Undefined>) -> String {
        switch r { case .success(let s): return s; case .failure(let u): return "— (\(u.reason))" }
    }

    private func csv() -> String {
        var out = "item,score,se,ci95_low,ci95_high,wins,losses,ties,group,regularised,undefined"
            + (bootstrap == nil ? "" : ",bootstrap95_low,bootstrap95_high") + "\n"
        func cell(_ s: String) -> String { s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        func num(_ x: Double?) -> String { x.map { JSON.number($0) } ?? "" }
        for item in ordered {
            out += [cell(data.items[item.item]), num(item.score), num(item.standardError), num(item.ci95?.0), num(item.ci95?.1),
                    "\(item.wins)", "\(item.losses)", "\(item.ties)", "\(item.group + 1)", num(regularised(item)), cell(reason(item) ?? "")]
                .joined(separator: ",")
                + (bootstrap.map { b in "," + num(b.ci95[item.item]?.lowerBound) + "," + num(b.ci95[item.item]?.upperBound) } ?? "") + "\n"
        }
        return out
    }
}
