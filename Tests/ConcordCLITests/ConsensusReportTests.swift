import Foundation
import Testing

/// `concord report`'s rater confusion matrices on both stores: the matrices `aggregate
/// --batch --method ds` prints, the same in an auditor's report as in a lead's.
@Suite struct ConsensusReportTests {
    @Test(arguments: StoreKind.available)
    func theReportsMatricesAreAggregatesAndAuditorsGetThem(_ kind: StoreKind) throws {
        let project = try AggregateBatchTests.project(kind)
        func consensus(_ who: String) throws -> [String: Any] {
            let out = project.dir + "/\(who).json"
            try project.ok(["report", "--format", "json", "--out", out, "--bootstrap", "20"], as: who)
            return try #require(try CLI.json(String(contentsOfFile: out, encoding: .utf8))["consensus"] as? [String: Any])
        }
        let lead = try consensus("lena"), auditor = try consensus("aud")
        #expect(lead["method"] as? String == "ds")
        let present = try #require((lead["criteria"] as? [String: Any])?["present"] as? [String: Any])
        let audited = try #require((auditor["criteria"] as? [String: Any])?["present"] as? [String: Any])
        #expect(present["options"] as? [String] == AggregateBatchTests.options)
        let raters = try #require(present["raters"] as? [[String: Any]])
        #expect(raters.map { $0["rater"] as? String } == ["alice", "bob", "lena"])
        #expect((audited["raters"] as? [[String: Any]])?.map { $0["confusion"] as? [[Double]] } == raters.map { $0["confusion"] as? [[Double]] })
        // The same fit as aggregate --batch: each rater's matrix row by row.
        let direct = try CLI.json(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--format", "json"]))
        for (rater, row) in zip(try #require(direct["raters"] as? [[String: Any]]), raters) {
            let byOption = try #require(rater["confusion"] as? [String: [String: Double]])
            let matrix = try #require(row["confusion"] as? [[Double]])
            for (t, truth) in AggregateBatchTests.options.enumerated() { for (g, given) in AggregateBatchTests.options.enumerated() {
                #expect(abs((byOption[truth]?[given] ?? -1) - matrix[t][g]) < 1e-12)
            } }
        }
        // ego-response has no label yet: said, not drawn.
        let ego = try #require((lead["criteria"] as? [String: Any])?["ego-response"] as? [String: Any])
        #expect(ego["undefined"] as? String == "no rater has labelled ego-response yet")
        let md = project.dir + "/aud.md"
        try project.ok(["report", "--format", "md", "--out", md], as: "aud")
        let text = try String(contentsOfFile: md, encoding: .utf8)
        #expect(text.contains("### Confusion matrices: present (nominal)\n\n**alice: accuracy "))
        #expect(text.contains("| answer / given | yes | no | unclear |"))
    }
}
