import Foundation
@testable import Pairwise
import Testing
@testable import Reports

/// The per-rater figures as `concord pairwise` prints them: share, Wilson interval, the count
/// k/n and the exact binomial p of 1/2, in text and JSON (docs/pairwise.md "Per rater").
@Suite struct PairwiseReportRaterTests {
    /// Rater r picks the left clip 9 times of 10 (p = 22/1024 = 0.0215) and agrees with the
    /// consensus A > B > C (set by s) 8 times of 10 (p = 112/1024 = 0.1094).
    static func data() -> Comparisons {
        var rater = [Int32](), a = [Int32](), b = [Int32](), o = [Comparisons.Outcome](), left = [Int8]()
        for (x, y) in [(0, 1), (1, 2), (0, 2)] {
            for k in 0..<4 { rater.append(1); a.append(Int32(x)); b.append(Int32(y)); o.append(k == 0 ? .b : .a); left.append(-1) }
        }
        let judged: [(Int32, Int32, Comparisons.Outcome, Int8)] = [
            (0, 1, .a, 0), (1, 2, .a, 0), (0, 2, .a, 0), (0, 1, .a, 0), (1, 2, .a, 0), (0, 2, .a, 0), (0, 1, .a, 0), (1, 2, .a, 1),
            (1, 2, .b, 1), (0, 2, .b, 1)]
        for (x, y, out, l) in judged { rater.append(0); a.append(x); b.append(y); o.append(out); left.append(l) }
        return Comparisons(items: ["A", "B", "C"], raters: ["r", "s"], rater: rater, a: a, b: b, outcome: o, shownLeft: left)
    }

    @Test func textAndJSONCarryCountsAndTests() throws {
        let d = Self.data()
        let report = PairwiseReport(source: "t.csv", data: d, result: Pairwise.fit(d))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonBytes())) as? [String: Any])
        let r = try #require((json["raters"] as? [[String: Any]])?.first { $0["rater"] as? String == "r" })
        let left = try #require(r["left_wins"] as? [String: Any]), agreement = try #require(r["agreement"] as? [String: Any])
        #expect(left["k"] as? Int == 9 && left["n"] as? Int == 10)
        #expect(abs((left["p_value"] as? Double ?? .nan) - 22.0 / 1024) < 1e-12)
        #expect(agreement["k"] as? Int == 8 && abs((agreement["p_value"] as? Double ?? .nan) - 112.0 / 1024) < 1e-12)
        let text = report.render(.text)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("r ") })
        #expect(line.contains(" 9/10 p 0.0215") && line.contains(" 8/10 p 0.1094"), "\(line)")
        // s: the side was not recorded.
        #expect(text.contains("— (which clip was on the left is not recorded)") || text.contains("— (no decisive judgement with the left side recorded)"))
        #expect(PairwiseReport.pValue(0.00004) == "< 0.0001" && PairwiseReport.pValue(0.25) == "0.2500")
    }

    /// --bootstrap's intervals beside the Fisher ones: a text column, CSV and JSON fields, and
    /// an item without one says why.
    @Test func bootstrapIntervalsArePrinted() throws {
        let d = Self.data()
        let intervals = BootstrapIntervals(replicates: 50, seed: 3, ci95: [0.1...0.9, nil, -1.2 ... -0.3], used: [50, 40, 50],
                                           reason: [nil, "too few raters", nil])
        let report = PairwiseReport(source: "t.csv", data: d, result: Pairwise.fit(d), bootstrap: intervals)
        let text = report.render(.text)
        #expect(text.contains("\nbootstrap: percentile 95% intervals from 50 resamples of raters, seed 3\n"))
        #expect(text.contains(" bootstrap 95% ") && text.contains(" 0.1000 – 0.9000 ") && text.contains("no bootstrap interval: too few raters"))
        let csv = report.render(.csv).split(separator: "\n")
        #expect(csv[0].hasSuffix(",bootstrap95_low,bootstrap95_high"))
        #expect(csv.contains { $0.hasPrefix("A,") && $0.hasSuffix(",0.1,0.9") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonBytes())) as? [String: Any])
        #expect((json["bootstrap"] as? [String: Any])?["replicates"] as? Int == 50)
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.first { $0["item"] as? String == "C" }?["bootstrap95"] as? [Double] == [-1.2, -0.3])
        #expect(items.first { $0["item"] as? String == "B" }?["bootstrap_note"] as? String == "too few raters")
    }
}
