import Testing
@testable import OpinionScores

/// Where mos, bt500 and p913 have no answer, they say why in words a person can act on
/// (never NaN), the same reason for all three; and what a defined result holds.
@Suite struct MOSTests {
    static let closedForms: [OpinionMethod] = [.mos, .bt500, .p913]

    static func reasons(_ data: OpinionData) -> [String?] {
        closedForms.map { OpinionScores.score(data, method: $0).undefinedReason }
    }

    @Test func noRatings() {
        let data = OpinionData.rows([[nil, nil], [nil, nil]])
        #expect(Self.reasons(data) == Array(repeating: "the data has no ratings; give at least 2 raters' scores of each unit", count: 3))
    }

    @Test func oneRater() {
        // Three rater columns, but only B rated anything.
        let data = OpinionData.rows([[nil, 4, nil], [nil, 2, nil], [nil, 5, nil]])
        #expect(Self.reasons(data) == Array(repeating: "needs ratings from at least 2 raters; the data has 1 (B)", count: 3))
    }

    @Test func constantScores() {
        let data = OpinionData.rows([[3, 3], [3, nil], [3, 3]])
        #expect(Self.reasons(data) == Array(repeating: "all 5 ratings are 3: with no spread there is no interval and nothing to screen; check that the value column holds the scores", count: 3))
        let fractional = OpinionData.rows([[2.5, 2.5], [2.5, 2.5]])
        #expect(OpinionScores.score(fractional, method: .mos).undefinedReason?.hasPrefix("all 4 ratings are 2.5:") == true)
    }

    @Test func aUnitWithoutRatings() {
        let data = OpinionData.rows([[1, 2], [nil, nil], [3, 5]])
        #expect(Self.reasons(data) == Array(repeating: "unit 'u1' has no ratings; rate it or leave it out of the data", count: 3))
    }

    /// Two raters are enough, and a constant unit inside varied data is fine (SE 0).
    @Test func twoRatersAndAConstantUnit() throws {
        let data = OpinionData.rows([[1, 2], [4, 4]])
        let result = try #require(OpinionScores.score(data, method: .mos).result)
        #expect(result.method == .mos)
        #expect(result.units.map(\.score) == [1.5, 4])
        #expect(result.units.map(\.n) == [2, 2])
        // s = √0.5, SE = s/√2 = 0.5.
        #expect(abs(result.units[0].standardError! - 0.5) < 1e-15)
        #expect(result.units[1].standardError == 0 && result.units[1].ci95 == Interval(low: 4, high: 4))
        #expect(result.raters == [RaterFigures(rater: 0), RaterFigures(rater: 1)])
        #expect(result.contents.isEmpty && result.iterations == nil)
    }

    /// A rater column with no ratings is listed, kept, and has no bias (sureal: NaN).
    @Test func aRaterWithoutRatingsIsListedAndKept() throws {
        let data = OpinionData.rows([[1, 2, nil], [4, 5, nil], [3, 2, nil]])
        for method in Self.closedForms {
            let result = try #require(OpinionScores.score(data, method: method).result, "\(method)")
            #expect(result.raters.count == 3)
            #expect(result.raters[2] == RaterFigures(rater: 2), "\(method): \(result.raters[2])")
        }
        let sureal = try #require(try SurealReference.run("p913", [data]).first)
        #expect(try #require(sureal.numbers("observer_bias"))[2] == nil)
    }
}
