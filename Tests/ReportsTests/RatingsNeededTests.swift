import Reports
import Store
import Testing

/// "How many more ratings?" on hand-worked data: n* = ⌈(1.95996·s/W)²⌉ with s the clip's
/// sample SD, or the batch's pooled SD for a clip with fewer than two ratings
/// (docs/quality-rules.md), and the fair top-up of `assign --until-ci`.
@Suite struct RatingsNeededTests {
    static let z2 = 1.95996 * 1.95996   // 3.8414432016

    /// Six clips: the CLI tests' ACR data (ConcordCLITests/StatusQualityTests).
    static let clips: [RatingsNeeded.Scores] = [
        .init(item: 1, clip: "a", scores: [1, 4, 4, 5, 5, 3]),   // var 11.3333/5 = 2.26667
        .init(item: 2, clip: "b", scores: [2, 3, 2, 3, 2, 3]),   // var 1.5/5 = 0.3
        .init(item: 3, clip: "c", scores: [4, 5, 4, 4, 5, 3]),   // var 2.8333/5 = 0.56667
        .init(item: 4, clip: "d", scores: [3, 3, 4, 2, 3, 3]),   // var 2/5 = 0.4
        .init(item: 5, clip: "e", scores: [2]),                  // pooled: (11.3333 + 1.5 + 2.8333 + 2)/20 = 53/60
        .init(item: 6, clip: "f", scores: []),                   // pooled too
    ]

    @Test func targetFromEachClipsSpreadOrThePooledOne() throws {
        let plan = try RatingsNeeded.plan(Self.clips, halfWidth: 1)
        // n* = ⌈z²·s²/W²⌉: 8.707 → 9, 1.152 → 2, 2.177 → 3, 1.537 → 2, 3.393 → 4, 3.393 → 4.
        #expect(plan.clips.map(\.target) == [9, 2, 3, 2, 4, 4])
        #expect(plan.clips.map(\.needed) == [3, 0, 0, 0, 3, 4])
        #expect(plan.totalNeeded == 10)
        #expect(plan.clips.map(\.pooled) == [false, false, false, false, true, true])
        #expect(abs(try #require(plan.pooledSD) - (53.0 / 60).squareRoot()) < 1e-12)
        #expect(abs(plan.clips[0].usedSD - (34.0 / 15).squareRoot()) < 1e-12)
        #expect(plan.clips[4].sd == nil && plan.clips[4].usedSD == plan.pooledSD)
        // Half-width now: 1.95996·s/√n; none for a clip with no rating.
        #expect(abs(try #require(plan.clips[1].halfWidth) - 1.95996 * 0.3.squareRoot() / 6.0.squareRoot()) < 1e-12)
        #expect(plan.clips[5].halfWidth == nil)
        // Half as wide needs four times the ratings: 34.83 → 35, 4.61 → 5, 8.71 → 9, 6.15 → 7, 13.57 → 14.
        let narrow = try RatingsNeeded.plan(Self.clips, halfWidth: 0.5)
        #expect(narrow.clips.map(\.target) == [35, 5, 9, 7, 14, 14])
        #expect(narrow.clips.map(\.needed) == [29, 0, 3, 1, 13, 14])
    }

    @Test func aWholeNumberIsNotRoundedUpByBinaryNoise() throws {
        // s = 2 (scores 0, 2, 4 → var 4), W = 1.95996: (1.95996·2/1.95996)² = 4 exactly.
        let plan = try RatingsNeeded.plan([.init(item: 1, clip: "a", scores: [0, 2, 4])], halfWidth: 1.95996)
        #expect(plan.clips[0].target == 4 && plan.clips[0].needed == 1)
        // Equal scores: no spread, nothing needed (the formula's answer, documented).
        let flat = try RatingsNeeded.plan([.init(item: 1, clip: "a", scores: [3, 3])], halfWidth: 0.1)
        #expect(flat.clips[0].target == 0 && flat.clips[0].needed == 0)
    }

    @Test func badTargetsAndNoSpreadAreProblems() throws {
        for w in [0, -1, Double.infinity, .nan] {
            do {
                _ = try RatingsNeeded.plan(Self.clips, halfWidth: w)
                Issue.record("W = \(w) was accepted")
            } catch let problem as RatingsNeeded.Problem {
                #expect(problem.description.hasPrefix("--target-ci must be a positive half-width in the criterion's units; got "))
            }
        }
        #expect(throws: RatingsNeeded.Problem.noSpread) {
            try RatingsNeeded.plan([.init(item: 1, clip: "a", scores: [3]), .init(item: 2, clip: "b", scores: [])], halfWidth: 1)
        }
        // Every clip with a spread of its own needs no pooled SD: planned even without one.
        let own = try RatingsNeeded.plan([.init(item: 1, clip: "a", scores: [1, 2])], halfWidth: 1)
        #expect(own.clips[0].target == 2 && own.pooledSD == 0.5.squareRoot())
    }

    /// Holders of the plan above: item 1 rated by r1–r6 and assigned to r7; item 5 rated by
    /// r1 and assigned to r8; item 6 held by nobody; the rest rated by r1–r6.
    static func holders() -> [Int64: Set<String>] {
        let six: Set<String> = ["r1", "r2", "r3", "r4", "r5", "r6"]
        return [1: six.union(["r7"]), 2: six, 3: six, 4: six, 5: ["r1", "r8"]]
    }

    @Test func topUpGivesTheLightestRaterWhoLacksTheClipTiesByName() throws {
        let plan = try RatingsNeeded.plan(Self.clips, halfWidth: 1)
        let load = ["r7": 3, "r8": 3]
        // Item 1 wants 9 − 7 = 2: r9 (0), then r8 (3; r7 has it). Item 5 wants 4 − 2 = 2: r9
        // (1), r7 (3). Item 6 wants 4: r9 (2), then r7 and r8 tie at 4 — r7 by name — and r8;
        // nobody is left for the fourth.
        let result = AssignmentTopUp.plan(plan, holders: Self.holders(), pool: ["r9", "r8", "r7"], load: load, maxPerClip: nil)
        #expect(result.clips == [AssignmentTopUp.Clip(item: 1, clip: "a", raters: ["r9", "r8"], short: 0),
                                 AssignmentTopUp.Clip(item: 5, clip: "e", raters: ["r9", "r7"], short: 0),
                                 AssignmentTopUp.Clip(item: 6, clip: "f", raters: ["r9", "r7", "r8"], short: 1)])
        #expect(result.assignments.count == 7)
        #expect(result.assignments.first == ItemAssignment(item: 1, rater: "r9"))
        // At most 8 per clip: item 1 (7 held) gets one. Then r8 (3) comes before r7 (4) on item 6.
        let capped = AssignmentTopUp.plan(plan, holders: Self.holders(), pool: ["r7", "r8", "r9"], load: load, maxPerClip: 8)
        #expect(capped.clips.map(\.raters) == [["r9"], ["r9", "r7"], ["r9", "r8", "r7"]])
        #expect(capped.clips.map(\.short) == [0, 0, 1])
        // Once those are assigned (holders now count them), nothing more is wanted.
        var held = Self.holders()
        for a in result.assignments { held[a.item, default: []].insert(a.rater) }
        let again = AssignmentTopUp.plan(plan, holders: held, pool: ["r7", "r8", "r9"], load: [:], maxPerClip: nil)
        #expect(again.clips == [AssignmentTopUp.Clip(item: 6, clip: "f", raters: [], short: 1)])
    }
}
