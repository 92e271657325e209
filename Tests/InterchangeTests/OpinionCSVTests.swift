import Interchange
import OpinionScores
import Testing

/// The reliability CSV read as opinion scores: each rating in its (unit, rater) cell whatever
/// the row order, missing cells NaN, contents shared between units, units and raters with no
/// rating left out (and counted), and the content column ignored where agreement reads.
@Suite struct OpinionCSVTests {
    static func read(_ text: String, readContent: Bool = true) throws -> (data: OpinionData, leftOut: (units: Int, raters: Int)) {
        let bytes = Array(text.utf8)
        let csv = try bytes.withUnsafeBufferPointer { try ReliabilityCSV.parse($0, name: "t.csv", readContent: readContent) }
        return try csv.opinionData(name: "t.csv")
    }

    @Test func cellsAreFilledByUnitAndRaterInInputOrder() throws {
        let (data, leftOut) = try Self.read("value,rater,unit\n5, bob ,b\n2,ann,a\n 3.5 ,ann,b\n1e0,cy,a\n,cy,b\n")
        #expect(data.unitNames == ["b", "a"])
        #expect(data.raterNames == ["bob", "ann", "cy"])
        #expect(data[0, 0] == 5 && data[0, 1] == 3.5 && data[0, 2] == nil)
        #expect(data[1, 0] == nil && data[1, 1] == 2 && data[1, 2] == 1)
        #expect(data.ratingCount == 4)
        #expect(leftOut.units == 0 && leftOut.raters == 0)
        // Without a content column every unit is its own content.
        #expect(data.contentNames == ["b", "a"] && data.contentOfUnit == [0, 1])
    }

    @Test func contentsAreSharedAndNumberedByFirstUse() throws {
        let (data, _) = try Self.read("unit,rater,value,content\nc1,ann,3,src-b\nc2,ann,4,src-a\nc3,ann,2,src-b\nc1,bob,3,src-b\nc2,bob,5,src-a\n")
        #expect(data.contentNames == ["src-b", "src-a"])
        #expect(data.contentOfUnit == [0, 1, 0])
        // Agreement's reading of the same file ignores the column.
        let bytes = Array("unit,rater,value,content\nc1,ann,3,s\n".utf8)
        let csv = try bytes.withUnsafeBufferPointer { try ReliabilityCSV.parse($0, name: "t.csv") }
        #expect(csv.contentNames.isEmpty && csv.contentOfUnit.isEmpty)
    }

    @Test func unitsAndRatersWithoutRatingsAreLeftOut() throws {
        let (data, leftOut) = try Self.read("unit,rater,value,content\nu1,ann,3,s1\nu2,ann,,s2\nu1,bob,4,s1\nu3,bob,1,s3\nu3,cy,,s3\n")
        #expect(data.unitNames == ["u1", "u3"])
        #expect(data.raterNames == ["ann", "bob"])
        // The left-out unit's content goes too; the rest are numbered afresh.
        #expect(data.contentNames == ["s1", "s3"] && data.contentOfUnit == [0, 1])
        #expect(leftOut.units == 1 && leftOut.raters == 1)
        #expect(data[1, 0] == nil && data[1, 1] == 1)
    }

    @Test func problemsAreInputErrorsWithTheLine() throws {
        #expect(throws: InputError.self) { try Self.read("unit,rater,value\nu1,ann,x\nu1,bob,3\n") }
        do {
            _ = try Self.read("unit,rater,value\nu1,ann,3\nu1,bob,inf\n")
            Issue.record("inf was read as a number")
        } catch let error as InputError {
            #expect(error.message == "t.csv:3: the value 'inf' is not a number; opinion scores need numbers (a 1–5 or 0–100 scale), so correct the row")
        }
    }
}
