import OpinionScores
@testable import Reports
import Rubric
@testable import Store
import Testing

/// The gate's opinion-score checks on assets/examples/mos/bt500_screening.csv (its README
/// works the screening by hand: rater F is rejected, P = Q = 1; MOS over A–E): the widest
/// interval against `--max-mos-ci` on both sides, the rejected raters against
/// `--max-rejected-raters`, raters left out before scoring counted as rejected, and an
/// undefined method failing with its reason.
@Suite struct BatchScoresGateTests {
    static let rubric = try! Rubric.parse("""
        name: r
        criteria:
          - id: q
            question: Quality?
            scale: interval
            range: [1, 5]
          - id: kind
            question: Kind?
            scale: nominal
            options: [cut, fade]
        """, file: "r.yaml")

    /// The example's ratings: clip1…clip4 (items 1…4) by A…F.
    static let ratings: [[Int]] = [[1, 1, 1, 2, 2, 5], [4, 4, 5, 5, 5, 1], [3, 3, 3, 3, 3, 5], [1, 2, 3, 4, 5, 3]]

    static func labels(_ ratings: [[Int]] = ratings) -> BatchLabels {
        var rows: [(Int32, Int32, String, String)] = []
        for (u, row) in ratings.enumerated() { for (r, v) in row.enumerated() { rows.append((Int32(u), Int32(r), "q", "\(v)")) } }
        let raters = ["A", "B", "C", "D", "E", "F"]
        return BatchLabels(batch: "b", rubric: rubric, rubricHash: "h", items: [1, 2, 3, 4], clipNames: ["clip1", "clip2", "clip3", "clip4"],
                           raters: raters, roles: raters.map { _ in .rater }, itemIndex: rows.map(\.0), raterIndex: rows.map(\.1),
                           criterion: rows.map(\.2), value: rows.map(\.3), submittedAt: rows.map { _ in "t" }, dwellMs: rows.map { _ in -1 })
    }

    static func gate(_ configure: (inout ReleaseGate.Thresholds) -> Void, labels: BatchLabels = labels()) throws -> [ReleaseGate.Check] {
        var t = ReleaseGate.Thresholds()
        configure(&t)
        return try ReleaseGate(labels: labels, gold: [], thresholds: t).checks
    }

    /// 1.95996 · s / √n over A–E of clip4 (1, 2, 3, 4, 5): s² = 10/4, n = 5 — the widest.
    static let widest = 1.95996 * (10.0 / 4).squareRoot() / 5.0.squareRoot()

    @Test func theWidestIntervalAgainstMaxMosCI() throws {
        let pass = try Self.gate { $0.maxMosCI = Self.widest + 1e-9; $0.mosMethod = .bt500 }
        #expect(pass.count == 1)
        let check = try #require(pass.first)
        #expect(check.subject == "q" && check.statistic == "mos_ci95_half_width" && check.atMost && check.passed)
        #expect(abs(try #require(check.value) - Self.widest) < 1e-12)
        #expect(check.note == "bt500; 0 of 4 clips wider; widest 4:clip4")
        let fail = try #require(try Self.gate { $0.maxMosCI = 0.5; $0.mosMethod = .bt500 }.first)
        #expect(!fail.passed)
        // clip1 and clip2: 0.4801; clip3: 0 (A–E all gave 3); clip4: 1.3859.
        #expect(fail.note == "bt500; 1 of 4 clips wider; widest 4:clip4")
        // mos keeps F, so its intervals are the six raters': clip1 and clip2 tie for the widest
        // (s² = 12/5 each); the first in batch order is named.
        let mos = try #require(try Self.gate { $0.maxMosCI = 10; $0.mosMethod = .mos }.first)
        let six = Self.ratings[1].map(Double.init), mean = six.reduce(0, +) / 6
        let s = (six.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5).squareRoot()
        #expect(abs(try #require(mos.value) - 1.95996 * s / 6.0.squareRoot()) < 1e-12)
        #expect(mos.note == "mos; 0 of 4 clips wider; widest 1:clip1")
    }

    @Test func rejectedRatersAgainstTheirMaximum() throws {
        let over = try #require(try Self.gate { $0.maxRejectedRaters = 0; $0.mosMethod = .bt500 }.first)
        #expect(over.statistic == "rejected_raters" && over.value == 1 && over.threshold == 0 && !over.passed && over.atMost)
        #expect(over.note == "bt500; rejected of 6 raters: 'F'")
        let within = try #require(try Self.gate { $0.maxRejectedRaters = 1; $0.mosMethod = .bt500 }.first)
        #expect(within.passed && within.value == 1)
        // A rater a quality rule left out counts as rejected, and the screening runs without
        // them: without A, clip1 is 1, 1, 2, 2, 5 (μ 2.2, m₂ 2.16, β₂ 2.81, so k = 2 and
        // k²m₂ = 8.64 > 2.8² = 7.84), F's P is 0 and F is kept.
        let quality = try #require(try Self.gate {
            $0.maxRejectedRaters = 0; $0.mosMethod = .bt500; $0.excluded = ["q": [(rater: "A", reason: "quality: straight-lining")]]
        }.first)
        #expect(quality.value == 1 && !quality.passed)
        #expect(quality.note == "bt500 after quality rules; rejected of 6 raters: 'A'")
    }

    @Test func anUndefinedMethodFailsWithItsReason() throws {
        let constant = Self.labels([[3, 3], [3, 3]])
        let checks = try Self.gate({ $0.maxMosCI = 1; $0.maxRejectedRaters = 5; $0.mosMethod = .bt500 }, labels: constant)
        #expect(checks.count == 2 && checks.allSatisfy { !$0.passed && $0.value == nil })
        let reason = try #require(OpinionScores.score(try BatchScores(constant, criterion: Self.rubric.criterion("q")!).data(), method: .bt500).undefinedReason)
        #expect(checks.allSatisfy { $0.note == "bt500 undefined: \(reason)" })
    }

    @Test func onlyOrdinalAndNumericCriteriaAreChecked() throws {
        // --criterion kind: a nominal criterion has no scores, so there is nothing to check.
        #expect(try Self.gate { $0.maxMosCI = 1; $0.criterion = "kind" }.isEmpty)
        // Without thresholds for scores, no score check (the agreement checks are as before).
        #expect(try Self.gate { $0.minAlpha = 0 }.allSatisfy { $0.statistic != "mos_ci95_half_width" })
    }
}
