import Agreement
import Testing

@Suite struct BootstrapTests {
    /// Reference outputs of SplitMix64 from seed 0 (Vigna's splitmix64.c), and xoshiro256**
    /// fed by it: the generator is ours, so its bits must never change.
    @Test func generatorsMatchTheirReferenceOutputs() {
        var sm = SplitMix64(state: 0)
        #expect(sm.next() == 0xE220_A839_7B1D_CDAF)
        #expect(sm.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(sm.next() == 0x06C4_5D18_8009_454F)
        // xoshiro256** with state (1, 2, 3, 4): first outputs from the reference C code.
        var x = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect(x.next() == 11520)
        #expect(x.next() == 0)
        #expect(x.next() == 1_509_978_240)
        #expect(x.next() == 1_215_971_899_390_074_240)
    }

    @Test func uniformIndexStaysInRangeAndCoversIt() {
        var rng = Xoshiro256StarStar(seed: 3)
        var seen = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 { seen[rng.index(below: 7)] += 1 }
        #expect(seen.allSatisfy { $0 > 850 && $0 < 1150 }, "\(seen)")
    }

    @Test func sameSeedSameIntervalDifferentSeedDifferentInterval() throws {
        let data = try makeData(rowsFromTable(PublishedExamplesTests.krippendorff2011))
        let metrics: [Metric] = [.krippendorffAlphaNominal, .krippendorffAlphaInterval, .fleissKappa, .gwetAC1]
        let a = Bootstrap.intervals(data, metrics: metrics, resamples: 500, seed: 42, confidence: 0.95)
        let b = Bootstrap.intervals(data, metrics: metrics, resamples: 500, seed: 42, confidence: 0.95)
        let c = Bootstrap.intervals(data, metrics: metrics, resamples: 500, seed: 43, confidence: 0.95)
        #expect(a == b)
        #expect(a != c)
        for metric in metrics {
            let ci = try a[metric]!.get()
            let point = AgreementSummary(data).outcomes[metric]!.value!
            #expect(ci.lower <= point && point <= ci.upper, "\(metric): \(point) not in [\(ci.lower), \(ci.upper)]")
            #expect(ci.lower < ci.upper)
        }
    }

    /// The bootstrap must resample units: with every unit identical, every replicate is the
    /// same data set, so the interval collapses onto the point estimate.
    @Test func identicalUnitsGiveADegenerateInterval() throws {
        var rows: [(String, String, String?)] = []
        for u in 0..<30 {
            rows.append(("\(u)", "a", "x")); rows.append(("\(u)", "b", "x")); rows.append(("\(u)", "c", "y"))
        }
        let data = try makeData(rows)
        let point = AgreementSummary(data).outcomes[.krippendorffAlphaNominal]!.value!
        let ci = try Bootstrap.intervals(data, metrics: [.krippendorffAlphaNominal], resamples: 200, seed: 1,
                                         confidence: 0.95)[.krippendorffAlphaNominal]!.get()
        #expect(abs(ci.lower - point) < 1e-12 && abs(ci.upper - point) < 1e-12)
    }

    /// Independent check of the resampling: replicate values recomputed by drawing the same
    /// unit indices (same generator and seeding rule) and building the data set literally.
    @Test func replicatesEqualLiteralResampledDataSets() throws {
        let data = try makeData(rowsFromTable(PublishedExamplesTests.krippendorff2011))
        let units = (0..<data.unitCount).filter { !data.ratings(ofUnit: $0).isEmpty }
        let resamples = 40
        var values: [Double] = []
        for b in 0..<resamples {
            var rng = Xoshiro256StarStar(seed: 9 &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(b + 1))
            var rows: [(String, String, String?)] = []
            for copy in 0..<units.count {
                let u = units[rng.index(below: units.count)]
                for r in data.ratings(ofUnit: u) {
                    rows.append(("\(copy)", data.raterNames[r.rater], data.categories.labels[r.category]))
                }
            }
            values.append(AgreementSummary(try makeData(rows)).outcomes[.krippendorffAlphaNominal]!.value!)
        }
        values.sort()
        let ci = try Bootstrap.intervals(data, metrics: [.krippendorffAlphaNominal], resamples: resamples, seed: 9,
                                         confidence: 0.9)[.krippendorffAlphaNominal]!.get()
        // The 5th and 95th percentiles worked out by hand (type 7, not Bootstrap.percentile):
        // 40 values, h = 39 · 0.05 = 1.95 → x₁ + 19/20 (x₂ − x₁); h = 39 · 0.95 = 37.05 →
        // x₃₇ + 1/20 (x₃₈ − x₃₇), counting from x₀.
        #expect(abs(ci.lower - (values[1] + (values[2] - values[1]) * 19 / 20)) < 1e-12)
        #expect(abs(ci.upper - (values[37] + (values[38] - values[37]) / 20)) < 1e-12)
        #expect(ci.replicates == values)
    }

    /// Type-7 percentiles of small sets, worked as exact fractions: the position is
    /// h = (n − 1) · p, the value x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).
    @Test func percentileByHand() {
        // n = 5, p = 0.3: h = 1.2 → 10 + 0.2 · 10 = 12; p = 0.9: h = 3.6 → 30 + 0.6 · 10 = 36.
        expectValue(.value(Bootstrap.percentile([0, 10, 20, 30, 40], 0.3)), 12)
        expectValue(.value(Bootstrap.percentile([0, 10, 20, 30, 40], 0.9)), 36)
        // The ends are the extremes; one value is every percentile.
        #expect(Bootstrap.percentile([-3, 1, 8], 0) == -3 && Bootstrap.percentile([-3, 1, 8], 1) == 8)
        #expect(Bootstrap.percentile([0.25], 0.975) == 0.25)
        // n = 3, p = 0.025: h = 0.05 → −3 + 0.05 · 4 = −2.8.
        expectValue(.value(Bootstrap.percentile([-3, 1, 8], 0.025)), -2.8)
    }

    /// q (the share of replicates below a minimum) counts strictly below.
    @Test func shareBelowCountsReplicatesStrictlyBelow() throws {
        let data = try makeData(rowsFromTable(PublishedExamplesTests.krippendorff2011))
        let ci = try Bootstrap.intervals(data, metrics: [.krippendorffAlphaNominal], resamples: 200, seed: 5,
                                         confidence: 0.95)[.krippendorffAlphaNominal]!.get()
        let values = ci.replicates
        #expect(values.count == ci.definedResamples && values == values.sorted())
        let median = values[100]
        #expect(ci.shareBelow(median) == Double(values.filter { $0 < median }.count) / Double(values.count))
        #expect(ci.shareBelow(-.infinity) == 0 && ci.shareBelow(.infinity) == 1)
    }

    @Test func percentileInterpolatesLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) = [1.075, 2.5, 3.925]
        expectValue(.value(Bootstrap.percentile([1, 2, 3, 4], 0.025)), 1.075)
        expectValue(.value(Bootstrap.percentile([1, 2, 3, 4], 0.5)), 2.5)
        expectValue(.value(Bootstrap.percentile([1, 2, 3, 4], 0.975)), 3.925)
    }
}
