import Foundation
import Testing

/// `concord mos FILE`: the command as a user runs it — JSON, text and CSV from one result,
/// hand-worked MOS intervals, the same numbers as sureal 0.9.0 end to end (CSV with missing
/// ratings and a content column → JSON), and an undefined method (exit 1, one line).
@Suite struct MosCommandTests {
    /// u1: 3, 4, 5; u2: 1, 2 and a missing value; u3: 4, 4, 2.
    static let small = "unit,rater,value\nu1,ann,3\nu1,bob,4\nu1,cy,5\nu2,ann,1\nu2,bob,2\nu2,cy,\nu3,ann,4\nu3,bob,4\nu3,cy,2\n"

    static func json(_ csv: String, _ method: String, _ extra: [String] = []) throws -> [String: Any] {
        let file = try CLI.temporaryFile(csv)
        let result = try CLI.run(["mos", file, "--method", method, "--format", "json"] + extra)
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        return try CLI.json(result.stdout)
    }

    /// Mean, and sureal's interval: ± 1.95996 · s / √n with s the sample SD (n − 1).
    static func handMOS(_ xs: [Double]) -> (score: Double, low: Double, high: Double) {
        let n = Double(xs.count), mean = xs.reduce(0, +) / n
        let s = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        return (mean, mean - 1.95996 * s / n.squareRoot(), mean + 1.95996 * s / n.squareRoot())
    }

    @Test func mosJSONGivesEachUnitItsMeanIntervalAndCount() throws {
        let root = try Self.json(Self.small, "mos")
        #expect(root["method"] as? String == "mos")
        let units = try #require(root["units"] as? [[String: Any]])
        #expect(units.map { $0["unit"] as? String } == ["u1", "u2", "u3"])
        for (unit, ratings) in zip(units, [[3.0, 4, 5], [1, 2], [4, 4, 2]]) {
            let hand = Self.handMOS(ratings)
            let ci = try #require(unit["ci95"] as? [Double])
            #expect(abs(try #require(unit["score"] as? Double) - hand.score) < 1e-12)
            #expect(abs(ci[0] - hand.low) < 1e-12 && abs(ci[1] - hand.high) < 1e-12, "\(ci) vs \(hand)")
            #expect(unit["n"] as? Int == ratings.count)
        }
        // mos estimates no rater figures and rejects nobody: only name and "rejected".
        let raters = try #require(root["raters"] as? [[String: Any]])
        #expect(raters.map { $0["rater"] as? String } == ["ann", "bob", "cy"])
        #expect(raters.allSatisfy { Set($0.keys) == ["rater", "rejected"] && $0["rejected"] as? Bool == false })
        #expect(root["contents"] == nil)
    }

    @Test func jsonIsLaidOutOneUnitPerLineInFullPrecision() throws {
        let file = try CLI.temporaryFile(Self.small)
        let out = try CLI.run(["mos", file, "--method", "mos", "--format", "json"]).stdout
        let u2 = Self.handMOS([1, 2])
        #expect(out.hasPrefix("{\n  \"method\": \"mos\",\n  \"units\": [\n    {\"unit\": \"u1\", \"score\": 4.0, \"ci95\": ["))
        #expect(out.contains("\n    {\"unit\": \"u2\", \"score\": 1.5, \"ci95\": [\(u2.low), \(u2.high)], \"n\": 2},\n"))
        #expect(out.hasSuffix("  \"raters\": [\n    {\"rater\": \"ann\", \"rejected\": false},\n    {\"rater\": \"bob\", \"rejected\": false},\n    {\"rater\": \"cy\", \"rejected\": false}\n  ]\n}\n"))
    }

    @Test func textAndCSVShowTheSameNumbers() throws {
        let file = try CLI.temporaryFile(Self.small)
        let text = try CLI.run(["mos", file, "--method", "mos"])
        #expect(text.status == 0)
        let u1 = Self.handMOS([3, 4, 5])
        #expect(text.stdout == """
            concord mos: \(file) · mos (mean opinion score)
            3 units · 3 raters · 8 ratings · no rater rejected

            unit  score   95% interval     n
            u1    4.0000  2.8684 – 5.1316  3
            u2    1.5000  0.5200 – 2.4800  2
            u3    3.3333  2.0267 – 4.6400  3

            """)
        let csv = try CLI.run(["mos", file, "--method", "mos", "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "unit,score,ci95_lower,ci95_upper,n")
        #expect(lines[1] == "u1,4.0,\(u1.low),\(u1.high),3")
        #expect(lines.count == 4)
        let raters = try CLI.run(["mos", file, "--method", "mos", "--format", "csv", "--raters"])
        #expect(raters.stdout == "rater,bias,bias_ci95_lower,bias_ci95_upper,inconsistency,inconsistency_ci95_lower,inconsistency_ci95_upper,rejected,reason\n"
                + "ann,,,,,,,false,\nbob,,,,,,,false,\ncy,,,,,,,false,\n")
    }

    @Test func screeningAndRaterFiguresInText() throws {
        // assets/examples/mos/README.md works this by hand: F has P = Q = 1 and is rejected.
        let example = CLI.example("mos/bt500_screening.csv")
        let bt500 = try CLI.run(["mos", example, "--method", "bt500"])
        #expect(bt500.status == 0)
        #expect(bt500.stdout.hasPrefix("concord mos: \(example) · bt500 (ITU-R BT.500-14 subject rejection, then mean opinion score)\n"
                                       + "4 units · 6 raters · 24 ratings · 1 rater rejected\n"))
        #expect(bt500.stdout.contains("\nrater  screening\nA      kept\n"))
        #expect(bt500.stdout.contains("\nF      rejected: BT.500 P/Q rule: P = 1 "))
        // mle estimates bias and inconsistency and screens nobody: no screening column.
        let mle = try CLI.run(["mos", example, "--method", "mle"])
        #expect(mle.status == 0)
        #expect(mle.stdout.contains("\nrater  bias     95% interval"))
        #expect(!mle.stdout.contains("  screening\n") && !mle.stdout.contains("kept"))
        // Signed biases; one that rounds to zero has no sign.
        #expect(mle.stdout.contains("\nA      -2.0000 ") && mle.stdout.contains("\nD      +1.0000 ") && mle.stdout.contains("\nF      0.0000 "))
        #expect(mle.stdout.contains("\ncontent  ambiguity ") && mle.stdout.contains("\nclip1    "))
    }

    @Test func standardInputReadsTheSameFile() throws {
        let result = try CLI.run(["mos", "-", "--method", "mos", "--format", "csv"], stdin: Self.small)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 4)
        let text = try CLI.run(["mos", "-", "--method", "mos"], stdin: Self.small)
        #expect(text.stdout.hasPrefix("concord mos: <stdin> · mos"))
    }

    @Test func unitsAndRatersWithoutAnyRatingAreLeftOutAndCounted() throws {
        let csv = Self.small + "u4,ann,\nu4,bob,\nu1,dee,\n"
        let root = try Self.json(csv, "mos")
        #expect((root["units"] as? [[String: Any]])?.count == 3)
        #expect((root["raters"] as? [[String: Any]])?.count == 3)
        let file = try CLI.temporaryFile(csv)
        #expect(try CLI.run(["mos", file, "--method", "mos"]).stdout.contains("\nleft out, with no rating: 1 unit and 1 rater\n"))
    }

    @Test func constantScoresAreUndefinedWithTheReasonAndExitOne() throws {
        let file = try CLI.temporaryFile("unit,rater,value\nu1,ann,3\nu1,bob,3\nu2,ann,3\nu2,bob,3\n")
        for format in ["text", "json", "csv"] {
            let result = try CLI.run(["mos", file, "--method", "mos", "--format", format])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("concord: mos is undefined on \(file): "))
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
        }
    }
}
