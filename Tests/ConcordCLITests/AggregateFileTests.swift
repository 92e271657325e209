import Foundation
import Testing

/// `concord aggregate FILE`: the command as a user runs it — JSON, text and CSV from one
/// result, the option order crowd-kit uses, ties said, the same posteriors as crowd-kit 1.4.2
/// end to end, an undefined method (exit 1), and every bad input (one line, exit 2, nothing on
/// standard output). The statistics themselves: AggregationTests.
@Suite struct AggregateFileTests {
    /// DawidSkeneTests' hand table, plus unit e whose only value is empty (left out).
    static let hand = """
        unit,rater,value
        a,r1,yes
        a,r2,yes
        a,r3,no
        b,r1,no
        b,r2,no
        b,r3,no
        c,r1,yes
        c,r2,yes
        c,r3,yes
        d,r1,no
        d,r2,yes
        d,r3,no
        e,r1,

        """

    static func run(_ csv: String, _ arguments: [String]) throws -> (file: String, out: String) {
        let file = try CLI.temporaryFile(csv)
        let result = try CLI.run(["aggregate", file] + arguments)
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        return (file, result.stdout)
    }

    @Test func majorityVoteJSONIsTheVoteShares() throws {
        let root = try CLI.json(try Self.run(Self.hand, ["--method", "mv", "--format", "json"]).out)
        #expect(root["method"] as? String == "mv")
        let units = try #require(root["units"] as? [[String: Any]])
        #expect(units.map { $0["unit"] as? String } == ["a", "b", "c", "d"])
        #expect(units.map { $0["label"] as? String } == ["yes", "no", "yes", "no"])
        let posteriors = units.map { $0["posterior"] as? [String: Double] }
        let third: Double = 1.0 / 3, twoThirds: Double = 2.0 / 3
        let shares: [[String: Double]?] = [["no": third, "yes": twoThirds], ["no": 1.0, "yes": 0.0],
                                           ["no": 0.0, "yes": 1.0], ["no": twoThirds, "yes": third]]
        #expect(posteriors == shares)
        let raters = try #require(root["raters"] as? [[String: Any]])
        #expect(raters.map { $0["accuracy"] as? Double } == [1, 0.75, 0.75])
        #expect(raters.allSatisfy { $0["confusion"] == nil })
        #expect(root["ties"] as? Int == 0 && root["iterations"] == nil)
    }

    /// The same labels through crowd-kit (Tests/Reference/crowdkit_reference.py): ds and
    /// one-coin posteriors to 1e-6, and concord's layout of the confusion matrices.
    @Test(arguments: ["ds", "one-coin"])
    func posteriorsEqualCrowdKit(_ method: String) throws {
        let root = try CLI.json(try Self.run(Self.hand, ["--method", method, "--format", "json"]).out)
        let units = try #require(root["units"] as? [[String: Any]])
        let labels: [[String]] = Self.hand.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.count == 3 && !$0[2].isEmpty }
        let ck = try Self.crowdKit(method, labels: labels, classes: ["no", "yes"], items: ["a", "b", "c", "d"])
        let expected = try #require(ck["posteriors"] as? [[Double]])
        for (unit, p) in zip(units, expected) {
            let ours = try #require(unit["posterior"] as? [String: Double])
            #expect(abs(ours["no"]! - p[0]) <= 1e-6 && abs(ours["yes"]! - p[1]) <= 1e-6, "\(unit)")
        }
        #expect(root["iterations"] as? Int == ck["iterations"] as? Int)
        #expect(root["converged"] as? Bool == true)
        let r1 = try #require((root["raters"] as? [[String: Any]])?.first)
        let confusion = try #require(r1["confusion"] as? [String: [String: Double]])
        #expect(Set(confusion.keys) == ["no", "yes"] && abs(confusion["no"]!.values.reduce(0, +) - 1) < 1e-9)
    }

    /// Runs crowd-kit on `labels` ([unit, rater, value]); posteriors in `classes` order.
    static func crowdKit(_ method: String, labels: [[String]], classes: [String], items: [String]) throws -> [String: Any] {
        let python = ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"]
            ?? CLI.packageRoot.appendingPathComponent(".build-venv/bin/python3").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "no Python for crowd-kit at \(python)")
        let request: [String: Any] = ["method": method, "labels": labels, "classes": classes, "items": items]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [CLI.packageRoot.appendingPathComponent("Tests/Reference/crowdkit_reference.py").path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: try JSONSerialization.data(withJSONObject: request) + Data("\n".utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try CLI.json(String(decoding: data, as: UTF8.self))
    }

    @Test func textAndCSVShowTheSameResult() throws {
        let (file, text) = try Self.run(Self.hand, ["--method", "mv"])
        #expect(text == """
            concord aggregate: \(file) · mv (majority vote, ties reported)
            4 units · 3 raters · 12 labels · 2 options (no, yes) · no tie
            left out, with no label: 1 unit

            unit  label  posterior  n
            a     yes    0.6667     3
            b     no     1.0000     3
            c     yes    1.0000     3
            d     no     0.6667     3

            rater  accuracy  n
            r1     1.0000    4
            r2     0.7500    4
            r3     0.7500    4

            """)
        let csv = try Self.run(Self.hand, ["--method", "mv", "--format", "csv"]).out
        #expect(csv == "unit,label,tied,n,posterior:no,posterior:yes\na,yes,,3,\(1.0 / 3),\(2.0 / 3)\nb,no,,3,1.0,0.0\nc,yes,,3,0.0,1.0\nd,no,,3,\(2.0 / 3),\(1.0 / 3)\n")
    }

    /// Numbers sort as numbers ("1.0" is the option "1" first written as "1"), text by code
    /// point ("B" before "a") — crowd-kit's column order once pandas has read the file.
    @Test func optionsAreInCrowdKitsOrder() throws {
        let numeric = try Self.run("unit,rater,value\nu1,ann,10\nu1,bob,9\nu2,ann,1\nu2,bob,1.0\n", ["--method", "mv", "--format", "json"]).out
        #expect(numeric.contains("{\"unit\": \"u2\", \"label\": \"1\", \"posterior\": {\"1\": 1.0, \"9\": 0.0, \"10\": 0.0}, \"n\": 2}"))
        let words = try Self.run("unit,rater,value\nu1,ann,b\nu1,bob,a\nu2,ann,B\n", ["--method", "mv", "--format", "csv"]).out
        #expect(words.hasPrefix("unit,label,tied,n,posterior:B,posterior:a,posterior:b\n"))
    }

    @Test func aTieHasNoLabelButItsOptions() throws {
        let csv = "unit,rater,value\nu1,ann,x\nu1,bob,y\n"
        let json = try Self.run(csv, ["--format", "json"]).out
        #expect(json.contains("{\"unit\": \"u1\", \"label\": null, \"tied\": [\"x\", \"y\"], \"posterior\": {\"x\": 0.5, \"y\": 0.5}, \"n\": 2}"))
        #expect(json.hasSuffix("\"ties\": 1\n}\n"))
        #expect(try Self.run(csv, []).out.contains("\nu1    tie (x, y)  0.5000     2\n"))
        #expect(try Self.run(csv, ["--format", "csv"]).out.hasSuffix("\nu1,,x|y,2,0.5,0.5\n"))
    }

    @Test func standardInput() throws {
        let result = try CLI.run(["aggregate", "-", "--method", "mv", "--format", "csv"], stdin: "unit,rater,value\nu1,ann,x\nu1,bob,x\n")
        #expect(result.status == 0)
        #expect(result.stdout == "unit,label,tied,n,posterior:x\nu1,x,,2,1.0\n")
    }

    @Test func oneOptionIsUndefinedWithTheReasonAndExitOne() throws {
        let file = try CLI.temporaryFile("unit,rater,value\nu1,ann,yes\nu1,bob,yes\n")
        for method in ["ds", "one-coin"] {
            let result = try CLI.run(["aggregate", file, "--method", method])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "concord: \(method) is undefined on \(file): there is only one option (yes): \(method) weighs raters' disagreements between options, and with one option every item's consensus is that option; give the criterion's full option list\n")
        }
    }
}
