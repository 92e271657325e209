import Foundation
import Testing

/// `concord mos` bad input: exit 2, one line on stderr saying what, where (file and CSV
/// line) and what to do, nothing on stdout.
@Suite struct MosBadInputTests {
    func expectRejected(_ csv: String, _ extra: [String] = [], method: String = "mos", message: (String) -> String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try CLI.temporaryFile(csv)
        try expectRejected(["mos", file, "--method", method] + extra, message: message(file), sourceLocation: sourceLocation)
    }

    func expectRejected(_ arguments: [String], message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "status \(result.status)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "partial output: \(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr == "concord: \(message)\n", sourceLocation: sourceLocation)
    }

    @Test func emptyFileAndHeaderOnly() throws {
        try expectRejected("") { "\($0): the file is empty; expected a header line 'unit,rater,value' and one row per rating" }
        try expectRejected("unit,rater,value\n") { "\($0): only a header, no ratings; add one row per rating (unit,rater,value) under it" }
        try expectRejected("unit,rater,value\nu1,ann,\nu1,bob,\n") {
            "\($0): every value is empty, so there is no rating to score; fill in the value column"
        }
    }

    @Test func nonNumericValueNamesItsLine() throws {
        try expectRejected("unit,rater,value\nu1,ann,3\nu1,bob,good\nu2,ann,good\n") {
            "\($0):3: the value 'good' is not a number; opinion scores need numbers (a 1–5 or 0–100 scale), so correct the row"
        }
        try expectRejected("unit,rater,value\nu1,ann,3\nu1,bob,nan\n") {
            "\($0):3: the value 'nan' is not a number; opinion scores need numbers (a 1–5 or 0–100 scale), so correct the row"
        }
    }

    @Test func missingColumn() throws {
        try expectRejected("unit,rater,score\nu1,ann,3\n") {
            "\($0):1: missing column 'value'; the header must name the columns unit, rater and value (found 'unit,rater,score')"
        }
        try expectRejected("u1,ann,3\nu1,bob,4\n") {
            "\($0):1: missing column 'unit'; the header must name the columns unit, rater and value (found 'u1,ann,3')"
        }
    }

    @Test func repeatedUnitAndRaterNamesBothLines() throws {
        try expectRejected("unit,rater,value\nu1,ann,3\nu2,ann,1\nu1,bob,2\nu1,ann,4\n") {
            "\($0):5: unit 'u1' is rated twice by rater 'ann' (first at line 2); keep one row per unit and rater"
        }
        // Also when the first of the two rows has a missing value.
        try expectRejected("unit,rater,value\nu1,ann,\nu1,bob,2\nu1,ann,4\n") {
            "\($0):4: unit 'u1' is rated twice by rater 'ann' (first at line 2); keep one row per unit and rater"
        }
    }

    @Test func oneRater() throws {
        try expectRejected("unit,rater,value\nu1,ann,3\nu2,ann,4\nu2,bob,\n") {
            "\($0): every rating is by one rater ('ann'); opinion scores need ratings from at least 2 raters"
        }
    }

    @Test func contentColumnProblems() throws {
        try expectRejected("unit,rater,value,content\nu1,ann,3,s1\nu1,bob,4,s2\n") {
            "\($0):3: unit 'u1' has the content 's2' here but 's1' at line 2; a unit is made from one content"
        }
        try expectRejected("unit,rater,value,content\nu1,ann,3,s1\nu2,bob,4,\n") {
            "\($0):3: the content is empty; give every row the source its unit was made from, or leave out the content column"
        }
        try expectRejected("unit,rater,value,content,content\n") { "\($0):1: the column 'content' appears twice in the header" }
    }

    @Test func unknownMethod() throws {
        try expectRejected("unit,rater,value\nu1,ann,3\nu1,bob,4\n", method: "mean") { _ in
            "unknown method 'mean'; choose from: mos, bt500, p913, mle, mle_co, p910"
        }
    }

    @Test func unreadableFile() throws {
        try expectRejected(["mos", "/nonexistent/scores.csv", "--method", "mos"],
                           message: "/nonexistent/scores.csv: cannot open: No such file or directory")
        let dir = FileManager.default.temporaryDirectory.path
        try expectRejected(["mos", dir, "--method", "mos"], message: "\(dir): is a directory; give a CSV file")
    }

    @Test func usageErrorsExitTwoWithNothingOnStandardOutput() throws {
        for arguments in [["mos", "--method", "mos"], ["mos", "x.csv"], ["mos", "x.csv", "--method", "mos", "--raters"],
                          ["mos", "x.csv", "--method", "mos", "--criterion", "q"], ["mos", "x.csv", "--method", "mos", "--format", "xml"]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr.hasPrefix("concord: "), "\(arguments): \(result.stderr)")
        }
    }
}
