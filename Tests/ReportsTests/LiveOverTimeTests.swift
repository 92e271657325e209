import Agreement
import Foundation
@testable import Reports
import Rubric
import Store
import Testing

/// The dashboard's drift sparkline kept label by label (`LiveOverTime`) against a fresh
/// `AgreementOverTime` on the project's labels as they are after each change: the same
/// windows, the same alphas, the same drift verdict — on a real project file, with the
/// revisions committed by another connection.
@Suite struct LiveOverTimeTests {
    typealias Fixture = LiveAgreementTests

    static func fresh(_ lead: ProjectSession, window: OverTimeWindow) throws -> AgreementOverTime {
        try AgreementOverTime(labels: lead.labelsForAgreement(batch: "b"), versions: lead.currentLabelVersions(batch: "b"),
                              gold: lead.goldAnswers(batch: "b").answers, window: window)
    }

    static func expectMatchesFresh(_ live: LiveOverTime, _ lead: ProjectSession, _ note: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fresh = try fresh(lead, window: live.window)
        let lines = live.lines(limit: 1000)
        #expect(lines.map(\.criterion) == fresh.criteria.map(\.criterion.id), "\(note)", sourceLocation: sourceLocation)
        for (line, timeline) in zip(lines, fresh.criteria) {
            #expect(line.windows == timeline.windows.map(\.name), "\(note) \(line.criterion): windows", sourceLocation: sourceLocation)
            let expected = timeline.windows.map(\.alpha.value)
            #expect(line.alphas.count == expected.count, "\(note) \(line.criterion)", sourceLocation: sourceLocation)
            for (a, b) in zip(line.alphas, expected) {
                #expect((a == nil) == (b == nil) && abs((a ?? 0) - (b ?? 0)) <= 1e-12, "\(note) \(line.criterion): \(String(describing: a)) vs \(String(describing: b))",
                        sourceLocation: sourceLocation)
            }
            #expect(line.sparkline == AgreementOverTime.sparkline(timeline), sourceLocation: sourceLocation)
        }
    }

    static func importHumans(_ writer: ProjectStore, _ rows: [(item: Int, rater: String, criterion: String, value: String, at: String)]) throws {
        _ = try writer.session(login: "admin").importLabels(rows.enumerated().map { i, r in
            LabelImportRow(line: i + 2, clip: "i\(r.item).mp4", rater: r.rater, criterion: r.criterion, value: r.value, submittedAt: r.at)
        }, file: "h.csv", fileSHA256: String(repeating: "1", count: 64), batch: "b")
    }

    @Test(arguments: [OverTimeWindow.day, .items(3)])
    func theSparklineFollowsEachRevisionAsAFreshComputationWould(window: OverTimeWindow) throws {
        let (path, lead, writer) = try Fixture.project(items: 8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let kinds = ["car", "truck", "bike"], risks = ["none", "low", "medium", "high", "extreme"]
        var rows: [(item: Int, rater: String, criterion: String, value: String, at: String)] = []
        var rng = Fixture.SplitMix(state: 11)
        for item in 1...6 {
            for rater in Fixture.humans {
                let day = 1 + (item - 1) / 2
                let at = "2026-10-0\(day)T1\(Int.random(in: 0...9, using: &rng)):00:00Z"
                rows.append((item, rater, "kind", kinds[(item + (Bool.random(using: &rng) ? 0 : 1)) % 3], at))
                rows.append((item, rater, "risk", risks[Int.random(in: 0..<5, using: &rng)], at))
            }
        }
        try Self.importHumans(writer, rows)
        let after = try lead.lastLabelID()
        let live = try LiveOverTime(session: lead, context: try lead.adjudicationContext(batch: "b"), after: after, window: window)
        try Self.expectMatchesFresh(live, lead, "snapshot")

        // Workbench submissions today (a new window), a revision of an old item (it moves to
        // today), a model's label (left out) and a withdrawn answer.
        try Fixture.submit(writer, "ann", item: 7, ["kind": "car", "risk": "low", "gap": "3"])
        try Fixture.submit(writer, "ben", item: 7, ["kind": "car", "risk": "medium", "gap": "3.5"])
        #expect(try live.poll())
        try Self.expectMatchesFresh(live, lead, "two submissions")
        try Fixture.submit(writer, "cat", item: 1, ["kind": "bike", "risk": "high"])
        try Fixture.importModel(writer, item: 2, kind: "truck")
        try live.poll()
        try Self.expectMatchesFresh(live, lead, "a revision and a model")
        // ann says truck on item 7: gap is asked only of cars, so her gap is withdrawn.
        try Fixture.submit(writer, "ann", item: 7, ["kind": "truck", "risk": "low"])
        try Self.importHumans(writer, [(8, "ann", "kind", "car", "2026-09-30T23:59:59Z"), (8, "ben", "kind", "car", "2026-10-01T00:00:00Z")])
        try live.poll()
        try Self.expectMatchesFresh(live, lead, "a withdrawal and an older import")
        #expect(live.appliedChanges > 0)
        #expect(try live.poll() == false)

        // The slow part: the drift verdict of the first and latest windows, as the command's.
        try live.refreshSlow(force: true)
        let fresh = try Self.fresh(lead, window: window)
        for (line, timeline) in zip(live.lines(), fresh.criteria) {
            switch (line.drift, timeline.drift) {
            case (.steady?, .steady): break
            case (.undetermined(let a)?, .undetermined(let b)): #expect(a == b)
            case (.drifting(let a1, let a2, let ar)?, .drifting(let b1, let b2, let br)): #expect(a1 == b1 && a2 == b2 && ar == br)
            default: Issue.record("\(line.criterion): live \(String(describing: line.drift)) vs \(timeline.drift)")
            }
        }
    }
}
