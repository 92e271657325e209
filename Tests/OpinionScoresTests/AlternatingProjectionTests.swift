import Testing
@testable import OpinionScores

/// `p910` against sureal 0.9.0's P910AnnexEModel (IterativeComparison, 1e-6 with sureal's
/// stopping rule) on seeded data sets of many shapes, plus hand-checked properties.
@Suite(.serialized) struct AlternatingProjectionTests {
    @Test func p910EqualsSureal() throws {
        let data = MaximumLikelihoodTests.dataSets(seed: 18_003, copies: 2)
        let n = try IterativeComparison.compare(.p910, data) { "data set \($0) (seed 18003)" }
        #expect(n > 4_000)
    }
}
