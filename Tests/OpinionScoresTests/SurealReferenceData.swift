import Foundation
@testable import OpinionScores

/// A small seeded generator (SplitMix64): the same seed gives the same data sets on every
/// machine, so a failing comparison with sureal can be rerun exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random opinion-score data sets shaped like real subjective tests, for the comparisons
/// with sureal (SurealReference): each unit has a true quality, each rater a bias and a
/// noise level, some raters are far off (biased or noisy, the ones screening should find),
/// and ratings are rounded and clipped to the scale as a rating form would.
enum SurealReferenceData {
    struct Shape {
        var units: Int
        var raters: Int
        /// Lowest and highest score of the scale, e.g. 1...5 (ACR) or 0...100.
        var scale: ClosedRange<Int> = 1...5
        /// Share of (unit, rater) cells left unrated.
        var missing: Double = 0
        /// Share of raters with a large bias (a quarter of the scale, either way).
        var biased: Double = 0
        /// Share of raters who rate almost at random.
        var noisy: Double = 0
        /// Units per content (source clip); 1 = every unit its own content.
        var unitsPerContent: Int = 1
        /// Keep at least one rating per unit and per rater, as any CSV of ratings has.
        var everyoneRated: Bool = true
        /// Leave the scores unrounded (a slider scale): sums then depend on the order of
        /// addition, which integer scores hide.
        var continuous: Bool = false
    }

    static func random(_ shape: Shape, _ rng: inout SeededGenerator) -> OpinionData {
        let lo = Double(shape.scale.lowerBound), hi = Double(shape.scale.upperBound)
        let span = hi - lo
        let truth = (0..<shape.units).map { _ in Double.random(in: lo...hi, using: &rng) }
        let bias = (0..<shape.raters).map { _ in
            Double.random(in: 0..<1, using: &rng) < shape.biased
                ? (Bool.random(using: &rng) ? 1 : -1) * span / 4 : Double.random(in: -0.05...0.05, using: &rng) * span
        }
        let noisy = (0..<shape.raters).map { _ in Double.random(in: 0..<1, using: &rng) < shape.noisy }
        var scores = [Double](repeating: .nan, count: shape.units * shape.raters)
        for u in 0..<shape.units {
            for r in 0..<shape.raters where Double.random(in: 0..<1, using: &rng) >= shape.missing {
                let v = noisy[r] ? Double.random(in: lo...hi, using: &rng)
                    : truth[u] + bias[r] + gaussian(&rng) * span * 0.12
                scores[u * shape.raters + r] = min(hi, max(lo, shape.continuous ? v : v.rounded()))
            }
        }
        if shape.everyoneRated && shape.raters > 0 {
            for u in 0..<shape.units where !(0..<shape.raters).contains(where: { !scores[u * shape.raters + $0].isNaN }) {
                let r = Int.random(in: 0..<shape.raters, using: &rng)
                scores[u * shape.raters + r] = min(hi, max(lo, (truth[u] + bias[r]).rounded()))
            }
            for r in 0..<shape.raters where shape.units > 0
                && !(0..<shape.units).contains(where: { !scores[$0 * shape.raters + r].isNaN }) {
                let u = Int.random(in: 0..<shape.units, using: &rng)
                scores[u * shape.raters + r] = min(hi, max(lo, (truth[u] + bias[r]).rounded()))
            }
        }
        let perContent = max(1, shape.unitsPerContent)
        let contentCount = (shape.units + perContent - 1) / perContent
        return try! OpinionData(unitNames: (0..<shape.units).map { "u\($0)" },
                                raterNames: (0..<shape.raters).map { "r\($0)" }, scores: scores,
                                contentNames: (0..<contentCount).map { "c\($0)" },
                                contentOfUnit: (0..<shape.units).map { $0 / perContent })
    }

    /// A standard normal draw (Box–Muller).
    static func gaussian(_ rng: inout SeededGenerator) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

extension OpinionData {
    /// A data set written out by hand: one row per unit ("u0", "u1", …), one column per rater
    /// ("A", "B", … then "r26", …), nil = missing.
    static func rows(_ rows: [[Double?]]) -> OpinionData {
        let raters = rows.first?.count ?? 0
        let names = (0..<raters).map { $0 < 26 ? String(UnicodeScalar(65 + $0)!) : "r\($0)" }
        // Test data written by hand: a wrong shape is a bug in the test itself.
        return try! OpinionData(unitNames: rows.indices.map { "u\($0)" }, raterNames: names,
                                scores: rows.flatMap { $0.map { $0 ?? .nan } })
    }
}
