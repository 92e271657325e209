import Foundation
import Pairwise
import Rubric
import Store
import Testing
@testable import Reports

/// A pairwise batch read through the Store API for `pairwise --batch` and `gate --pairwise`
/// (PairwiseBatchInput, PairwiseVerdict): names as the other batch commands give them (an
/// auditor's by number), models left out, the sides the raters saw, the leaderboard's
/// left-out comparisons, and the gate's refusals with their choices.
@Suite struct PairwiseBatchTests {
    static let rubricYAML = """
    name: pref
    criteria:
      - id: motion
        question: Which clip moves more naturally?
        type: pairwise
        tie: true
    """

    static func clip(_ name: String, _ i: Int) -> ClipFacts {
        ClipFacts(path: "/c/\(name)", name: name, sha256: String(format: "%064x", 900 + i), sizeBytes: 1, codec: "h264",
                  duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
    }

    /// Prompts g1 and g2, systems X, Y and Z (x1, y1, z1, x2, y2, z2), a second X clip x1b in
    /// g1 and the untagged u1. Pairs: X–Y, X–Z, Y–Z in each prompt, x1–x1b (one system) and
    /// u1–x1 (untagged); ann, ben and cat rate every pair.
    static let pairs = [("x1.mp4", "y1.mp4"), ("x1.mp4", "z1.mp4"), ("y1.mp4", "z1.mp4"), ("x2.mp4", "y2.mp4"), ("z2.mp4", "x2.mp4"),
                        ("y2.mp4", "z2.mp4"), ("x1.mp4", "x1b.mp4"), ("u1.mp4", "x1.mp4")]
    /// Answers per rater in `pairs` order: X is preferred to Y but once (ben, g2) and to Z
    /// always (z2–x2 is answered "b"); Y and Z split.
    static let answers: [String: [String]] = [
        "ann": ["a", "a", "a", "a", "b", "a", "a", "b"],
        "ben": ["a", "a", "b", "b", "b", "tie", "b", "a"],
        "cat": ["a", "a", "a", "a", "b", "b", "tie", "b"],
    ]

    static func project(systems: Bool = true) throws -> (store: ProjectStore, lead: ProjectSession, auditor: ProjectSession, sides: [String: [Bool]]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pairbatch-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        for (name, role) in [("ann", Role.rater), ("ben", .rater), ("cat", .rater), ("lee", .lead), ("aud", .auditor), ("mo", .model)] {
            try admin.addRater(name, role: role)
        }
        let names = ["x1.mp4", "y1.mp4", "z1.mp4", "x2.mp4", "y2.mp4", "z2.mp4", "x1b.mp4", "u1.mp4"]
        _ = try admin.addClips(names.enumerated().map { clip($1, $0) }, batch: "pb", rubric: "pref")
        _ = try admin.tagClips(names.map { n in
            ClipTag(clip: n, group: n.contains("2") ? "g2" : "g1", system: n.hasPrefix("u") || !systems ? nil : String(n.prefix(1)).uppercased())
        })
        let lead = try store.session(login: "admin", actingAs: "lee")
        _ = try lead.addPairs(pairs.map { PairRequest(a: $0.0, b: $0.1) }, batch: "pb", rubric: nil)
        var plan = [PairPlanEntry]()
        for rater in ["ann", "ben", "cat"] { plan += pairs.map { PairPlanEntry(rater: rater, a: $0.0, b: $0.1, group: nil) } }
        _ = try lead.assignPairs(batch: "pb", plan: plan)
        var sides = [String: [Bool]]()
        for rater in ["ann", "ben", "cat"] {
            let session = try store.session(login: "admin", actingAs: rater)
            let queue = try session.ratingQueue(batch: "pb").entries
            for entry in queue {
                let k = try #require(pairs.firstIndex { $0.0 == entry.clip && $0.1 == entry.pair?.clipB })
                sides[rater, default: Array(repeating: true, count: pairs.count)][k] = entry.pair!.leftIsA
                _ = try session.submitItem(ItemSubmission(item: entry.item, answers: ["motion": answers[rater]![k]], frame: nil, pts: nil,
                                                          dwellMs: 800, watchedShare: 1))
            }
        }
        return (store, lead, try store.session(login: "admin", actingAs: "aud"), sides)
    }

    @Test func leadsSeeClipsAuditorsNumbersAndTheSidesAreKept() throws {
        let (_, lead, auditor, sides) = try Self.project()
        let input = try PairwiseBatchInput.read(lead, batch: "pb", criterion: "motion", includeModels: false)
        let data = input.pairwise.data
        // Pool items 1–8 in batch order, named ITEM:CLIP as aggregate --batch names them.
        #expect(data.items == ["1:x1.mp4", "2:y1.mp4", "3:z1.mp4", "4:x2.mp4", "5:y2.mp4", "6:z2.mp4", "7:x1b.mp4", "8:u1.mp4"])
        #expect(data.raters == ["ann", "ben", "cat"] && data.count == 24 && input.modelsLeftOut.isEmpty)
        #expect(input.source(batch: "pb") == "batch pb · motion (pairwise)")
        let audited = try PairwiseBatchInput.read(auditor, batch: "pb", criterion: "motion", includeModels: false)
        #expect(audited.pairwise.data.items == ["1", "2", "3", "4", "5", "6", "7", "8"])
        #expect(audited.pairwise.data.outcome == data.outcome)
        // Position bias from the recorded sides: per rater, the decisive answers whose winner was on the left.
        let result = Pairwise.fit(data)
        for (r, rater) in data.raters.enumerated() {
            let given = Self.answers[rater]!
            var n = 0, k = 0
            for (i, answer) in given.enumerated() where answer != "tie" {
                n += 1
                if (answer == "a") == sides[rater]![i] { k += 1 }
            }
            let figures = try #require(result.raters.first { $0.rater == r })
            let left = try figures.leftWins.get()
            #expect(left.n == n && left.k == k, "\(rater): \(left.k)/\(left.n) vs \(k)/\(n)")
        }
    }

    /// The leaderboard counts what the answers say: X–Y 5 to 1, X–Z 6 to 0, Y–Z 3 to 2 with
    /// one tie; x1–x1b (one system) and u1–x1 (untagged) left out, 3 each.
    @Test func theLeaderboardAggregatesTheSystems() throws {
        let (_, lead, _, _) = try Self.project()
        let input = try PairwiseBatchInput.read(lead, batch: "pb", criterion: "motion", includeModels: false)
        let board = try Leaderboard.make(input.pairwise.data, system: input.pairwise.system).get()
        #expect(board.systems == ["X", "Y", "Z"] && board.sameSystem == 3 && board.untagged == 3 && board.data.count == 18)
        #expect(board.result.items.map(\.wins) == [11, 4, 2] && board.result.items.map(\.losses) == [1, 7, 9])
        #expect(board.result.items.map(\.ties) == [0, 1, 1])
        #expect(board.rows.map(\.score.item) == [0, 1, 2])
    }

    @Test func theGateDecidesAndRefusesWithTheChoices() throws {
        let (_, lead, _, _) = try Self.project()
        let input = try PairwiseBatchInput.read(lead, batch: "pb", criterion: "motion", includeModels: false)
        let board = try Leaderboard.make(input.pairwise.data, system: input.pairwise.system).get()
        let d = try board.difference("X", "Y").get()
        // Passes exactly when P(above) exceeds the confidence.
        for confidence in [0.5, 0.9, 0.95, 0.99, 0.999] {
            let verdict = try PairwiseVerdict(input, system: "X", beats: "Y", confidence: confidence)
            #expect(verdict.passed == (d.probabilityAbove > confidence), "\(confidence): P \(d.probabilityAbove)")
            #expect(abs(verdict.lowerBound! - (d.estimate - StandardNormal.quantile(confidence) * d.standardError)) < 1e-12)
            #expect(verdict.direct == (wins: 5, losses: 1, ties: 0))
        }
        let check = try PairwiseVerdict(input, system: "X", beats: "Y", confidence: 0.5).check
        #expect(check.subject == "motion · X vs Y" && check.statistic == "pairwise_difference_lower_bound" && check.threshold == 0)
        #expect(check.note?.contains("X preferred 5, Y 1, ties 0 head to head; 18 comparisons between 3 systems") == true, "\(check.note ?? "")")
        func refusal(_ system: String, _ beats: String) -> String? {
            do { _ = try PairwiseVerdict(input, system: system, beats: beats, confidence: 0.95); return nil } catch { return "\(error)" }
        }
        #expect(refusal("W", "Y")?.contains("no system 'W' among the clips compared on motion; systems: 'X', 'Y', 'Z'") == true)
        #expect(refusal("X", "V")?.contains("no system 'V'") == true)
    }

    @Test func aBatchWithoutSystemsSaysHowToTagThem() throws {
        let (_, lead, _, _) = try Self.project(systems: false)
        let input = try PairwiseBatchInput.read(lead, batch: "pb", criterion: "motion", includeModels: false)
        do {
            _ = try PairwiseVerdict(input, system: "X", beats: "Y", confidence: 0.95)
            Issue.record("a verdict without systems")
        } catch {
            #expect("\(error)".contains("motion: no compared clip has a system: a leaderboard needs each clip's system; tag each clip with its system (concord clip add --system S)"), "\(error)")
        }
    }
}

/// The conversion alone, on a hand-made Store read: models' answers left out (and named) or
/// kept with --include-models; names without pool item ids.
@Suite struct PairwiseBatchInputTests {
    static func stored() -> BatchComparisons {
        var s = BatchComparisons()
        s.clips = ["a.mp4", "b.mp4", "c.mp4"]; s.items = [11, 12, 13]
        s.system = ["X", "Y", "X"]; s.group = ["g", "g", "g"]
        s.raters = ["ann", "judge", "zoe"]; s.raterIsModel = [false, true, false]
        s.rater = [0, 1, 2, 1]; s.a = [0, 0, 1, 2]; s.b = [1, 1, 2, 1]; s.value = ["a", "b", "tie", "a/better"]
        s.shownLeft = [0, 1, -1, 0]; s.dwellMs = [500, nil, 700, nil]
        s.pairA = [0, 1]; s.pairB = [1, 2]
        return s
    }

    static let criterion: Criterion = {
        let rubric = try! Rubric.parse(PairwiseBatchTests.rubricYAML, file: "pref.yaml")
        return rubric.criterion("motion")!
    }()

    @Test func modelsAreLeftOutUnlessIncluded() throws {
        let people = try #require(PairwiseBatchInput(Self.stored(), criterion: Self.criterion, includeModels: false, namingClips: true))
        #expect(people.modelsLeftOut == ["judge"] && people.pairwise.data.raters == ["ann", "zoe"])
        #expect(people.pairwise.data.rater == [0, 1] && people.pairwise.data.outcome == [.a, .tie])
        #expect(people.pairwise.data.shownLeft == [0, -1] && people.pairwise.dwellMs == [500, 700])
        #expect(people.source(batch: "pb") == "batch pb · motion (pairwise); model raters excluded (judge)")
        let all = try #require(PairwiseBatchInput(Self.stored(), criterion: Self.criterion, includeModels: true, namingClips: true))
        #expect(all.modelsLeftOut.isEmpty && all.pairwise.data.count == 4 && all.pairwise.data.raters == ["ann", "judge", "zoe"])
        #expect(all.pairwise.data.outcome == [.a, .b, .tie, .a])
        #expect(all.pairwise.data.items == ["11:a.mp4", "12:b.mp4", "13:c.mp4"])
    }

    @Test func namesFollowTheReader() {
        #expect(PairwiseBatchInput.names(clips: ["a.mp4", "b.mp4"], items: [4, 9], namingClips: false) == ["4", "9"])
        #expect(PairwiseBatchInput.names(clips: ["a.mp4", "b.mp4"], items: [], namingClips: true) == ["a.mp4", "b.mp4"])
        #expect(PairwiseBatchInput.names(clips: ["a.mp4", "b.mp4"], items: [], namingClips: false) == ["clip 1", "clip 2"])
    }
}
