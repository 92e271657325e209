#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sums, means and moments in the order numpy adds them, so that `mos`, `bt500` and `p913`
/// give sureal's numbers to the last bit, not only to 1e-9. The last bit matters where a
/// comparison decides: BT.500's screening asks `2 ≤ β₂ ≤ 4` and `x ≥ μ + 2σ`, and on integer
/// scores those can be exact ties (β₂ of 1, 2, 2, 3 is exactly 2), which a different summation
/// order can tip either way (docs/mos.md).
///
/// numpy (1.26, sureal's) sums a contiguous run of doubles pairwise: fewer than 8 one by one;
/// up to 128 in eight interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))
/// and the remainder added one by one; longer runs split at half (rounded down to a multiple of
/// 8) and the halves' sums added. `nanmean(axis=1)` over a units × raters matrix sums each
/// row that way with 0 in place of NaN; `nanmean(axis=0)` adds a column's values top to bottom.
enum Moments {
    /// numpy's pairwise sum of `values[start ..< start + count]`.
    static func pairwiseSum(_ values: UnsafeBufferPointer<Double>, _ start: Int, _ count: Int) -> Double {
        if count < 8 {
            var sum = 0.0
            for i in start..<(start + count) { sum += values[i] }
            return sum
        }
        if count <= 128 {
            var r0 = values[start], r1 = values[start + 1], r2 = values[start + 2], r3 = values[start + 3]
            var r4 = values[start + 4], r5 = values[start + 5], r6 = values[start + 6], r7 = values[start + 7]
            var i = 8
            let whole = count - count % 8
            while i < whole {
                let j = start + i
                r0 += values[j]; r1 += values[j + 1]; r2 += values[j + 2]; r3 += values[j + 3]
                r4 += values[j + 4]; r5 += values[j + 5]; r6 += values[j + 6]; r7 += values[j + 7]
                i += 8
            }
            var sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < count { sum += values[start + i]; i += 1 }
            return sum
        }
        var half = count / 2
        half -= half % 8
        return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half)
    }

    static func pairwiseSum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { pairwiseSum($0, 0, $0.count) }
    }

    /// numpy's nanmean and nanstd(ddof=1) of one row (NaN = missing): the mean, the sample
    /// standard deviation (nil with fewer than 2 values, where numpy gives NaN), and the count.
    /// Missing entries take part in the pairwise sums as 0, as they do in numpy.
    static func rowMeanAndSampleStd(_ row: [Double]) -> (mean: Double, std: Double?, count: Int) {
        var filled = row
        var count = 0
        for i in filled.indices {
            if filled[i].isNaN { filled[i] = 0 } else { count += 1 }
        }
        guard count > 0 else { return (.nan, nil, 0) }
        let mean = pairwiseSum(filled) / Double(count)
        guard count > 1 else { return (mean, nil, 1) }
        var squares = filled
        for i in squares.indices where !row[i].isNaN {
            let d = row[i] - mean
            squares[i] = d * d
        }
        return (mean, (pairwiseSum(squares) / Double(count - 1)).squareRoot(), count)
    }

    /// The population moments BT.500's screening uses on one unit's present ratings, as numpy
    /// and scipy compute them: μ (`np.mean`), σ (`np.std`, ddof 0) and β₂ (`scipy.stats.kurtosis`
    /// with fisher=False, bias=True: m₄ / m₂²), β₂ nil where scipy gives NaN — no values, or
    /// m₂ ≤ (1e-15·μ)², scipy's test for "all values equal".
    static func screeningMoments(_ values: [Double]) -> (mean: Double, sigma: Double, kurtosis: Double?) {
        let n = Double(values.count)
        guard !values.isEmpty else { return (.nan, .nan, nil) }
        let mean = pairwiseSum(values) / n
        var squares = values, fourths = values
        for i in values.indices {
            let d = values[i] - mean
            squares[i] = d * d
            fourths[i] = squares[i] * squares[i]
        }
        let m2 = pairwiseSum(squares) / n
        let m4 = pairwiseSum(fourths) / n
        let resolution = 1e-15 * mean
        let kurtosis: Double? = m2 <= pow(resolution, 2) ? nil : m4 / pow(m2, 2)
        return (mean, m2.squareRoot(), kurtosis)
    }
}
