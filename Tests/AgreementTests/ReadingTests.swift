import Agreement
import Foundation
import Testing

/// Readings follow their intervals (Krippendorff 2004, §11.4.4): "reliable" only when the
/// whole bootstrap interval is at or above 0.800, "not established" while it straddles a
/// threshold, and q — the share of replicates below 0.800 — beside it. q is checked against
/// replicates recomputed literally (the resampled data sets built row by row), not against
/// `shareBelow`.
@Suite struct ReadingTests {
    /// Alpha of each literal replicate (nil where undefined), drawing unit indices as the
    /// bootstrap does: replicate b's generator is seeded from (seed, b).
    static func literalReplicates(_ data: ReliabilityData, order: [String]?, metric: Metric, seed: UInt64, resamples: Int) throws -> [Double?] {
        let units = (0..<data.unitCount).filter { !data.ratings(ofUnit: $0).isEmpty }
        return try (0..<resamples).map { b in
            var rng = Xoshiro256StarStar(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(b + 1))
            var rows: [(String, String, String?)] = []
            for copy in 0..<units.count {
                let u = units[rng.index(below: units.count)]
                for r in data.ratings(ofUnit: u) {
                    rows.append(("\(copy)", data.raterNames[r.rater], data.categories.labels[r.category]))
                }
            }
            return AgreementSummary(try makeData(rows, order: order)).outcomes[metric]!.value
        }
    }

    /// q by counting: defined replicates below 0.800 over defined replicates.
    static func q(_ replicates: [Double?]) -> Double {
        let defined = replicates.compactMap { $0 }
        return Double(defined.filter { $0 < 0.8 }.count) / Double(defined.count)
    }

    /// Four units, two raters, one unit a step apart: ordinal alpha 0.9, whose interval
    /// reaches below zero — the issue's case of "reliable" printed beside [−0.2, 1.0].
    @Test func aPointAboveTheMinimumWithAStraddlingIntervalIsNotEstablished() throws {
        let order = ["1", "2", "3"]
        let data = try makeData([("u1", "a", "1"), ("u1", "b", "1"), ("u2", "a", "2"), ("u2", "b", "2"),
                                 ("u3", "a", "3"), ("u3", "b", "2"), ("u4", "a", "1"), ("u4", "b", "1")], order: order)
        let metric = Metric.krippendorffAlphaOrdinal
        // 1 − (n−1)·D_o/D_e by hand: n = 8 values, one disagreeing pair (3, 2) counted both ways.
        expectValue(AgreementSummary(data).outcomes[metric], 0.9)
        let ci = try Bootstrap.intervals(data, metrics: [metric], resamples: 1000, seed: 1, confidence: 0.95)[metric]!.get()
        #expect(ci.lower < 0.667 && ci.upper >= 0.8, "[\(ci.lower), \(ci.upper)]")
        let q = Self.q(try Self.literalReplicates(data, order: order, metric: metric, seed: 1, resamples: 1000))
        #expect(q > 0 && q < 1)
        #expect(abs(ci.shareBelow(0.8) - q) < 1e-12)
        #expect(Interpretation.of(metric, 0.9, interval: ci)
                == "not established: CI straddles 0.667 and 0.800 (q = \(String(format: "%.3f", q)))")
        #expect(Interpretation.of(metric, 0.9, interval: ci, compact: true) == "not established, q \(String(format: "%.3f", q))")
        // Without an interval, the point estimate's band (what `concord agreement` prints
        // without --bootstrap).
        #expect(Interpretation.of(metric, 0.9) == "reliable (α ≥ 0.800)")
    }

    /// 60 units of perfect agreement but one unit a step apart: every replicate is above
    /// 0.800, so the reading is "reliable" with q = 0.
    @Test func anIntervalWhollyAboveTheMinimumIsReliable() throws {
        let order = ["1", "2", "3"]
        var rows: [(String, String, String?)] = []
        for u in 0..<60 {
            let v = String(u % 3 + 1)
            rows.append(("u\(u)", "a", v)); rows.append(("u\(u)", "b", u == 0 ? "2" : v))
        }
        let data = try makeData(rows, order: order)
        let metric = Metric.krippendorffAlphaOrdinal
        let value = try #require(AgreementSummary(data).outcomes[metric]?.value)
        let ci = try Bootstrap.intervals(data, metrics: [metric], resamples: 500, seed: 1, confidence: 0.95)[metric]!.get()
        let replicates = try Self.literalReplicates(data, order: order, metric: metric, seed: 1, resamples: 500)
        #expect(replicates.allSatisfy { ($0 ?? 0) >= 0.8 }, "every literal replicate is defined and at least 0.800")
        #expect(Self.q(replicates) == 0 && ci.shareBelow(0.8) == 0 && ci.lower >= 0.8)
        #expect(Interpretation.of(metric, value, interval: ci) == "reliable (CI ≥ 0.800; q = 0.000)")
    }

    /// Two pairable units (x x, y y) among ten single ratings: alpha is 1, but a replicate
    /// has both pairable units only about 40% of the time, so the bootstrap gives no
    /// interval — and the reading must not fall back to the point's "reliable".
    @Test func noIntervalEstablishesNothing() throws {
        var rows: [(String, String, String?)] = [("u1", "a", "x"), ("u1", "b", "x"), ("u2", "a", "y"), ("u2", "b", "y")]
        for u in 3...12 { rows.append(("u\(u)", "a", "x")) }
        let data = try makeData(rows)
        let metric = Metric.krippendorffAlphaNominal
        expectValue(AgreementSummary(data).outcomes[metric], 1)
        let result = try #require(Bootstrap.intervals(data, metrics: [metric], resamples: 1000, seed: 1, confidence: 0.95)[metric])
        let undefined = try Self.literalReplicates(data, order: nil, metric: metric, seed: 1, resamples: 1000).filter { $0 == nil }.count
        #expect(undefined > 500)
        guard case .failure(let why) = result else { Issue.record("an interval: \(result)"); return }
        #expect(why.reason == "undefined in \(undefined) of 1000 resamples")
        #expect(Interpretation.of(metric, 1, bootstrap: result) == "not established: no interval (undefined in \(undefined) of 1000 resamples)")
        #expect(Interpretation.of(metric, 1, bootstrap: result, compact: true) == "not established")
        #expect(Interpretation.of(metric, 1, bootstrap: nil) == "reliable (α ≥ 0.800)")
        #expect(Interpretation.of(.percentAgreement, 1, bootstrap: result) == nil)
    }

    /// The same data: kappa-type readings name a Landis & Koch band only when the whole
    /// interval is in it.
    @Test func kappaReadingsFollowTheirIntervalToo() throws {
        let straddling = try makeData([("u1", "a", "x"), ("u1", "b", "x"), ("u2", "a", "y"), ("u2", "b", "y"),
                                       ("u3", "a", "x"), ("u3", "b", "y"), ("u4", "a", "y"), ("u4", "b", "y")])
        let ci = try Bootstrap.intervals(straddling, metrics: [.cohenKappa], resamples: 1000, seed: 1,
                                         confidence: 0.95)[.cohenKappa]!.get()
        let low = Interpretation.landisKoch(ci.lower), high = Interpretation.landisKoch(ci.upper)
        #expect(low != high)
        #expect(Interpretation.of(.cohenKappa, 0.5, interval: ci) == "not established: CI spans \(low) to \(high)")
        // Identical raters over three categories: every replicate's kappa is 1.
        var rows: [(String, String, String?)] = []
        for u in 0..<30 { let v = ["x", "y", "z"][u % 3]; rows.append(("\(u)", "a", v)); rows.append(("\(u)", "b", v)) }
        let perfect = try Bootstrap.intervals(try makeData(rows), metrics: [.cohenKappa], resamples: 200, seed: 1,
                                              confidence: 0.95)[.cohenKappa]!.get()
        #expect(Interpretation.of(.cohenKappa, 1, interval: perfect) == "almost perfect")
    }
}
