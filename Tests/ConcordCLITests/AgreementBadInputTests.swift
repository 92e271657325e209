import Foundation
import Testing

/// Bad input: exit 2, one line on stderr naming the file and CSV line, nothing on stdout.
@Suite struct AgreementBadInputTests {
    func expectRejected(_ csv: String, _ extra: [String] = [], message: (String) -> String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectRejected(Data(csv.utf8), extra, message: message, sourceLocation: sourceLocation)
    }

    func expectRejected(_ bytes: Data, _ extra: [String] = [], message: (String) -> String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try CLI.temporaryFile(bytes)
        let result = try CLI.run(["agreement", file] + extra)
        #expect(result.status == 2, "status \(result.status)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "partial output: \(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr == "concord: \(message(file))\n", sourceLocation: sourceLocation)
    }

    @Test func emptyFile() throws {
        try expectRejected("") { "\($0): the file is empty; expected a header line 'unit,rater,value' and one row per rating" }
        try expectRejected("\n\n  \n") { "\($0): the file is empty; expected a header line 'unit,rater,value' and one row per rating" }
    }

    @Test func missingHeaderOrColumn() throws {
        try expectRejected("u1,r1,3\nu1,r2,3\n") {
            "\($0):1: missing column 'unit'; the header must name the columns unit, rater and value (found 'u1,r1,3')"
        }
        try expectRejected("unit,rater,score\nu1,r1,3\n") {
            "\($0):1: missing column 'value'; the header must name the columns unit, rater and value (found 'unit,rater,score')"
        }
        try expectRejected("unit,rater,value,value\n") { "\($0):1: the column 'value' appears twice in the header" }
    }

    @Test func wrongNumberOfFields() throws {
        try expectRejected("unit,rater,value\nu1,r1,3\nu1,r2\n") { "\($0):3: expected 3 fields as in the header, found 2" }
        try expectRejected("unit,rater,value\nu1,r1,3,9\n") { "\($0):2: expected 3 fields as in the header, found 4" }
    }

    @Test func repeatedUnitAndRaterNamesBothLines() throws {
        try expectRejected("unit,rater,value\nu1,ann,3\nu2,ann,1\nu1,bob,2\nu1,ann,4\n") {
            "\($0):5: unit 'u1' is rated twice by rater 'ann' (first at line 2); keep one row per unit and rater"
        }
        // Also when one of the two rows has a missing value.
        try expectRejected("unit,rater,value\nu1,ann,\nu1,ann,4\n") {
            "\($0):3: unit 'u1' is rated twice by rater 'ann' (first at line 2); keep one row per unit and rater"
        }
    }

    @Test func invalidUTF8() throws {
        var bytes = Data("unit,rater,value\nu1,r1,3\nu2,r".utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: Data("1,2\n".utf8))
        try expectRejected(bytes) { "\($0):3: invalid UTF-8 (byte 0xFF at byte 5 of the line); save the file as UTF-8" }
        // A truncated multi-byte sequence (é is C3 A9).
        var truncated = Data("unit,rater,value\nu1,r1,caf".utf8)
        truncated.append(0xC3)
        try expectRejected(truncated) { "\($0):2: invalid UTF-8 (byte 0xC3 at byte 10 of the line); save the file as UTF-8" }
    }

    @Test func valueNotInOrder() throws {
        try expectRejected("unit,rater,value\nu1,r1,low\nu1,r2,medium\nu2,r1,hgih\n", ["--order", "low,medium,high"]) {
            "\($0):4: the value 'hgih' is not in --order (low,medium,high); add it to --order or correct the row"
        }
    }

    @Test func badOrderOption() throws {
        try expectRejected("unit,rater,value\nu1,r1,1\n", ["--order", "1,2,,3"]) { _ in
            "--order has an empty category in '1,2,,3'; write the categories low to high, separated by commas"
        }
        try expectRejected("unit,rater,value\nu1,r1,1\n", ["--order", "1,2,1.0"]) { _ in "--order names the category '1.0' twice" }
    }

    @Test func negativeValuesForRatioAlpha() throws {
        try expectRejected("unit,rater,value\nu1,r1,2\nu1,r2,-1\n", ["--metric", "krippendorff_alpha_ratio"]) {
            "\($0):3: the value '-1' is negative, and krippendorff_alpha_ratio needs values of 0 or more; use krippendorff_alpha_interval, or correct the row"
        }
        // Without asking for it, ratio alpha is undefined with the reason and the rest is computed.
        let file = try CLI.temporaryFile("unit,rater,value\nu1,r1,2\nu1,r2,-1\nu2,r1,2\nu2,r2,2\n")
        let result = try CLI.run(["agreement", file, "--format", "json"])
        #expect(result.status == 0)
        let metrics = try #require(CLI.json(result.stdout)["metrics"] as? [String: [String: Any]])
        #expect(metrics["krippendorff_alpha_ratio"]?["undefined"] as? String == "needs non-negative values; found -1")
    }

    @Test func wordsForIntervalAlpha() throws {
        try expectRejected("unit,rater,value\nu1,r1,2\nu1,r2,two\n", ["--metric", "krippendorff_alpha_interval"]) {
            "\($0):3: the value 'two' is not a number, and krippendorff_alpha_interval needs numbers; choose a nominal or ordinal metric, or correct the row"
        }
    }

    @Test func unknownMetric() throws {
        try expectRejected("unit,rater,value\nu1,r1,2\n", ["--metric", "cohens_kappa"]) { _ in
            "unknown metric 'cohens_kappa'; choose from: krippendorff_alpha_nominal, krippendorff_alpha_ordinal, krippendorff_alpha_interval, krippendorff_alpha_ratio, fleiss_kappa, cohen_kappa, weighted_kappa_linear, weighted_kappa_quadratic, scotts_pi, percent_agreement, gwet_ac1"
        }
    }

    @Test func emptyUnitOrRaterAndBrokenQuotes() throws {
        try expectRejected("unit,rater,value\n,r1,2\n") { "\($0):2: the unit is empty; every row needs a unit" }
        try expectRejected("unit,rater,value\nu1,\"\",2\n") { "\($0):2: the rater is empty; every row needs a rater" }
        try expectRejected("unit,rater,value\nu1,r1,2\n\"u2,r1,3\n") { "\($0):3: a quoted field is never closed; add the closing '\"'" }
        try expectRejected("unit,rater,value\n\"u1\"x,r1,2\n") {
            "\($0):2: text after a closing quote; a quote inside a quoted field is written '\"\"'"
        }
    }

    @Test func missingFileAndUsageErrorsExitTwo() throws {
        let missing = try CLI.run(["agreement", "/nonexistent/ratings.csv"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "concord: /nonexistent/ratings.csv: cannot open: No such file or directory\n")
        let noFile = try CLI.run(["agreement"])
        #expect(noFile.status == 2)
        #expect(noFile.stderr.hasPrefix("concord: give a reliability CSV file (or - for standard input), or --batch NAME\n"))
        let badFormat = try CLI.run(["agreement", "x.csv", "--format", "xml"])
        #expect(badFormat.status == 2)
        let badConfidence = try CLI.run(["agreement", "x.csv", "--bootstrap", "10", "--confidence", "95"])
        #expect(badConfidence.status == 2)
        #expect(badConfidence.stderr.contains("--confidence must be between 0 and 1 (e.g. 0.95); got 95.0"))
        let unknownCommand = try CLI.run(["agreemnt"])
        #expect(unknownCommand.status == 2)
    }

    /// Quoted fields with commas, doubled quotes and line breaks are ordinary values, and
    /// line numbers still count the lines a person sees.
    @Test func quotedFieldsAndCRLF() throws {
        let csv = "unit,rater,value\r\n\"clip, 1\",\"A \"\"senior\"\"\",yes\r\n\"clip, 1\",B,yes\r\n\"multi\nline\",A,no\r\n\"multi\nline\",B,yes\r\nx,A,maybe\r\nx,A,no\r\n"
        // Lines 4–5 and 6–7 each hold one row (a quoted line break), so x's rows are lines 8 and 9.
        try expectRejected(csv) { "\($0):9: unit 'x' is rated twice by rater 'A' (first at line 8); keep one row per unit and rater" }
        let ok = try CLI.temporaryFile(String(csv.dropLast("x,A,no\r\n".count)))
        let result = try CLI.run(["agreement", ok, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        #expect(json["units"] as? Int == 3)
        #expect(json["raters"] as? Int == 3)
        #expect(json["pairable_units"] as? Int == 2)
    }
}
