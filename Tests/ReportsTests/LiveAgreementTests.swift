import Agreement
import Foundation
@testable import Reports
import Rubric
import Store
import Testing

/// The lead's live agreement against a fresh computation: after label revisions committed
/// by another connection (as another process would), the numbers read from the
/// incremental accumulators equal `BatchReliability` + `AgreementSummary` (and `Breakdown`,
/// `Bootstrap`, `GoldAccuracy`) on the project's labels as they are then — on a real
/// project file.
@Suite struct LiveAgreementTests {
    static let rubricYAML = """
    name: live
    criteria:
      - id: kind
        question: Which kind?
        scale: nominal
        options: [car, truck, bike]
      - id: risk
        question: How risky?
        scale: ordinal
        options: [none, low, medium, high, extreme]
        required: false
      - id: gap
        question: Gap in metres?
        scale: ratio
        range: [0, 100]
        step: 0.5
        required: false
        when: {kind: car}
      - id: notes
        question: Notes
        scale: text
    """

    static let humans = ["ann", "ben", "cat", "dan"]

    /// A project file with `items` clips, every item assigned to ann, ben, cat and dan;
    /// lee is a lead, mo a model. Returns the path, the lead's session (its own
    /// connection, like the dashboard's process) and a writer store (another connection).
    static func project(items: Int = 8) throws -> (path: String, lead: ProjectSession, writer: ProjectStore) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString).db").path
        let setup = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try setup.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "live.yaml"), sourcePath: "live.yaml")
        for name in humans { try admin.addRater(name, role: .rater) }
        try admin.addRater("lee", role: .lead)
        try admin.addRater("mo", role: .model)
        _ = try admin.addClips((1...items).map(clip), batch: "b", rubric: "live")
        _ = try admin.assign(batch: "b", raters: humans, overlap: nil, goldRate: nil)
        let writer = try ProjectStore.open(path: path)
        let lead = try ProjectStore.open(path: path).session(login: "admin", actingAs: "lee")
        return (path, lead, writer)
    }

    static func clip(_ i: Int) -> ClipFacts {
        ClipFacts(path: "/c/i\(i).mp4", name: "i\(i).mp4", sha256: String(format: "%064x", i), sizeBytes: 1, codec: "h264",
                  duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
    }

    /// `rater` submits item `item` (1-based) with `answers` through the workbench path.
    static func submit(_ writer: ProjectStore, _ rater: String, item: Int, _ answers: [String: String]) throws {
        _ = try writer.session(login: "admin", actingAs: rater)
            .submitItem(ItemSubmission(item: Int64(item), answers: answers, frame: nil, pts: nil, dwellMs: 1000, watchedShare: 1))
    }

    /// `mo`'s predictions, imported by the admin (they must not count).
    static func importModel(_ writer: ProjectStore, item: Int, kind: String) throws {
        _ = try writer.session(login: "admin").importLabels(
            [LabelImportRow(line: 2, clip: "i\(item).mp4", rater: "mo", criterion: "kind", value: kind)],
            file: "m.csv", fileSHA256: String(repeating: "0", count: 64), batch: "b")
    }

    // MARK: - Comparing with a fresh computation

    /// Every number the dashboard reads, compared with the batch computation on the
    /// project's current labels.
    static func expectMatchesFresh(_ live: LiveAgreement, _ lead: ProjectSession, _ note: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let context = try lead.adjudicationContext(batch: "b")
        let views = live.views
        let criteria = context.labels.rubric.criteria.filter(\.isPartOfAgreement)
        #expect(views.map(\.criterion.id) == criteria.map(\.id), sourceLocation: sourceLocation)
        for (criterion, view) in zip(criteria, views) {
            let data = try BatchReliability.data(context.labels, criterion: criterion, includeModels: false)
            let fresh = AgreementSummary(data)
            let label = "\(note) · \(criterion.id)"
            #expect(Set(view.raters) == Set(data.raterNames), "\(label): raters", sourceLocation: sourceLocation)
            expectSame(view.summary, fresh, label, sourceLocation: sourceLocation)
            let pairs = Breakdown.perRaterPair(data, metrics: BatchReliability.pairMetrics(for: criterion.scale))
            let livePairs = try #require(view.pairs, "\(label): pairs", sourceLocation: sourceLocation)
            #expect(livePairs.count == pairs.count, "\(label): pair count", sourceLocation: sourceLocation)
            let byNames = Dictionary(uniqueKeysWithValues: livePairs.map { ([$0.first, $0.second].sorted().joined(separator: "|"), $0.summary) })
            for pair in pairs {
                let key = [pair.first, pair.second].sorted().joined(separator: "|")
                let mine = try #require(byNames[key], "\(label): pair \(key) missing", sourceLocation: sourceLocation)
                expectSame(mine, pair.summary, "\(label) pair \(key)", sourceLocation: sourceLocation)
            }
            let leaveOut = Breakdown.leaveOneRaterOut(data, metrics: BatchReliability.leaveOneOutMetrics(for: criterion.scale))
            let liveLeaveOut = try #require(view.leaveOneOut, "\(label): leave-one-out", sourceLocation: sourceLocation)
            #expect(Set(liveLeaveOut.map(\.rater)) == Set(leaveOut.map(\.rater)), "\(label): leave-one-out raters", sourceLocation: sourceLocation)
            for row in leaveOut {
                let mine = try #require(liveLeaveOut.first { $0.rater == row.rater }, sourceLocation: sourceLocation)
                expectSame(mine.summary, row.summary, "\(label) without \(row.rater)", sourceLocation: sourceLocation)
            }
        }
    }

    static func expectSame(_ a: AgreementSummary, _ b: AgreementSummary, _ label: String, sourceLocation: SourceLocation) {
        #expect(a.units == b.units && a.raters == b.raters && a.ratings == b.ratings && a.pairableUnits == b.pairableUnits,
                "\(label): counts \(a.units)/\(a.raters)/\(a.ratings)/\(a.pairableUnits) vs \(b.units)/\(b.raters)/\(b.ratings)/\(b.pairableUnits)",
                sourceLocation: sourceLocation)
        #expect(Set(a.outcomes.keys) == Set(b.outcomes.keys), "\(label): metrics", sourceLocation: sourceLocation)
        for (metric, outcome) in b.outcomes {
            switch (a.outcomes[metric], outcome) {
            case (.value(let x)?, .value(let y)):
                #expect(abs(x - y) <= 1e-12, "\(label): \(metric.rawValue) \(x) vs \(y)", sourceLocation: sourceLocation)
            case (.undefined(let r)?, .undefined(let s)):
                #expect(r == s, "\(label): \(metric.rawValue) undefined '\(r)' vs '\(s)'", sourceLocation: sourceLocation)
            default:
                Issue.record("\(label): \(metric.rawValue) live \(String(describing: a.outcomes[metric])) vs fresh \(outcome)",
                             sourceLocation: sourceLocation)
            }
        }
    }

    /// A small seeded generator, so a failure replays.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    // MARK: - Tests

    @Test(arguments: [UInt64(1), 2, 3])
    func randomRevisionsFromAnotherConnectionMatchAFreshComputation(seed: UInt64) throws {
        var rng = SplitMix(state: seed)
        let (_, lead, writer) = try Self.project(items: 8)
        // A start with disagreement; dan has no label yet (he appears live).
        for item in 1...8 {
            for rater in ["ann", "ben", "cat"] where Int.random(in: 0..<4, using: &rng) > 0 {
                let kind = ["car", "truck", "bike"].randomElement(using: &rng)!
                var answers = ["kind": kind, "risk": ["none", "low", "medium", "high", "extreme"].randomElement(using: &rng)!]
                if kind == "car" { answers["gap"] = ["10", "20", "30"].randomElement(using: &rng)! }
                try Self.submit(writer, rater, item: item, answers)
            }
        }
        let start = try lead.lastLabelID()
        let live = try LiveAgreement(session: lead, batch: "b")
        try Self.expectMatchesFresh(live, lead, "snapshot")
        for round in 1...30 {
            // One to three commits between two polls, as a busy team would make.
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let item = Int.random(in: 1...8, using: &rng)
                if Int.random(in: 0..<6, using: &rng) == 0 {
                    try Self.importModel(writer, item: item, kind: ["car", "truck", "bike"].randomElement(using: &rng)!)
                    continue
                }
                let rater = (round < 10 ? ["ann", "ben", "cat"] : Self.humans).randomElement(using: &rng)!
                let kind = ["car", "car", "truck", "bike"].randomElement(using: &rng)!
                var answers = ["kind": kind]
                if Int.random(in: 0..<4, using: &rng) > 0 { answers["risk"] = ["none", "low", "medium", "high", "extreme"].randomElement(using: &rng)! }
                // Gaps: mostly known values, sometimes one never seen (a new category).
                if kind == "car", Int.random(in: 0..<4, using: &rng) > 0 {
                    answers["gap"] = Int.random(in: 0..<5, using: &rng) == 0 ? String(Double(Int.random(in: 0...200, using: &rng)) / 2)
                                                                             : ["10", "20", "30"].randomElement(using: &rng)!
                }
                if Int.random(in: 0..<5, using: &rng) == 0 { answers["notes"] = "round \(round)" }
                try Self.submit(writer, rater, item: item, answers)
            }
            try live.poll(now: 0)
            // Every human revision of an agreement criterion since the snapshot was applied, one by one.
            let revisions = try lead.labelChanges(batch: "b", after: start).changes.filter { $0.role != .model && $0.criterion != "notes" }
            #expect(live.appliedChanges == revisions.count, "round \(round)")
            try Self.expectMatchesFresh(live, lead, "seed \(seed) round \(round)")
        }
        // Only label revisions were read after the snapshot: no full re-read.
        #expect(live.snapshots == 1)
        #expect(live.appliedChanges > 30)
        // Nothing committed since: the poll costs one pragma and changes nothing.
        #expect(try live.poll(now: 0) == LiveAgreement.PollResult(committed: false, items: []))
    }

    @Test func rebuildsOnlyForANewNumericValueOrARatersLastRating() throws {
        let (_, lead, writer) = try Self.project(items: 4)
        try Self.submit(writer, "ann", item: 1, ["kind": "car", "risk": "low", "gap": "10"])
        try Self.submit(writer, "ben", item: 1, ["kind": "car", "risk": "high", "gap": "20"])
        try Self.submit(writer, "ann", item: 2, ["kind": "car", "risk": "low", "gap": "20"])
        try Self.submit(writer, "ben", item: 2, ["kind": "truck", "risk": "low"])
        let live = try LiveAgreement(session: lead, batch: "b")
        #expect(live.rebuilds == ["kind": 0, "risk": 0, "gap": 0])

        // Known values, a new rater (cat) and a withdrawal that is not anyone's last: in place.
        try Self.submit(writer, "cat", item: 1, ["kind": "truck", "risk": "medium"])
        try Self.submit(writer, "ann", item: 2, ["kind": "car", "gap": "10"])          // risk withdrawn (ann keeps item 1's)
        try live.poll(now: 0)
        #expect(live.rebuilds == ["kind": 0, "risk": 0, "gap": 0])
        try Self.expectMatchesFresh(live, lead, "in place")

        // A gap never seen: the gap criterion (only) is rebuilt from its mirror.
        try Self.submit(writer, "ben", item: 1, ["kind": "car", "risk": "high", "gap": "42.5"])
        try live.poll(now: 0)
        #expect(live.rebuilds == ["kind": 0, "risk": 0, "gap": 1])
        try Self.expectMatchesFresh(live, lead, "new gap")

        // cat withdraws his only risk rating: he no longer counts as a rater of risk.
        try Self.submit(writer, "cat", item: 1, ["kind": "truck"])
        try live.poll(now: 0)
        #expect(live.rebuilds == ["kind": 0, "risk": 1, "gap": 1])
        let risk = try #require(live.views.first { $0.criterion.id == "risk" })
        #expect(risk.raters.sorted() == ["ann", "ben"])
        // Two raters left: Cohen-type statistics apply, exactly as a fresh computation says.
        #expect(risk.summary.outcomes[.weightedKappaQuadratic]?.value != nil)
        #expect(risk.shown.contains(.weightedKappaQuadratic))
        try Self.expectMatchesFresh(live, lead, "last rating withdrawn")

        // The model's predictions never count.
        try Self.importModel(writer, item: 3, kind: "bike")
        let before = live.views.map(\.summary.ratings)
        #expect(try live.poll(now: 0).items == [3])
        #expect(live.views.map(\.summary.ratings) == before)
    }

    @Test func anItemAddedToTheBatchRereadsTheSnapshot() throws {
        let (_, lead, writer) = try Self.project(items: 2)
        try Self.submit(writer, "ann", item: 1, ["kind": "car", "gap": "10"])
        try Self.submit(writer, "ben", item: 1, ["kind": "bike"])
        let live = try LiveAgreement(session: lead, batch: "b")
        let added = try writer.session(login: "admin").addClips([Self.clip(3)], batch: "b", rubric: nil)
        _ = try writer.session(login: "admin").assign(batch: "b", raters: ["ann", "ben"], overlap: nil, goldRate: nil)
        try Self.submit(writer, "ann", item: Int(added[0].item), ["kind": "bike"])
        try Self.submit(writer, "ben", item: Int(added[0].item), ["kind": "bike"])
        try live.poll(now: 0)
        #expect(live.snapshots == 2)
        #expect(live.views.first?.summary.units == 3)
        try Self.expectMatchesFresh(live, lead, "after a new item")
    }

    @Test func bootstrapIntervalsAndGoldAccuracyRefreshWhenDataChanged() throws {
        let (_, lead, writer) = try Self.project(items: 6)
        for item in 1...6 {
            try Self.submit(writer, "ann", item: item, ["kind": item % 3 == 0 ? "bike" : "car", "risk": "low"])
            try Self.submit(writer, "ben", item: item, ["kind": item % 2 == 0 ? "bike" : "car", "risk": item < 4 ? "low" : "high"])
        }
        try writer.session(login: "admin").addGold(item: 1, criterion: "kind", value: "car")
        let live = try LiveAgreement(session: lead, batch: "b")
        #expect(live.views.allSatisfy { $0.intervals == nil })
        #expect(try live.refreshSlow(now: 100, force: true))
        #expect(try live.refreshSlow(now: 200) == false)   // nothing changed since, however long ago
        try Self.expectIntervalsMatchFresh(live, lead)
        #expect(live.goldAccuracy.rows.map { "\($0.rater) \($0.correct)/\($0.answered)" } == ["ann 1/1", "ben 1/1"])

        // Another process: a revision and a gold answer.
        try Self.submit(writer, "ben", item: 1, ["kind": "truck", "risk": "low"])
        try writer.session(login: "admin").addGold(item: 2, criterion: "kind", value: "car")
        try live.poll(now: 0)
        #expect(live.views.contains { !$0.intervalsCurrent })
        #expect(try live.refreshSlow(now: 101) == false)    // changed, but 1 s after the last refresh
        #expect(live.views.contains { !$0.intervalsCurrent })
        #expect(try live.refreshSlow(now: 203))
        #expect(try live.refreshSlow(now: 203.5) == false)
        #expect(live.views.allSatisfy { $0.intervalsCurrent })
        try Self.expectIntervalsMatchFresh(live, lead)
        let fresh = GoldAccuracy(try lead.adjudicationContext(batch: "b"))
        #expect(live.goldAccuracy.rows == fresh.rows)
        // Gold accuracy counts first answers: ben's car on item 1 stays right; his later
        // truck is marked as revised, never counted (GoldAccuracy).
        #expect(live.goldAccuracy.rows.map { "\($0.rater) \($0.correct)/\($0.answered) revised \($0.revised)" }
                == ["ann 2/2 revised 0", "ben 1/2 revised 1"])
    }

    static func expectIntervalsMatchFresh(_ live: LiveAgreement, _ lead: ProjectSession,
                                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let context = try lead.adjudicationContext(batch: "b")
        for view in live.views {
            let data = try BatchReliability.data(context.labels, criterion: view.criterion, includeModels: false)
            // The dashboard uses the report's bootstrap (B=1000, seed 1), so both show one interval.
            let fresh = Bootstrap.intervals(data, metrics: view.shown, resamples: 1000, seed: 1, confidence: 0.95)
            let mine = try #require(view.intervals, sourceLocation: sourceLocation)
            for metric in view.shown {
                switch (mine[metric], fresh[metric]) {
                case (.success(let a)?, .success(let b)?):
                    #expect(abs(a.lower - b.lower) <= 1e-12 && abs(a.upper - b.upper) <= 1e-12,
                            "\(view.criterion.id) \(metric.rawValue): [\(a.lower), \(a.upper)] vs [\(b.lower), \(b.upper)]",
                            sourceLocation: sourceLocation)
                case (.failure(let a)?, .failure(let b)?):
                    #expect(a == b, sourceLocation: sourceLocation)
                default:
                    Issue.record("\(view.criterion.id) \(metric.rawValue): \(String(describing: mine[metric])) vs \(String(describing: fresh[metric]))",
                                 sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test func theShownStatisticsFollowTheScaleRatersAndSkew() {
        #expect(BatchReliability.dashboardMetrics(scale: .nominal, raters: 3, topCategoryShare: 0.5) == [.krippendorffAlphaNominal])
        #expect(BatchReliability.dashboardMetrics(scale: .nominal, raters: 2, topCategoryShare: 0.5) == [.krippendorffAlphaNominal, .cohenKappa])
        #expect(BatchReliability.dashboardMetrics(scale: .nominal, raters: 2, topCategoryShare: 0.85)
                == [.krippendorffAlphaNominal, .cohenKappa, .gwetAC1])
        #expect(BatchReliability.dashboardMetrics(scale: .ordinal, raters: 2, topCategoryShare: 0.8)
                == [.krippendorffAlphaOrdinal, .weightedKappaQuadratic])   // 0.8 is not above 0.8
        #expect(BatchReliability.dashboardMetrics(scale: .ordinal, raters: 4, topCategoryShare: 0.9) == [.krippendorffAlphaOrdinal, .gwetAC1])
        #expect(BatchReliability.dashboardMetrics(scale: .ratio, raters: 2, topCategoryShare: 0.95) == [.krippendorffAlphaRatio])
        #expect(BatchReliability.dashboardMetrics(scale: .text, raters: 2, topCategoryShare: nil).isEmpty)
    }

    /// Past `liveBreakdownLimit` raters, pairs and leave-one-out come from the slow refresh
    /// (Breakdown on the mirror); the headline stays live.
    @Test func manyRatersGetPairsAndLeaveOneOutFromTheSlowRefresh() throws {
        let (_, lead, writer) = try Self.project(items: 4)
        let admin = try writer.session(login: "admin")
        let crowd = (1...(LiveCriterion.liveBreakdownLimit + 1)).map { String(format: "r%02d", $0) }
        for name in crowd { try admin.addRater(name, role: .rater) }
        var rng = SplitMix(state: 7)
        func importKinds() throws {
            var rows: [LabelImportRow] = []
            for item in 1...4 {
                for name in crowd {
                    rows.append(LabelImportRow(line: rows.count + 2, clip: "i\(item).mp4", rater: name, criterion: "kind",
                                               value: ["car", "truck", "bike"].randomElement(using: &rng)!))
                }
            }
            _ = try admin.importLabels(rows, file: "crowd.csv", fileSHA256: String(repeating: "0", count: 64), batch: "b")
        }
        try importKinds()
        let live = try LiveAgreement(session: lead, batch: "b")
        #expect(live.views[0].pairs == nil && live.views[0].leaveOneOut == nil)
        try live.refreshSlow(now: 10, force: true)
        #expect(live.views[0].pairs?.count == crowd.count * (crowd.count - 1) / 2)
        try Self.expectMatchesFresh(live, lead, "crowd")
        try importKinds()
        try live.poll(now: 0)
        #expect(try live.refreshSlow(now: 12.5))
        try Self.expectMatchesFresh(live, lead, "crowd after an import")
    }

    /// The statistics keep no clock: "updated" is the `now` of the poll that saw a change,
    /// and a poll that finds nothing leaves it.
    @Test func theUpdatedStampIsTheCallersClock() throws {
        let (_, lead, writer) = try Self.project(items: 2)
        let live = try LiveAgreement(session: lead, batch: "b")
        #expect(live.updatedAt == nil)
        try Self.submit(writer, "ann", item: 1, ["kind": "car"])
        #expect(try live.poll(now: 42).items == [1])
        #expect(live.updatedAt == 42)
        #expect(try live.poll(now: 50).committed == false)
        #expect(live.updatedAt == 42)
    }

    @Test func aRaterCannotWatchAgreement() throws {
        let (path, _, _) = try Self.project(items: 2)
        let ann = try ProjectStore.open(path: path).session(login: "admin", actingAs: "ann")
        #expect(throws: StoreError.self) { try LiveAgreement(session: ann, batch: "b") }
    }
}
