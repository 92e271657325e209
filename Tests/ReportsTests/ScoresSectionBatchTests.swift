import Foundation
import OpinionScores
@testable import Reports
import Rubric
import Store
import Testing

/// The Scores section of a real project file: which criteria it scores, the rule for the
/// method shown (the preferred one, else the fallback with the reason), MOS worked by hand
/// on an ordinal criterion, and the quality rules' violations from the viewing record.
@Suite struct ScoresSectionBatchTests {
    @Test func thePreferredMethodUnlessUndefinedThenTheFallbackWithItsReason() throws {
        let data = try OpinionData(unitNames: ["a", "b"], raterNames: ["r", "s"], scores: [1, 2, 3, 4])
        var asked: [OpinionMethod] = []
        let defined = ScoresSection.choose { m in asked.append(m); return (data, .scored(OpinionResult(method: m, units: [], raters: []))) }
        #expect(asked == [.p910] && defined.method == .p910 && defined.fallbackReason == nil)
        asked = []
        let fallback = ScoresSection.choose { m in
            asked.append(m)
            return (data, m == .p910 ? .undefined(reason: "the fit ran away") : .scored(OpinionResult(method: m, units: [], raters: [])))
        }
        #expect(asked == [.p910, .mos] && fallback.method == .mos && fallback.fallbackReason == "the fit ran away")
        #expect(fallback.outcome.result?.method == .mos)
    }

    @Test func everyOrdinalAndNumericCriterionIsScoredAndNominalOnesSayWhyNot() throws {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let labels = try lead.labelsForAgreement(batch: "b")
        let section = try ScoresSection(labels: labels, viewing: lead.viewing(batch: "b"))
        #expect(section.criteria.map(\.id) == ["risk", "gap"])
        let kind = try #require(labels.rubric.criterion("kind"))
        #expect(section.skipped.map(\.id) == ["kind"] && section.skipped.first?.reason == BatchScores.refusal(kind))
        // Each criterion is what BatchScores gives for the method shown (models left out).
        for c in section.criteria {
            let criterion = try #require(labels.rubric.criterion(c.id))
            let direct = try BatchScores.score(labels, criterion: criterion, method: c.method, includeModels: false)
            #expect(c.outcome == direct.outcome && c.unitNames == direct.data.unitNames && c.raterNames == direct.data.raterNames)
            #expect((c.method == ScoresSection.preferred) == (c.fallbackReason == nil))
        }
        // risk's options none…extreme are the ranks 1…5, so its chart spans at least 1 to 5
        // (wider where an interval reaches beyond); gap's rubric range is 0…100.
        let riskRange = ScoresSection.Criterion.range(of: try #require(labels.rubric.criterion("risk")))
        let gapRange = ScoresSection.Criterion.range(of: try #require(labels.rubric.criterion("gap")))
        #expect(riskRange == 1...5 && gapRange == 0...100)
        let lows = section.criteria[0].ranked.compactMap { $0.ci95?.low }
        #expect(section.criteria[0].axis == min(1, lows.min() ?? 1)...max(5, section.criteria[0].ranked.compactMap { $0.ci95?.high }.max() ?? 5))
        // Imported labels have no viewing record: the rules find nothing to judge but scores.
        #expect(section.criteria[0].violations == [])
    }

    /// risk by MOS (the preferred method forced undefined): i1 low×3 → 2; i2 none, extreme,
    /// none → 1, 5, 1: mean 7/3, s² = ((4/3)²·2 + (8/3)²)/2 = 16/3, SE = √(16/3)/√3 = 4/3,
    /// interval 7/3 ± 1.95996·4/3; i3 medium, high, medium → 3, 4, 3: mean 10/3, s = 1/√3,
    /// SE 1/3; i4 high×3 → 4; i5 low×2 → 2.
    @Test func mosOnAnOrdinalCriterionByHand() throws {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let labels = try lead.labelsForAgreement(batch: "b")
        let risk = try #require(labels.rubric.criterion("risk"))
        let scores = try BatchScores(labels, criterion: risk)
        let s = try ScoresSection.choose { m in
            m == .p910 ? (try scores.data(), .undefined(reason: "forced")) : try scores.score(method: m)
        }
        let c = ScoresSection.Criterion(id: "risk", scale: .ordinal, unitNames: s.data.unitNames, raterNames: s.data.raterNames,
                                        method: s.method, fallbackReason: s.fallbackReason, outcome: s.outcome, violations: nil)
        #expect(c.methodText() == "p910 is undefined on these ratings (forced), so the scores are by mos (mean opinion score), docs/mos.md.")
        #expect(c.ranked.map { c.unitNames[$0.unit] } == ["4:i4.mp4", "3:i3.mp4", "2:i2.mp4", "1:i1.mp4", "5:i5.mp4"])
        let byName = Dictionary(uniqueKeysWithValues: c.ranked.map { (c.unitNames[$0.unit], $0) })
        let i2 = try #require(byName["2:i2.mp4"]), i3 = try #require(byName["3:i3.mp4"])
        #expect(abs(i2.score - 7.0 / 3) < 1e-12 && abs((i2.standardError ?? 0) - 4.0 / 3) < 1e-12)
        #expect(abs((i2.ci95?.low ?? 0) - (7.0 / 3 - 1.95996 * 4 / 3)) < 1e-4 && abs((i2.ci95?.high ?? 0) - (7.0 / 3 + 1.95996 * 4 / 3)) < 1e-4)
        #expect(abs(i3.score - 10.0 / 3) < 1e-12 && abs((i3.standardError ?? 0) - 1.0 / 3) < 1e-12)
        #expect(byName["4:i4.mp4"]?.score == 4 && byName["5:i5.mp4"]?.n == 2)
        // As the Markdown shows them: i2 is 2.333 [-0.280, 4.947].
        #expect(ReportRender.scoreRows(c)[3] == ["3", "2:i2.mp4", "2.333", "[-0.280, 4.947]", "3"])
    }

    @Test func qualityRuleViolationsFromTheViewingRecord() throws {
        let (store, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        // ann re-answers i1 and i2 in the workbench having seen half and a quarter of each clip.
        let ann = try store.session(login: "admin", actingAs: "ann")
        for (item, seen) in [(Int64(1), 0.5), (2, 0.25)] {
            try ann.submitItem(ItemSubmission(item: item, answers: ["kind": "car", "risk": "low", "gap": "10"], frame: 0, pts: 0,
                                              dwellMs: 500, watchedShare: seen))
        }
        let section = try ScoresSection(labels: lead.labelsForAgreement(batch: "b"), viewing: lead.viewing(batch: "b"))
        let risk = try #require(section.criteria.first { $0.id == "risk" })
        let watched = try #require(risk.violations?.first { $0.rater == "ann" && $0.rule == "watched_to_end" })
        #expect(watched.count == 2 && watched.detail == "i1.mp4 50% seen; i2.mp4 25% seen")
        let md = ReportRender.scoresMarkdown(section)
        #expect(md.contains("| ann | not watched to the end | 2 | i1\\.mp4 50% seen; i2\\.mp4 25% seen |"))
        #expect(md.contains("Judged against: watched ≥ 100% of each clip"))
        // An auditor's section names no clip: item numbers in the ranking and the violations.
        let audited = try ScoresSection(labels: lead.labelsForAgreement(batch: "b"), viewing: lead.viewing(batch: "b"), namingClips: false)
        let auditedRisk = try #require(audited.criteria.first { $0.id == "risk" })
        #expect(Set(auditedRisk.unitNames) == ["1", "2", "3", "4", "5"])
        #expect(auditedRisk.violations?.first { $0.rater == "ann" && $0.rule == "watched_to_end" }?.detail == "1 50% seen; 2 25% seen")
        #expect(!ReportRender.scoresMarkdown(audited).contains("mp4") && !ReportRender.scoresJSON(audited).contains("mp4"))
        // Without a viewing record the rules are "not evaluated", not "none broken".
        let blind = try ScoresSection(labels: lead.labelsForAgreement(batch: "b"), viewing: nil)
        #expect(blind.criteria.allSatisfy { $0.violations == nil })
        #expect(ReportRender.scoresMarkdown(blind).contains("Quality rules: not evaluated (no viewing record was available)."))
    }

    @Test func manyViolationsOfOneRuleShowTheFirstThreeAndCountTheRest() {
        let found = (1...5).map { QualityViolation(rule: .outlier, clip: "c\($0)", value: 4, threshold: 3.29, detail: "z = 4") }
        let v = ScoresSection.violations([RaterViolations(rater: "ann", ratings: 9, violations: found),
                                          RaterViolations(rater: "ben", ratings: 9, violations: [])])
        #expect(v == [.init(rater: "ann", rule: "outlier", count: 5, detail: "c1 z = 4; c2 z = 4; c3 z = 4; … and 2 more")])
    }
}
