import Testing
@testable import OpinionScores

/// The reference harness itself: sureal answers, NaN comes back as nil, and the seeded data
/// sets are the same on every run (a failing comparison can be rerun exactly).
@Suite struct SurealReferenceTests {
    @Test func surealAnswersWithItsMOS() throws {
        // Unit 0: 1, 2 (rater 2 missing) → 1.5; unit 1: 3, 3, 4 → 10/3. Unit 2 has one rating.
        let data = try OpinionData(unitNames: ["a", "b", "c"], raterNames: ["r1", "r2", "r3"],
                                   scores: [1, 2, .nan, 3, 3, 4, .nan, .nan, 5])
        let result = try #require(try SurealReference.run("mos", [data]).first)
        #expect(result.error == nil)
        let scores = try #require(result.numbers("quality_scores"))
        #expect(scores[0] == 1.5)
        #expect(abs(scores[1]! - 10.0 / 3) < 1e-15)
        #expect(scores[2] == 5)
        // One rating: no sample standard deviation, so sureal's std is NaN, read as nil.
        #expect(try #require(result.numbers("quality_scores_std"))[2] == nil)
        let (low, high) = try #require(result.pair("quality_scores_ci95"))
        #expect(low[0] == 1.95996 * 0.5 && high[0] == 1.95996 * 0.5)
    }

    @Test func seededDataSetsRepeat() {
        let shape = SurealReferenceData.Shape(units: 20, raters: 6, scale: 0...100, missing: 0.3, biased: 0.2, noisy: 0.2)
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        let x = SurealReferenceData.random(shape, &a), y = SurealReferenceData.random(shape, &b)
        #expect(x.scores.elementsEqual(y.scores) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(x.scores.allSatisfy { $0.isNaN || (0...100).contains($0) })
        // Every unit and every rater keeps at least one rating.
        #expect((0..<20).allSatisfy { u in (0..<6).contains { x[u, $0] != nil } })
        #expect((0..<6).allSatisfy { r in (0..<20).contains { x[$0, r] != nil } })
    }
}
