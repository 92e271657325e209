import Agreement

/// How well a model judge's confidence matches how often it is right, against the golden set
/// (docs/release-gate-and-judges.md, "Calibration"). Pure functions of (confidence, correct)
/// pairs: a judge that says 0.9 should be right nine times in ten.
///
/// - Expected calibration error over 15 equal-width bins: Σ_b (n_b / N) · |acc_b − conf_b|,
///   acc_b the share right and conf_b the mean confidence of the answers in bin b.
/// - Bins as scikit-learn's `calibration_curve(strategy="uniform", n_bins=15)` makes them:
///   edges `k · (1/15)` (numpy's `linspace`), closed on the right — bin 1 is [0, 1/15],
///   bin b (b > 1) is ((b−1)/15, b/15] — so a confidence of exactly 1/15 is in bin 1 and 1.0
///   in bin 15 (`searchsorted` on the inner edges, side left).
/// - Brier score, binary: the mean of (confidence − right)², right = 1 or 0 — scikit-learn's
///   `brier_score_loss(right, confidence)`. A label carries one confidence, the judge's in its
///   own answer, not a probability for every option, so the multi-class Brier score (which
///   needs the whole distribution) cannot be computed from it; this is the top-label one.
public enum JudgeCalibration {
    public static let binCount = 15

    /// One bin of the reliability diagram. `meanConfidence` and `accuracy` are nil when empty.
    public struct Bin: Sendable, Equatable {
        public let lower: Double
        public let upper: Double
        public let count: Int
        public let meanConfidence: Double?
        public let accuracy: Double?
    }

    public struct Result: Sendable, Equatable {
        /// Answers with a confidence (the pairs measured).
        public let n: Int
        public let ece: Outcome
        public let brier: Outcome
        /// Every bin, empty ones included (the diagram draws the scale whole).
        public let bins: [Bin]
    }

    /// The edges of the bins: 0, 1/15, 2/15, …, 1 — computed as numpy's `linspace(0, 1, 16)`
    /// does (k · step, the last set to 1 exactly), so a value on an edge falls where
    /// scikit-learn puts it.
    public static let edges: [Double] = (0...binCount).map { $0 == binCount ? 1.0 : Double($0) * (1.0 / Double(binCount)) }

    /// The bin (0-based) of a confidence in [0, 1]: how many inner edges lie strictly below it.
    public static func bin(of confidence: Double) -> Int {
        var b = 0
        while b < binCount - 1 && edges[b + 1] < confidence { b += 1 }
        return b
    }

    /// ECE, Brier score and the diagram's bins of the pairs. Undefined with no pair (with a
    /// reason saying what to import); a confidence outside [0, 1] never reaches here (the
    /// import refuses it).
    public static func calibrate(confidence: [Double], correct: [Bool]) -> Result {
        precondition(confidence.count == correct.count, "JudgeCalibration.calibrate: \(confidence.count) confidences, \(correct.count) outcomes")
        var count = [Int](repeating: 0, count: binCount), sum = [Double](repeating: 0, count: binCount)
        var right = [Int](repeating: 0, count: binCount)
        var squares = 0.0
        for (c, ok) in zip(confidence, correct) {
            let b = bin(of: c)
            count[b] += 1
            sum[b] += c
            if ok { right[b] += 1 }
            squares += (c - (ok ? 1 : 0)) * (c - (ok ? 1 : 0))
        }
        let bins = (0..<binCount).map { b in
            Bin(lower: edges[b], upper: edges[b + 1], count: count[b],
                meanConfidence: count[b] == 0 ? nil : sum[b] / Double(count[b]),
                accuracy: count[b] == 0 ? nil : Double(right[b]) / Double(count[b]))
        }
        let n = confidence.count
        guard n > 0 else {
            let reason = "no answer on a golden-set entry carries a confidence; import the judge's predictions with a confidence column (or Label Studio's score)"
            return Result(n: 0, ece: .undefined(reason: reason), brier: .undefined(reason: reason), bins: bins)
        }
        var ece = 0.0
        for b in bins where b.count > 0 {
            ece += Double(b.count) / Double(n) * abs(b.accuracy! - b.meanConfidence!)
        }
        return Result(n: n, ece: .value(ece), brier: .value(squares / Double(n)), bins: bins)
    }
}
