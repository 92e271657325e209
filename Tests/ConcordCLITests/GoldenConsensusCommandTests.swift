import Aggregation
import Foundation
import Testing

/// `concord golden export --consensus M` on both stores: consensus entries marked with their
/// method and rounded posterior, ties on standard error with their count, the version still
/// the SHA-256 of the lines after the header, adjudicated answers winning.
@Suite struct GoldenConsensusCommandTests {
    static func lines(_ jsonl: String) throws -> (header: [String: Any], entries: [[String: Any]]) {
        let lines = jsonl.split(separator: "\n").map(String.init)
        return (try CLI.json(lines[0]), try lines.dropFirst().map { try CLI.json($0) })
    }

    static func key(_ e: [String: Any]) -> String { "\(e["clip"] as? String ?? ""):\(e["criterion"] as? String ?? "")" }

    /// mv on AggregateBatchTests' project: present a (yes, no, yes) and b (no, no, unclear)
    /// get consensus entries, c (yes, no, unclear) is a tie; severity a (alice's minor alone)
    /// gets one too.
    @Test(arguments: StoreKind.available)
    func majorityVoteEntriesTiesAndTheVersion(_ kind: StoreKind) throws {
        let project = try AggregateBatchTests.project(kind)
        let plain = try Self.lines(try project.ok(["golden", "export"]))
        #expect(plain.entries.isEmpty && plain.header["consensus"] == nil)   // nothing unanimous any more
        let run = try project.run(["golden", "export", "--consensus", "mv"])
        #expect(run.status == 0)
        let items = try CLI.json(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv", "--format", "json"]))["units"] as? [[String: Any]]
        let c = try #require(items?[2]["unit"] as? String).split(separator: ":")[0]
        #expect(run.stderr == "golden set of batch b1: 1 unit tied under mv, not exported: item \(c) present (yes, no, unclear)\n")
        let golden = try Self.lines(run.stdout)
        #expect(golden.header["consensus"] as? String == "mv" && golden.header["ties"] as? Int == 1 && golden.header["entries"] as? Int == 3)
        let byKey = Dictionary(uniqueKeysWithValues: golden.entries.map { (Self.key($0), $0) })
        #expect(Set(byKey.keys) == ["a.mp4:present", "b.mp4:present", "a.mp4:severity"])
        let a = try #require(byKey["a.mp4:present"])
        #expect(a["source"] as? String == "consensus:mv" && a["value"] as? String == "yes" && a["adjudicator"] is NSNull)
        #expect(a["posterior"] as? [String: Double] == ["yes": 0.666667, "no": 0.333333, "unclear": 0])
        #expect(byKey["b.mp4:present"]?["posterior"] as? [String: Double] == ["yes": 0, "no": 0.666667, "unclear": 0.333333])
        #expect(byKey["a.mp4:severity"]?["value"] as? String == "minor")
        // The version is still the SHA-256 of the lines after the header.
        let body = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        try writeFile(project.dir + "/golden-body.jsonl", body)
        #expect(golden.header["version"] as? String == (try Tool.sha256(project.dir + "/golden-body.jsonl")))
        #expect(golden.header["version"] as? String != plain.header["version"] as? String)
    }

    @Test(arguments: StoreKind.available)
    func adjudicatedAnswersWinAndDsIsAggregationsPosterior(_ kind: StoreKind) throws {
        let project = try AggregateBatchTests.project(kind)
        let items = try #require(try CLI.json(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv",
                                                              "--format", "json"]))["units"] as? [[String: Any]])
        let names = items.compactMap { $0["unit"] as? String }
        try project.ok(["resolve", "c.mp4", "--criterion", "present", "--value", "unclear", "--reason", "clip_ambiguous"], as: "lena")
        let run = try project.run(["golden", "export", "--consensus", "ds"])
        #expect(run.status == 0)
        let golden = try Self.lines(run.stdout)
        let byKey = Dictionary(uniqueKeysWithValues: golden.entries.map { (Self.key($0), $0) })
        #expect(byKey["c.mp4:present"]?["source"] as? String == "adjudicated" && byKey["c.mp4:present"]?["value"] as? String == "unclear")
        #expect(byKey["c.mp4:present"]?["posterior"] == nil)
        switch Aggregation.aggregate(try AggregateBatchTests.labelData(names: names), method: .ds) {
        case .undefined(let reason):
            Issue.record("ds is undefined on three raters' labels of three items: \(reason)")
        case .aggregated(let result):
            for (i, clip) in ["a.mp4", "b.mp4"].enumerated() {
                let e = try #require(byKey["\(clip):present"])
                let expected = result.items[i]
                #expect(e["source"] as? String == "consensus:ds" && e["value"] as? String == expected.label.map { AggregateBatchTests.options[$0] })
                let p = try #require(e["posterior"] as? [String: Double])
                for (k, option) in AggregateBatchTests.options.enumerated() {
                    #expect(p[option] == (expected.posterior[k] * 1e6).rounded() / 1e6)
                }
            }
        }
        // CSV: the posterior column, empty for the adjudicated entry.
        let csv = try project.ok(["golden", "export", "--consensus", "mv", "--format", "csv"]).split(separator: "\n").map(String.init)
        #expect(csv[0].hasSuffix(",rubric_hash,posterior"))
        #expect(csv.contains { $0.contains(",a.mp4,") && $0.hasSuffix(",yes=0.666667;no=0.333333;unclear=0") })
        #expect(csv.contains { $0.contains(",c.mp4,") && $0.contains(",adjudicated,") && $0.hasSuffix(",") })
        // Without --consensus the CSV's columns are as they were.
        #expect(try project.ok(["golden", "export", "--format", "csv"]).hasPrefix("golden_version,item,clip,clip_sha256,criterion,value,source,votes,adjudicator,reason,rationale,rubric_hash\n"))
        let bad = try project.run(["golden", "export", "--consensus", "vote"])
        #expect(bad.status == 2 && bad.stdout.isEmpty && bad.stderr.contains("--consensus must be one of mv, ds, one-coin, mace, glad; got 'vote'"))
    }
}
