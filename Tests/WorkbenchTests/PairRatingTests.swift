import Foundation
import Rubric
@testable import Store
import Testing
@testable import Workbench

/// The rater's keys on a pair item (docs/pairwise.md, "Workbench"): 1/2/3 say left, right
/// or the same on screen, and what is stored is relative to the pair (a, b), through the
/// side this rater sees clip a on; a strength is a second key; Tab flips the clip shown
/// only when one is shown at a time.
@Suite struct PairRatingTests {
    static let rubricYAML = """
    name: prefs
    criteria:
      - id: motion
        question: Which clip moves more naturally?
        type: pairwise
        tie: true
      - id: prompt
        question: Which clip follows the prompt better?
        type: pairwise
        strength: [much-better, better]
      - id: notes
        question: Notes
        scale: text
    """

    static let rubric = try! Rubric.parse(rubricYAML, file: "prefs.yaml")

    static func pairEntry(item: Int64, leftIsA: Bool, group: String? = "cat-skateboard") -> QueueEntry {
        QueueEntry(item: item, batch: "p", clip: "sora-\(item).mp4", clipPath: "/clips/sora-\(item).mp4",
                   clipSHA256: String(format: "%064x", item), clipSizeBytes: 1, frameCount: 25, frameRate: 25, position: Int(item),
                   rubricHash: rubric.contentHash, answers: [:], submitted: false, skipped: false, flagged: false, sentBack: nil,
                   pair: PairShown(clipB: "veo-\(item).mp4", clipBPath: "/clips/veo-\(item).mp4", clipBSHA256: String(format: "%064x", item + 100),
                                   clipBSizeBytes: 2, frameCountB: 25, frameRateB: 25, leftIsA: leftIsA, group: group))
    }

    /// Pair 1 shows clip a on the left, pair 2 on the right.
    static func model(_ entries: [QueueEntry] = [pairEntry(item: 1, leftIsA: true), pairEntry(item: 2, leftIsA: false)]) -> RatingModel {
        RatingModel(queue: RatingQueue(entries: entries, rubrics: [rubric.contentHash: rubric]))
    }

    static func press(_ model: inout RatingModel, _ keys: String) -> [Command] {
        RatingModelTests.press(&model, RatingModelTests.keys(keys))
    }

    @Test func leftAndRightAreStoredAsTheClipOnThatSide() {
        var model = Self.model()
        #expect(model.focusedCriterion?.id == "motion")
        _ = Self.press(&model, "1")                    // left better: clip a is on the left
        #expect(model.answers["motion"] == "a")
        #expect(model.message == "motion: left better")
        _ = Self.press(&model, "21")                   // right, much better: clip b
        #expect(model.answers["prompt"] == "b/much-better")
        #expect(model.message == "prompt: right much better")
        let commands = Self.press(&model, "\n")
        #expect(commands == [.submit(["motion": "a", "prompt": "b/much-better"])])
        if case .submit(let answers) = commands.first { model.didSubmit(answers) }
        #expect(model.message == "saved pair 1")     // never a clip's name: it may name its model

        // Pair 2: clip a is on the right, so the same keys store the other clip.
        #expect(model.entry?.item == 2)
        _ = Self.press(&model, "1")
        #expect(model.answers["motion"] == "b")
        _ = Self.press(&model, "22")
        #expect(model.answers["prompt"] == "a/better")
        #expect(model.message == "prompt: right better")
    }

    @Test func threeIsTheSameOnlyWhenTheQuestionAllowsIt() {
        var model = Self.model()
        _ = Self.press(&model, "3")
        #expect(model.answers["motion"] == "tie")
        #expect(model.message == "motion: the same")
        #expect(model.focusedCriterion?.id == "prompt")
        _ = Self.press(&model, "3")
        #expect(model.answers["prompt"] == nil)
        #expect(model.message == "prompt has no \"the same\": 1 left better or 2 right better")
        _ = Self.press(&model, "7")
        #expect(model.message == "7 is not an answer of prompt: 1 left · 2 right")
        #expect(model.focusedCriterion?.id == "prompt")
    }

    @Test func aStrengthIsASecondKeyAndEscTakesTheWinBack() {
        var model = Self.model()
        _ = Self.press(&model, "1")
        _ = Self.press(&model, "1")                    // prompt: left, waiting for the strength
        #expect(model.mode == .strength(.left))
        #expect(model.answers["prompt"] == nil)
        _ = Self.press(&model, "5")
        #expect(model.message == "5 is no strength: left — how much better? 1 much better · 2 better · Esc takes it back")
        #expect(model.mode == .strength(.left))
        _ = model.handle(.escape)
        #expect(model.mode == .normal && model.answers["prompt"] == nil)
        _ = Self.press(&model, "11")
        #expect(model.answers["prompt"] == "a/much-better")
        #expect(model.focusedCriterion == nil || model.focusedCriterion?.id == "notes")
    }

    @Test func tabFlipsTheClipOnlyWhenOneIsShownAtATime() {
        var model = Self.model()
        _ = model.handle(.tab)                         // side by side: Tab moves to the next criterion
        #expect(model.focusedCriterion?.id == "prompt" && model.shownSide == .left)
        model.oneAtATime = true
        _ = model.handle(.tab)
        #expect(model.shownSide == .right)
        #expect(model.message == "showing the right clip · Tab shows the left one")
        #expect(model.focusedCriterion?.id == "prompt")
        _ = model.handle(.tab)
        #expect(model.shownSide == .left)
        _ = model.handle(.tab)
        #expect(model.shownSide == .right)
        // The next pair opens on its left clip.
        _ = Self.press(&model, "k1")
        let commands = Self.press(&model, "12\n")
        #expect(commands == [.submit(["motion": "a", "prompt": "a/better"])])
        model.didSubmit(["motion": "a", "prompt": "a/better"])
        #expect(model.entry?.item == 2 && model.shownSide == .left)
    }

    @Test func aPairwiseQuestionOnAnItemOfOneClipSaysSo() {
        var single = Self.pairEntry(item: 1, leftIsA: true)
        single.pair = nil
        var model = Self.model([single])
        _ = Self.press(&model, "1")
        #expect(model.answers.isEmpty)
        #expect(model.message == "motion compares the two clips of a pair, and this item has one clip: s skips it (say why), or ask the lead")
    }

    @Test(arguments: [true, false])
    func storedValuesReadBackAsTheRatersSides(leftIsA: Bool) {
        for side in [PairSide.left, .right] {
            for strength in [nil, "better"] {
                let value = PairKeys.value(winner: side, strength: strength, leftIsA: leftIsA)
                let clip = (side == .left) == leftIsA ? "a" : "b"
                #expect(value == (strength.map { clip + "/" + $0 } ?? clip))
                let back = PairKeys.shown(value, leftIsA: leftIsA)
                #expect(back?.winner == side && back?.strength == strength)
            }
        }
        #expect(PairKeys.value(winner: nil, leftIsA: leftIsA) == "tie")
        #expect(PairKeys.shown("tie", leftIsA: leftIsA)! == (nil, nil))
        #expect(PairKeys.shown("c", leftIsA: leftIsA) == nil)
    }

    @Test func theRubricPaneShowsTheAnswerBySide() {
        let preference = Preference(tie: true, strengths: [])
        #expect(PairKeys.optionsLine(preference, answer: nil, leftIsA: true) == "1 left better  2 right better  3 the same")
        #expect(PairKeys.optionsLine(preference, answer: "a", leftIsA: false) == "1 left better  [2 right better]  3 the same")
        let strong = Preference(tie: false, strengths: ["much-better", "better"])
        #expect(PairKeys.optionsLine(strong, answer: "b/better", leftIsA: false) == "[1 left better]  2 right …")
        #expect(PairKeys.optionsLine(strong, answer: "a/much-better", leftIsA: false) == "1 left …  [2 right much better]")
        #expect(PairKeys.strengthLine(strong) == "then 1 much better · 2 better")
    }
}
