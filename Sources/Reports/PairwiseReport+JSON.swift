import JSONWriter
import Pairwise

extension PairwiseReport {
    /// The JSON form, written by JSONBytes (no dictionary per item: a 10,000-item fit prints
    /// in one pass).
    public func jsonBytes() -> [UInt8] {
        var j = JSONBytes(capacity: 160 * result.items.count + 256)
        func num(_ x: Double?) { if let x { j.number(x) } else { j.raw("null") } }
        j.raw("{\"model\": "); j.string(result.model.rawValue)
        j.raw(", \"ties\": "); j.string(result.model == .bt ? result.ties.rawValue : TieModel.halfWin.rawValue)
        j.raw(", \"nu\": "); num(result.nu)
        j.raw(", \"converged\": "); j.raw(result.converged ? "true" : "false")
        if let bootstrap {
            j.raw(", \"bootstrap\": {\"replicates\": "); j.integer(bootstrap.replicates)
            j.raw(", \"seed\": "); j.raw("\(bootstrap.seed)"); j.raw(", \"resampled\": \"raters\"}")
        }
        j.raw(", \"items\": [")
        for (k, item) in ordered.enumerated() {
            if k > 0 { j.raw(", ") }
            j.raw("{\"item\": "); j.string(data.items[item.item])
            j.raw(", \"score\": "); num(item.score)
            j.raw(", \"se\": "); num(item.standardError)
            j.raw(", \"ci95\": ")
            if let ci = item.ci95 { j.raw("["); j.number(ci.0); j.raw(", "); j.number(ci.1); j.raw("]") } else { j.raw("null") }
            // Which Fisher interval: the exact inverse, or the series for a large group (docs/pairwise.md, Intervals).
            j.raw(", \"interval\": "); if item.ci95 != nil { j.string(item.interval.rawValue) } else { j.raw("null") }
            j.raw(", \"wins\": "); j.integer(item.wins)
            j.raw(", \"losses\": "); j.integer(item.losses)
            j.raw(", \"ties\": "); j.integer(item.ties)
            j.raw(", \"group\": "); j.integer(item.group + 1)
            j.raw(", \"undefined\": "); if let r = reason(item) { j.string(r) } else { j.raw("null") }
            j.raw(", \"regularised\": "); num(regularised(item))
            if let bootstrap {
                j.raw(", \"bootstrap95\": ")
                if let ci = bootstrap.ci95[item.item] {
                    j.raw("["); j.number(ci.lowerBound); j.raw(", "); j.number(ci.upperBound); j.raw("]")
                } else { j.raw("null") }
                j.raw(", \"bootstrap_note\": "); if let r = bootstrap.reason[item.item], item.score != nil { j.string(r) } else { j.raw("null") }
            }
            j.raw("}")
        }
        j.raw("], \"raters\": [")
        for (k, r) in result.raters.enumerated() {
            if k > 0 { j.raw(", ") }
            j.raw("{\"rater\": "); j.string(data.raters[r.rater])
            j.raw(", \"comparisons\": "); j.integer(r.comparisons)
            j.raw(", \"circular_triads\": "); j.integer(r.circularTriads)
            j.raw(", \"zeta\": "); switch r.zeta { case .success(let z): j.number(z); case .failure: j.raw("null") }
            for (key, p) in [("left_wins", r.leftWins), ("agreement", r.agreement)] {
                j.raw(", \""); j.raw(key); j.raw("\": ")
                switch p {
                case .success(let x):
                    j.raw("{\"share\": "); j.number(x.share); j.raw(", \"ci95\": [")
                    j.number(x.low); j.raw(", "); j.number(x.high); j.raw("], \"k\": "); j.integer(x.k)
                    j.raw(", \"n\": "); j.integer(x.n); j.raw(", \"p_value\": "); j.number(x.pValue); j.raw("}")
                case .failure(let u): j.raw("{\"undefined\": "); j.string(u.reason); j.raw("}")
                }
            }
            j.raw("}")
        }
        j.raw("]}\n")
        return j.bytes
    }
}
