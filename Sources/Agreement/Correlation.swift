/// Rank correlations of paired values, as scipy.stats computes them: Spearman's rho (the
/// Pearson correlation of average ranks, ties averaged) and Kendall's tau-b (ties in either
/// variable corrected for). Undefined, with the reason, when a variable is constant or
/// there are fewer than two pairs.
public enum Correlation {
    public static func spearman(_ x: [Double], _ y: [Double]) -> Outcome {
        precondition(x.count == y.count)
        guard x.count >= 2 else { return .undefined(reason: "needs at least 2 pairs; found \(x.count)") }
        return pearson(ranks(x), ranks(y))
    }

    public static func pearson(_ x: [Double], _ y: [Double]) -> Outcome {
        let n = Double(x.count)
        guard x.count >= 2 else { return .undefined(reason: "needs at least 2 pairs; found \(x.count)") }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0 && syy > 0 else { return .undefined(reason: "one of the two is constant: no correlation") }
        return .value(sxy / (sxx * syy).squareRoot())
    }

    /// Kendall's tau-b: (concordant − discordant) / √((n0 − n1)(n0 − n2)), O(n²) — the
    /// golden set of a batch is thousands of pairs at most.
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Outcome {
        precondition(x.count == y.count)
        guard x.count >= 2 else { return .undefined(reason: "needs at least 2 pairs; found \(x.count)") }
        var concordant = 0.0, discordant = 0.0, tiedX = 0.0, tiedY = 0.0
        for i in 0..<x.count {
            for j in (i + 1)..<x.count {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 && dy == 0 { tiedX += 1; tiedY += 1 }
                else if dx == 0 { tiedX += 1 }
                else if dy == 0 { tiedY += 1 }
                else if (dx > 0) == (dy > 0) { concordant += 1 }
                else { discordant += 1 }
            }
        }
        let n0 = Double(x.count * (x.count - 1) / 2)
        let denominator = ((n0 - tiedX) * (n0 - tiedY)).squareRoot()
        guard denominator > 0 else { return .undefined(reason: "one of the two is constant: no correlation") }
        return .value((concordant - discordant) / denominator)
    }

    /// Average ranks from 1, ties sharing the mean of their positions.
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }
}
