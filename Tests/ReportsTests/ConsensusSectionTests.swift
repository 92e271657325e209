import Aggregation
import Foundation
@testable import Reports
import Store
import Testing

/// The report's per-rater confusion matrices: ds fitted per nominal and ordinal criterion to
/// people's labels (the same fit as `BatchConsensus` gives), rendered in Markdown, HTML, JSON
/// and CSV from the one model, the same in an auditor's report, at most 30 raters in HTML and
/// Markdown.
@Suite struct ConsensusSectionTests {
    static func report(namingClips: Bool = true) throws -> (BatchReport, BatchLabels) {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let labels = try lead.labelsForAgreement(batch: "b")
        return (try BatchReport(labels: labels, activity: nil, gold: [], goldThreshold: nil, version: "t", resamples: 0, seed: 1,
                                namingClips: namingClips), labels)
    }

    @Test func dawidSkenePerNominalAndOrdinalCriterionAsBatchConsensusFitsIt() throws {
        let (report, labels) = try Self.report()
        let section = report.consensus
        #expect(section.method == .ds && section.criteria.map(\.id) == ["kind", "risk"])
        for c in section.criteria {
            let direct = try BatchConsensus(labels, criterion: try #require(labels.rubric.criterion(c.id))).aggregate(method: .ds)
            #expect(c.outcome == direct)
            #expect(c.raterNames == ["ann", "ben", "cat"] && c.labels == (c.id == "kind" ? 15 : 14))
            let result = try #require(c.result)
            #expect(result.raters.allSatisfy { $0.confusion?.count == c.options.count })
        }
        // An auditor's report has the same section: it names raters and options, no clip.
        let (audited, _) = try Self.report(namingClips: false)
        #expect(audited.consensus.criteria.map(\.outcome) == section.criteria.map(\.outcome))
    }

    @Test func markdownHTMLJSONAndCSVShowTheSameMatrices() throws {
        let (report, _) = try Self.report()
        let extras = try ReportExtras(context: nil, resamples: 0, seed: 1)
        let kind = try #require(report.consensus.criteria.first)
        let result = try #require(kind.result)
        let ben = result.raters[1], m = try #require(ben.confusion), accuracy = fixed(try #require(ben.accuracy), 3)
        let markdown = ReportRender.markdown(report, extras)
        #expect(markdown.contains("## Rater confusion matrices\n\n\(ReportRender.consensusNote)\n\n### Confusion matrices: kind (nominal)\n\n"))
        #expect(markdown.contains("**ben: accuracy \(accuracy), 5 labels**\n\n"
                                  + "| answer / given | car | truck | bike |\n| --- | --- | --- | --- |\n"
                                  + "| car | \(fixed(m[0][0], 3)) | \(fixed(m[0][1], 3)) | \(fixed(m[0][2], 3)) |\n"))
        let html = ReportRender.html(report, extras)
        #expect(html.contains("<h2>Rater confusion matrices</h2>") && html.contains("<h4>ben: accuracy \(accuracy), 5 labels</h4>"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ReportRender.json(report, extras).utf8)) as? [String: Any])
        let consensus = try #require(json["consensus"] as? [String: Any])
        #expect(consensus["method"] as? String == "ds")
        let kindJSON = try #require((consensus["criteria"] as? [String: Any])?["kind"] as? [String: Any])
        #expect(kindJSON["options"] as? [String] == ["car", "truck", "bike"] && kindJSON["iterations"] as? Int == result.iterations)
        let benJSON = try #require((kindJSON["raters"] as? [[String: Any]])?[1])
        #expect(benJSON["rater"] as? String == "ben" && abs((benJSON["accuracy"] as? Double ?? -1) - (ben.accuracy ?? -2)) < 1e-15)
        let confusionJSON = try #require(benJSON["confusion"] as? [[Double]])
        #expect(zip(confusionJSON.joined(), m.joined()).allSatisfy { abs($0 - $1) < 1e-15 } && confusionJSON.joined().count == 9)
        let csv = ReportRender.csv(report, extras)
        #expect(csv.contains("consensus.kind,ben.confusion.car|truck,\(m[0][1])\n") && csv.contains("consensus.kind,ben.n,5\n"))
    }

    /// A criterion nobody labelled says why it has no matrices; with more than 30 raters the
    /// HTML and Markdown show the 30 with the most labels and say how many more the JSON has.
    @Test func undefinedCriteriaAndManyRaters() throws {
        let (_, lead) = try AdjudicationTests.project(["i1": ["ann": ["risk": "low"], "ben": ["risk": "high"]]])
        let report = try BatchReport(labels: lead.labelsForAgreement(batch: "b"), activity: nil, gold: [], goldThreshold: nil,
                                     version: "t", resamples: 0, seed: 1)
        let markdown = ReportRender.markdown(report, try ReportExtras(context: nil, resamples: 0, seed: 1))
        #expect(markdown.contains("### Confusion matrices: kind (nominal)\n\nNo matrices: ds is undefined on these labels (no rater has labelled kind yet).\n\n"))
        let raters = (0..<32).map { RaterSkill(rater: $0, accuracy: 1, confusion: [[1, 0], [0, 1]], n: $0 == 5 ? 1 : 10 + $0) }
        let many = AggregationResult(method: .ds, items: [], raters: raters)
        let shown = ConsensusSection.shown(many)
        #expect(shown.omitted == 2 && shown.raters.count == 30)
        #expect(shown.raters.map(\.rater) == (0..<32).filter { $0 != 5 && $0 != 0 })   // the fewest labels: 5 (1), then 0 (10)
        let c = ConsensusSection.Criterion(id: "x", scale: .nominal, options: ["a", "b"], raterNames: (0..<32).map { "r\($0)" }, labels: 0,
                                           outcome: .aggregated(many))
        #expect(ReportRender.consensusText(c, method: .ds, text: { $0 }) == "The 30 raters with the most labels; 2 more raters in the JSON and CSV.")
    }
}
