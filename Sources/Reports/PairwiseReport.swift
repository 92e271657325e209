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

    public init(source: String, data: Comparisons, result: PairwiseResult) {
        self.source = source; self.data = data; self.result = result
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
        if let nu = result.nu { out += " · Davidson ν \(fixed(nu))" }
        out += "\n\n"
        for item in ordered {
            let name = printableCut(data.items[item.item])
            let counts = "\(item.wins)W \(item.losses)L \(item.ties)T"
            if let s = item.score {
                let ci = item.ci95.map { "[\(fixed($0.0)), \(fixed($0.1))]" } ?? "(no interval)"
                out += "  \(name)  \(fixed(s))  \(ci)  \(counts)  group \(item.group + 1)\n"
            } else {
                out += "  \(name)  —  \(counts)  \(reason(item) ?? "")"
                if let r = regularised(item) { out += "; regularised \(fixed(r))" }
                out += "\n"
            }
        }
        if !result.raters.isEmpty {
            out += "\nraters (circular triads, ζ, left wins, agreement with the consensus):\n"
            for r in result.raters {
                out += "  \(printableCut(data.raters[r.rater]))  \(r.comparisons) comparisons  \(r.circularTriads) circular triads"
                out += "  ζ \(describe(r.zeta.map(fixed)))  left \(describe(r.leftWins.map(share)))  agreement \(describe(r.agreement.map(share)))\n"
            }
        }
        return out
    }

    private func fixed(_ x: Double) -> String {
        let s = String(Int((abs(x) * 10000).rounded()) + 10000)
        return (x < 0 && (abs(x) * 10000).rounded() > 0 ? "-" : "") + "\(Int(abs(x)))." + s.suffix(4)
    }
    private func share(_ p: RaterFigures.Proportion) -> String { "\(fixed(p.share)) [\(fixed(p.low)), \(fixed(p.high))]" }
    private func describe(_ r: Result<String, RaterFigures.Undefined>) -> String {
        switch r { case .success(let s): return s; case .failure(let u): return "— (\(u.reason))" }
    }

    private func csv() -> String {
        var out = "item,score,se,ci95_low,ci95_high,wins,losses,ties,group,regularised,undefined\n"
        func cell(_ s: String) -> String { s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        func num(_ x: Double?) -> String { x.map { JSON.number($0) } ?? "" }
        for item in ordered {
            out += [cell(data.items[item.item]), num(item.score), num(item.standardError), num(item.ci95?.0), num(item.ci95?.1),
                    "\(item.wins)", "\(item.losses)", "\(item.ties)", "\(item.group + 1)", num(regularised(item)), cell(reason(item) ?? "")]
                .joined(separator: ",") + "\n"
        }
        return out
    }
}
