import Foundation
import Pairwise
@testable import Reports
import Rubric
import Store
import Testing

/// The dashboard's ranking of a pairwise criterion (`PairwiseRanking`): Bradley–Terry
/// scores by hand on a two-item case, systems aggregated when clips are tagged (same-system
/// comparisons left out), regularised scores marked, model raters left out, and "no answer
/// yet" on an empty criterion.
@Suite struct PairwiseRankingTests {
    static let rubricYAML = """
    name: pref
    criteria:
      - id: overall
        question: Which is better?
        type: pairwise
        tie: true
    """

    static func criterion() throws -> Criterion {
        try #require(try Rubric.parse(rubricYAML, file: "pref.yaml").criterion("overall"))
    }

    /// Comparisons (rater, a, b, value) among `clips`, each with its system.
    static func stored(_ clips: [(String, String?)], _ answers: [(String, Int32, Int32, String)],
                       models: Set<String> = []) -> BatchComparisons {
        var c = BatchComparisons()
        c.clips = clips.map(\.0)
        c.system = clips.map(\.1)
        c.group = clips.map { _ in nil }
        var raters: [String] = []
        for (rater, a, b, value) in answers {
            if !raters.contains(rater) { raters.append(rater) }
            c.rater.append(Int32(raters.firstIndex(of: rater)!))
            c.a.append(a); c.b.append(b); c.value.append(value)
            c.shownLeft.append(0); c.dwellMs.append(nil)
        }
        c.raters = raters
        c.raterIsModel = raters.map { models.contains($0) }
        return c
    }

    /// x beats y 3 times of 4: P = 3/4, so score(x) − score(y) = log 3 and the centred scores
    /// are ±(log 3)/2 = ±0.549306. The information of the difference is n·p(1 − p) = 4·3/16 =
    /// 3/4, its variance 4/3, a centred score's (d/2) 1/3: SE 0.577350, the interval
    /// 0.549306 ± 1.959964 × 0.577350 = [−0.582293, 1.680906].
    @Test func twoClipsByHand() throws {
        let data = Self.stored([("x.mp4", nil), ("y.mp4", nil)],
                               [("ann", 0, 1, "a"), ("ben", 0, 1, "a"), ("cat", 0, 1, "a/better"), ("dan", 0, 1, "b")])
        let ranking = PairwiseRanking(try #require(BatchPairwise(data, criterion: try Self.criterion())))
        #expect(ranking.subject == .clips)
        #expect(ranking.comparisons == 4 && ranking.groups == 1 && ranking.note == nil)
        #expect(ranking.rows.map(\.name) == ["x.mp4", "y.mp4"])
        let x = ranking.rows[0], y = ranking.rows[1]
        let half: Double = log(3) / 2, margin: Double = 1.959963984540054 * (1.0 / 3).squareRoot()
        let xs = try #require(x.score), ys = try #require(y.score), low = try #require(x.low), high = try #require(x.high)
        #expect(abs(xs - half) < 1e-9)
        #expect(abs(ys + half) < 1e-9)
        #expect(abs(low - (half - margin)) < 1e-6)
        #expect(abs(high - (half + margin)) < 1e-6)
        #expect(x.comparisons == 4 && y.comparisons == 4 && !x.regularised)
    }

    /// Tagged clips rank systems: x1 and x2 (system X) against y1 (Y), x1 beating y1 3 times of
    /// 4 as above, and two x1–x2 comparisons that say nothing of systems. X and Y get ±(log 3)/2
    /// on 4 comparisons; the same data without tags ranks the three clips.
    @Test func taggedClipsRankSystems() throws {
        let answers: [(String, Int32, Int32, String)] = [("ann", 0, 2, "a"), ("ben", 0, 2, "a"), ("cat", 2, 0, "b"), ("dan", 0, 2, "b"),
                                                          ("ann", 0, 1, "a"), ("ben", 0, 1, "tie")]
        let tagged = Self.stored([("x1.mp4", "X"), ("x2.mp4", "X"), ("y1.mp4", "Y")], answers)
        let ranking = PairwiseRanking(try #require(BatchPairwise(tagged, criterion: try Self.criterion())))
        #expect(ranking.subject == .systems)
        #expect(ranking.rows.map(\.name) == ["X", "Y"])
        #expect(ranking.comparisons == 4)
        let top = try #require(ranking.rows[0].score)
        #expect(abs(top - log(3) / 2) < 1e-9)
        #expect(ranking.rows.map(\.comparisons) == [4, 4])
        let untagged = Self.stored([("x1.mp4", nil), ("x2.mp4", nil), ("y1.mp4", nil)], answers)
        let clips = PairwiseRanking(try #require(BatchPairwise(untagged, criterion: try Self.criterion())))
        #expect(clips.subject == .clips && clips.rows.count == 3 && clips.comparisons == 6)
        // The clips' scores are Pairwise.fit's, best first.
        let fit = Pairwise.fit(try #require(BatchPairwise(untagged, criterion: try Self.criterion())).data)
        let expected = fit.items.sorted { ($0.score ?? 0) > ($1.score ?? 0) }.map { untagged.clips[$0.item] }
        #expect(clips.rows.map(\.name) == expected)
    }

    /// One system tagged: no leaderboard, so clips are ranked and the note says why.
    @Test func oneSystemRanksClipsAndSaysWhy() throws {
        let data = Self.stored([("x1.mp4", "X"), ("x2.mp4", "X")], [("ann", 0, 1, "a"), ("ben", 0, 1, "b")])
        let ranking = PairwiseRanking(try #require(BatchPairwise(data, criterion: try Self.criterion())))
        #expect(ranking.subject == .clips)
        #expect(ranking.note == "clips, not systems: every tagged clip compared is of one system (X): a leaderboard needs two")
    }

    /// A clip that never loses has no maximum-likelihood score: its row carries the regularised
    /// score, marked, without an interval; nothing answered: an empty ranking that says so.
    @Test func neverLosingIsRegularisedAndNothingAnsweredSaysSo() throws {
        let data = Self.stored([("x.mp4", nil), ("y.mp4", nil)], [("ann", 0, 1, "a"), ("ben", 0, 1, "a")])
        let ranking = PairwiseRanking(try #require(BatchPairwise(data, criterion: try Self.criterion())))
        #expect(ranking.rows.map(\.regularised) == [true, true])
        #expect(ranking.rows.map(\.name) == ["x.mp4", "y.mp4"])
        #expect(ranking.rows.allSatisfy { $0.low == nil && $0.high == nil && $0.score != nil })
        let empty = PairwiseRanking(try #require(BatchPairwise(Self.stored([("x.mp4", nil)], []), criterion: try Self.criterion())))
        #expect(empty.rows.isEmpty && empty.note == "no answer yet")
    }

    /// A model rater's answers are left out of the live ranking, as from live agreement, and
    /// clips are named ITEM:CLIP as `concord pairwise --batch` names them.
    @Test func modelRatersAreLeftOutAndClipsNamedByItem() throws {
        var data = Self.stored([("x.mp4", nil), ("y.mp4", nil)], [("ann", 0, 1, "a"), ("judge", 0, 1, "b"), ("ben", 0, 1, "tie")],
                               models: ["judge"])
        data.items = [3, 4]
        let input = try #require(LiveRanking.input(data, criterion: try Self.criterion()))
        #expect(input.data.raters == ["ann", "ben"] && input.data.count == 2)
        #expect(input.choices.map(\.value) == ["a", "tie"])
        #expect(input.data.items == ["3:x.mp4", "4:y.mp4"])
        #expect(PairwiseRanking(input).rows.map(\.name) == ["3:x.mp4", "4:y.mp4"])
    }
}
