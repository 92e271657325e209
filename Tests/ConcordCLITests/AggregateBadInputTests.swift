import Foundation
import Testing

/// `concord aggregate FILE` bad input: exit 2, one line on stderr saying what, where (file and
/// CSV line) and what to do, nothing on stdout.
@Suite struct AggregateBadInputTests {
    func expectRejected(_ csv: String, method: String = "ds", message: (String) -> String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try CLI.temporaryFile(csv)
        try expectRejected(["aggregate", file, "--method", method], message: message(file), sourceLocation: sourceLocation)
    }

    func expectRejected(_ arguments: [String], message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "status \(result.status)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "partial output: \(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr == "concord: \(message)\n", sourceLocation: sourceLocation)
    }

    @Test func emptyFileHeaderOnlyAndNoValue() throws {
        try expectRejected("") { "\($0): the file is empty; expected a header line 'unit,rater,value' and one row per rating" }
        try expectRejected("unit,rater,value\n") { "\($0): only a header, no labels; add one row per label (unit,rater,value) under it" }
        try expectRejected("unit,rater,value\nu1,ann,\nu1,bob,\n") {
            "\($0): every value is empty, so there is no label to aggregate; fill in the value column"
        }
    }

    @Test func missingColumn() throws {
        try expectRejected("unit,rater,label\nu1,ann,x\n") {
            "\($0):1: missing column 'value'; the header must name the columns unit, rater and value (found 'unit,rater,label')"
        }
    }

    @Test func repeatedUnitAndRaterNamesBothLines() throws {
        try expectRejected("unit,rater,value\nu1,ann,x\nu2,ann,y\nu1,bob,x\nu1,ann,y\n") {
            "\($0):5: unit 'u1' is rated twice by rater 'ann' (first at line 2); keep one row per unit and rater"
        }
        // Also when the first of the two rows has an empty value.
        try expectRejected("unit,rater,value\nu1,ann,\nu1,bob,x\nu1,ann,y\n") {
            "\($0):4: unit 'u1' is rated twice by rater 'ann' (first at line 2); keep one row per unit and rater"
        }
    }

    /// Past 2^28 (unit, rater) cells the repeated pair is found by a set instead of a bitmap:
    /// 20,000 units each rated by its own rater, the last row repeating the first pair.
    @Test func repeatedPairOnAHugeSparseTable() throws {
        var csv = "unit,rater,value\n"
        for k in 0..<20_000 { csv += "u\(k),r\(k),\(k % 2 == 0 ? "x" : "y")\n" }
        csv += "u0,r0,y\n"
        try expectRejected(csv) { "\($0):20002: unit 'u0' is rated twice by rater 'r0' (first at line 2); keep one row per unit and rater" }
    }

    @Test func unknownMethod() throws {
        try expectRejected("unit,rater,value\nu1,ann,x\n", method: "vote") { _ in
            "unknown method 'vote'; choose from: mv, ds, one-coin, mace, glad"
        }
    }

    @Test func unreadableFile() throws {
        try expectRejected(["aggregate", "/nonexistent/labels.csv"], message: "/nonexistent/labels.csv: cannot open: No such file or directory")
        let dir = FileManager.default.temporaryDirectory.path
        try expectRejected(["aggregate", dir], message: "\(dir): is a directory; give a CSV file")
    }

    @Test func usageErrorsExitTwoWithNothingOnStandardOutput() throws {
        for arguments in [["aggregate"], ["aggregate", "x.csv", "--batch", "b"], ["aggregate", "x.csv", "--criterion", "q"],
                          ["aggregate", "x.csv", "--format", "xml"]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty, "\(arguments)")
            #expect(result.stderr.hasPrefix("concord: "), "\(arguments): \(result.stderr)")
        }
    }
}
