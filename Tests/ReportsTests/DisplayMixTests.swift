import Foundation
import Reports
import Rubric
import Store
import Testing

/// The report's display mix: per rater, the items whose latest submission was judged on each
/// display mode, from submissions in a real project file, in every format.
@Suite struct DisplayMixTests {
    @Test func itemsPerRaterByTheDisplayOfTheirLatestSubmission() throws {
        let (store, lead) = try AdjudicationTests.project([:])
        func full(_ kind: String) -> [String: String] { ["kind": kind, "risk": "low", "gap": "5"] }
        func shown(_ mode: Display) -> DisplayRecord { DisplayRecord(mode: mode, width: 80, height: 40, colors: "none") }
        let ann = try store.session(login: "admin", actingAs: "ann")
        let ben = try store.session(login: "admin", actingAs: "ben")
        // ann: item 1 on sixel, then again on kitty (the latest counts), item 2 on kitty,
        // item 3 from a client that recorded nothing. ben: item 1 in the player.
        try ann.submitItem(ItemSubmission(item: 1, answers: full("car"), frame: 0, pts: 0, dwellMs: 1, watchedShare: 1, display: shown(.sixel)))
        try ann.submitItem(ItemSubmission(item: 1, answers: full("truck"), frame: 0, pts: 0, dwellMs: 1, watchedShare: 1, display: shown(.kitty)))
        try ann.submitItem(ItemSubmission(item: 2, answers: full("car"), frame: 0, pts: 0, dwellMs: 1, watchedShare: 1, display: shown(.kitty)))
        try ann.submitItem(ItemSubmission(item: 3, answers: full("car"), frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        try ben.submitItem(ItemSubmission(item: 1, answers: full("car"), frame: 0, pts: 0, dwellMs: 1, watchedShare: 1, display: shown(.player)))
        let activity = try lead.activity(batch: "b")
        #expect(activity.displays == ["ann": ["kitty": 2], "ben": ["player": 1]])
        let report = try BatchReport(labels: lead.labelsForAgreement(batch: "b"), activity: activity, gold: [], goldThreshold: nil,
                                     version: "t", resamples: 0, seed: 1)
        #expect(report.displayMix == ["ann": ["kitty": 2], "ben": ["player": 1]])
        let extras = try ReportExtras(context: nil, resamples: 0, seed: 1)
        let markdown = ReportRender.markdown(report, extras)
        #expect(markdown.contains("""
            | rater | kitty | sixel | blocks | ascii | player |
            | --- | --- | --- | --- | --- | --- |
            | ann | 2 | 0 | 0 | 0 | 0 |
            | ben | 0 | 0 | 0 | 0 | 1 |
            """), "\(markdown)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ReportRender.json(report, extras).utf8)) as? [String: Any])
        #expect(json["display_mix"] as? [String: [String: Int]] == ["ann": ["kitty": 2], "ben": ["player": 1]])
        let csv = ReportRender.csv(report, extras)
        #expect(csv.contains("display_mix.ann,kitty,2\n") && csv.contains("display_mix.ben,player,1\n") && !csv.contains("display_mix.ann,sixel"))
        // Without recorded displays there is no table.
        let none = try BatchReport(labels: lead.labelsForAgreement(batch: "b"), activity: nil, gold: [], goldThreshold: nil,
                                   version: "t", resamples: 0, seed: 1)
        #expect(!ReportRender.markdown(none, extras).contains("Display mix"))
    }
}
