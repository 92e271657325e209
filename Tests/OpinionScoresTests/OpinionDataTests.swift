import Testing
@testable import OpinionScores

@Suite struct OpinionDataTests {
    @Test func missingRatingsReadAsNil() throws {
        let d = try OpinionData(unitNames: ["a", "b"], raterNames: ["r1", "r2", "r3"],
                                scores: [1, .nan, 3, 4, 5, .nan])
        #expect(d[1, 0] == 4)
        #expect(d[0, 1] == nil)
        #expect(d.ratingCount == 4)
        #expect(d.contentOfUnit == [0, 1])
    }

    @Test func theShapeIsChecked() {
        #expect(throws: OpinionData.ShapeError.self) {
            try OpinionData(unitNames: ["a"], raterNames: ["r1", "r2"], scores: [1])
        }
        #expect(throws: OpinionData.ShapeError.self) {
            try OpinionData(unitNames: ["a"], raterNames: ["r1"], scores: [.infinity])
        }
    }
}
