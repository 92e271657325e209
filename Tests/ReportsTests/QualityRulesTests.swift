import Reports
import Testing

/// The four crowd-test rules on hand-worked data (docs/quality-rules.md): each threshold on
/// both sides of its edge, the cases a rule does not judge, and the order of the lists.
@Suite struct QualityRulesTests {
    static func input(clips: [(String, Double?)] = [("c1", 5), ("c2", 5), ("c3", 5)], raters: [String],
                      ratings: [(Int, Int, Double)] = [], viewings: [(Int, Int, Double, Double?)] = []) -> QualityInput {
        QualityInput(clips: clips.map { QualityInput.Clip(name: $0.0, duration: $0.1) }, raters: raters,
                     ratings: ratings.map { QualityInput.Rating(clip: $0.0, rater: $0.1, score: $0.2) },
                     viewings: viewings.map { QualityInput.Viewing(clip: $0.0, rater: $0.1, watchedShare: $0.2, seconds: $0.3) })
    }

    @Test func watchedToEndListsEachClipSeenInPart() {
        let result = QualityRules.evaluate(Self.input(raters: ["ann", "bo"],
                                                      viewings: [(2, 0, 0.62, 4), (0, 0, 0.5, 4), (1, 0, 1, 4), (0, 1, 1, 4)]))
        #expect(result.map(\.rater) == ["ann", "bo"])
        #expect(result[0].violations == [
            QualityViolation(rule: .watchedToEnd, clip: "c1", value: 0.5, threshold: 1, detail: "50% seen"),
            QualityViolation(rule: .watchedToEnd, clip: "c3", value: 0.62, threshold: 1, detail: "62% seen"),
        ])
        #expect(result[0].reason == "quality: 2 clips not watched to the end")
        #expect(result[1].isClean && result[1].reason == nil)
        var lenient = QualityThresholds()
        lenient.minWatchedShare = 0.6
        #expect(QualityRules.evaluate(Self.input(raters: ["ann"], viewings: [(2, 0, 0.62, 4), (0, 0, 0.5, 4)]), thresholds: lenient)[0]
                    .violations.map(\.clip) == ["c1"])
    }

    @Test func viewingTimeAtMostKTimesTheClip() {
        // 5 s clips: 15 s is exactly 3× (allowed), 15.1 s is 3.02× (over); an unknown
        // duration or an unrecorded time is not judged.
        let input = Self.input(clips: [("c1", 5), ("c2", 5), ("c3", nil), ("c4", 0)], raters: ["ann"],
                               viewings: [(0, 0, 1, 15), (1, 0, 1, 15.1), (2, 0, 1, 100), (3, 0, 1, 100)])
        let v = QualityRules.evaluate(input)[0].violations
        #expect(v.count == 1)
        #expect(v[0].rule == .viewingTime && v[0].clip == "c2" && v[0].threshold == 3)
        #expect(abs(v[0].value - 3.02) < 1e-12)
        #expect(v[0].detail == "15.1 s on a 5.0 s clip (3.0×)")
        var strict = QualityThresholds()
        strict.maxViewingFactor = 2
        #expect(QualityRules.evaluate(input, thresholds: strict)[0].count(.viewingTime) == 2)
        let unrecorded = Self.input(raters: ["ann"], viewings: [(0, 0, 1, nil)])
        #expect(QualityRules.evaluate(unrecorded)[0].isClean)
    }

    @Test func straightLiningNeedsEnoughScoresAndAVarianceAtMostTheFloor() {
        let clips = (1...6).map { ("c\($0)", Optional(5.0)) }
        // ann: five 3s (variance 0); bo: four 3s (too few to judge); cy: 3,3,3,3,4
        // (mean 3.2, Σ(x − mean)² = 4·0.04 + 0.64 = 0.8, variance 0.8/4 = 0.2).
        var ratings: [(Int, Int, Double)] = (0..<5).map { ($0, 0, 3) } + (0..<4).map { ($0, 1, 3) }
        ratings += [(0, 2, 3), (1, 2, 3), (2, 2, 3), (3, 2, 3), (4, 2, 4)]
        let input = Self.input(clips: clips, raters: ["ann", "bo", "cy"], ratings: ratings)
        let result = QualityRules.evaluate(input)
        #expect(result[0].violations == [QualityViolation(rule: .straightLining, clip: nil, value: 0, threshold: 0, detail: "5 scores, all 3")])
        #expect(result[0].ratings == 5 && result[0].reason == "quality: straight-lining")
        #expect(result[1].isClean && result[2].isClean)
        var floor = QualityThresholds()
        floor.straightLiningVariance = 0.2
        floor.straightLiningMinRatings = 4
        let raised = QualityRules.evaluate(input, thresholds: floor)
        #expect(raised.map { $0.count(.straightLining) } == [1, 1, 1])
        #expect(abs(raised[2].violations[0].value - 0.2) < 1e-12)
        #expect(raised[2].violations[0].detail == "5 scores, variance 0.200")
        floor.straightLiningVariance = 0.19
        #expect(QualityRules.evaluate(input, thresholds: floor)[2].isClean)
    }

    @Test func outliersAgainstTheOtherRatersOfTheClip() {
        // c1: ann 1, the others 4, 4, 5, 5 (mean 4.5, sample SD √(1/3) = 0.57735):
        // z = (1 − 4.5)/0.57735 = −6.0622. bo's 4 against 1, 4, 5, 5 (mean 3.75,
        // SD √(10.75/3) = 1.8930): z = 0.132, no outlier.
        let ratings: [(Int, Int, Double)] = [(0, 0, 1), (0, 1, 4), (0, 2, 4), (0, 3, 5), (0, 4, 5),
                                             // c2: the others agree exactly (SD 0): z undefined, not judged.
                                             (1, 0, 1), (1, 1, 4), (1, 2, 4), (1, 3, 4),
                                             // c3: two ratings, one other: not judged.
                                             (2, 0, 1), (2, 1, 5)]
        let result = QualityRules.evaluate(Self.input(raters: ["ann", "bo", "cy", "di", "ed"], ratings: ratings))
        #expect(result.map { $0.count(.outlier) } == [1, 0, 0, 0, 0])
        let v = result[0].violations[0]
        #expect(v.clip == "c1" && v.threshold == 3.29)
        #expect(abs(v.value - (-3.5 / (1.0 / 3).squareRoot())) < 1e-12)
        #expect(v.detail == "score 1 against 4.50 ± 0.58 (z = -6.06)")
        // A threshold above |z| lets it pass; three others required leaves c1 judged.
        var t = QualityThresholds()
        t.outlierZ = 6.07
        #expect(QualityRules.evaluate(Self.input(raters: ["ann", "bo", "cy", "di", "ed"], ratings: ratings), thresholds: t)[0].isClean)
        t = QualityThresholds()
        t.outlierMinOthers = 5
        #expect(QualityRules.evaluate(Self.input(raters: ["ann", "bo", "cy", "di", "ed"], ratings: ratings), thresholds: t)[0].isClean)
    }

    @Test func ratersInByteOrderViolationsByRuleThenBatchOrder() {
        let ratings: [(Int, Int, Double)] = (0..<3).flatMap { c in [(c, 0, 2.0), (c, 1, 2.0)] } + (3..<5).map { ($0, 1, 2.0) }
        let input = Self.input(clips: (1...5).map { ("c\($0)", Optional(2.0)) }, raters: ["alice", "Zoe"], ratings: ratings,
                               viewings: [(4, 1, 0.9, 1), (1, 1, 1, 7), (0, 1, 0.2, 1)])
        let result = QualityRules.evaluate(input)
        #expect(result.map(\.rater) == ["Zoe", "alice"])
        #expect(result[0].violations.map(\.rule) == [.watchedToEnd, .watchedToEnd, .viewingTime, .straightLining])
        #expect(result[0].violations.map(\.clip) == ["c1", "c5", "c2", nil])
        #expect(result[0].reason == "quality: 2 clips not watched to the end, 1 clip viewed over the time limit, straight-lining")
        #expect(result[0].ratings == 5 && result[1].ratings == 3 && result[1].isClean)
    }
}
