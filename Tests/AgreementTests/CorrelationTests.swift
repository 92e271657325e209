import Agreement
import Foundation
import Testing

/// Spearman's rho and Kendall's tau-b (what `concord judge` reports for ordinal and numeric
/// criteria) against scipy.stats on random data with many ties, and the undefined cases.
@Suite struct CorrelationTests {
    @Test func matchesScipyOnRandomDataWithTies() throws {
        let python = ReferenceComparisonTests.python
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("no Python for scipy at \(python); run `make test`, which creates .build-venv")
            return
        }
        var rng = Xoshiro256StarStar(seed: 11)
        var cases: [([Double], [Double])] = []
        for _ in 0..<80 {
            let n = 2 + Int(rng.next() % 40)
            let k = 2 + Int(rng.next() % 6)   // few distinct values: many ties
            let x = (0..<n).map { _ in Double(rng.next() % UInt64(k)) }
            let y = x.map { v in rng.next() % 3 == 0 ? Double(rng.next() % UInt64(k)) : v + Double(rng.next() % 2) * 0.5 }
            cases.append((x, y))
        }
        let input = try cases.map { String(decoding: try JSONSerialization.data(withJSONObject: [$0.0, $0.1]), as: UTF8.self) }.joined(separator: "\n")
        let script = """
        import json, sys, math
        from scipy import stats
        for line in sys.stdin:
            x, y = json.loads(line)
            r = stats.spearmanr(x, y).statistic
            t = stats.kendalltau(x, y).statistic
            print(json.dumps([None if math.isnan(r) else r, None if math.isnan(t) else t]))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-W", "ignore", "-c", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == cases.count)
        var compared = 0
        for (i, line) in lines.enumerated() {
            let expected = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            let (x, y) = cases[i]
            for (outcome, reference) in [(Correlation.spearman(x, y), expected[0]), (Correlation.kendallTauB(x, y), expected[1])] {
                if let r = reference as? Double {
                    let v = try #require(outcome.value, "case \(i): concord undefined, scipy \(r)")
                    #expect(abs(v - r) < 1e-9, "case \(i): \(v) vs scipy \(r)")
                    compared += 1
                } else {
                    #expect(outcome.value == nil, "case \(i): scipy undefined")
                }
            }
        }
        #expect(compared > 100)
    }

    @Test func publishedSmallExamplesAndUndefinedCases() {
        // Perfect monotone agreement and perfect reversal.
        #expect(Correlation.spearman([1, 2, 3, 4], [10, 20, 30, 40]).value == 1)
        #expect(Correlation.kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]).value == -1)
        // Average ranks with ties: [1, 2, 2, 3] → 1, 2.5, 2.5, 4.
        #expect(Correlation.ranks([1, 2, 2, 3]) == [1, 2.5, 2.5, 4])
        #expect(Correlation.spearman([1, 1, 1], [1, 2, 3]).value == nil)
        #expect(Correlation.kendallTauB([5], [5]).value == nil)
    }
}
