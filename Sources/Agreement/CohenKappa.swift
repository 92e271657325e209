// Two-rater coefficients on the contingency table of the units both raters rated
// (listwise deletion): Cohen's kappa, Scott's pi, and Cohen's weighted kappa.
//
// Sources: J. Cohen (1960), "A coefficient of agreement for nominal scales"; J. Cohen (1968),
// "Weighted kappa"; W. A. Scott (1955), "Reliability of content analysis". Weighted kappa as
// scikit-learn's cohen_kappa_score (weights on category positions in the order).
// Goals: exact (integer sums, one final division), undefined cases named.
//
//   κ  = (N Σ_i T_ii − Σ_i r_i c_i) / (N² − Σ_i r_i c_i)
//   π  = (4N Σ_i T_ii − Σ_i (r_i + c_i)²) / (4N² − Σ_i (r_i + c_i)²)
//   κ_w = 1 − N Σ_ij w_ij T_ij / Σ_ij w_ij r_i c_j,   w_ij = |i − j| or (i − j)²

/// The K × K table of two raters' categories on their jointly rated units:
/// rows the first rater, columns the second.
public struct PairTable: Sendable, Equatable {
    public let categoryCount: Int
    public internal(set) var cells: [Int]

    public init(categoryCount: Int) {
        self.categoryCount = categoryCount
        cells = [Int](repeating: 0, count: categoryCount * categoryCount)
    }

    /// Jointly rated units.
    public var total: Int { cells.reduce(0, +) }

    private func margins() -> (rows: [Int], columns: [Int], diagonal: Int) {
        let k = categoryCount
        var rows = [Int](repeating: 0, count: k), columns = rows, diagonal = 0
        for i in 0..<k {
            for j in 0..<k {
                rows[i] += cells[i * k + j]
                columns[j] += cells[i * k + j]
            }
            diagonal += cells[i * k + i]
        }
        return (rows, columns, diagonal)
    }

    public func cohenKappa() -> Outcome {
        let n = total
        guard n > 0 else { return .undefined(reason: Reason.noJointUnit) }
        let (rows, columns, diagonal) = margins()
        let chance = zip(rows, columns).reduce(0) { $0 + $1.0 * $1.1 }
        return Outcome.ratio(Double(n * diagonal - chance), Double(n * n - chance),
                             undefinedBecause: Reason.oneCategory)
    }

    public func scottsPi() -> Outcome {
        let n = total
        guard n > 0 else { return .undefined(reason: Reason.noJointUnit) }
        let (rows, columns, diagonal) = margins()
        let chance = zip(rows, columns).reduce(0) { $0 + ($1.0 + $1.1) * ($1.0 + $1.1) }
        return Outcome.ratio(Double(4 * n * diagonal - chance), Double(4 * n * n - chance),
                             undefinedBecause: Reason.oneCategory)
    }

    /// Precondition: the table's category indices are positions in a meaningful order.
    public func weightedKappa(_ weights: KappaWeights) -> Outcome {
        let n = total
        guard n > 0 else { return .undefined(reason: Reason.noJointUnit) }
        let k = categoryCount
        let (rows, columns, _) = margins()
        // Weighted sums in Double: (i − j)² · r_i · c_j can pass Int's range on huge tables.
        var observed = 0.0, expected = 0.0
        for i in 0..<k {
            for j in 0..<k where i != j {
                let w = weights == .linear ? Double(abs(i - j)) : Double((i - j) * (i - j))
                observed += w * Double(cells[i * k + j])
                expected += w * Double(rows[i]) * Double(columns[j])
            }
        }
        return Outcome.ratio(Double(n) * observed, expected, undefinedBecause: Reason.oneCategory)
            .map { 1 - $0 }
    }
}
