import Foundation
import Rubric
import Store
import Testing
@testable import Workbench

/// The key bindings of `concord rate`, on a real project file (Store in-process): which
/// keys answer what, when an item may be submitted, prompts, revisions and the resume point.
@Suite struct RatingModelTests {
    static let rubricYAML = """
    name: cutin
    criteria:
      - id: present
        question: Is there a cut-in?
        scale: nominal
        options: ["yes", "no", "unclear"]
      - id: severity
        question: How severe?
        scale: ordinal
        options: [none, minor, severe]
        when: {present: "yes"}
      - id: ttc
        question: Time to collision?
        scale: ratio
        range: [0, 10]
        step: 0.1
        when: {present: "yes"}
      - id: notes
        question: Notes
        scale: text
    """

    /// A project with `items` clips assigned to rater "ann"; her session. `rubric` is a
    /// rubric named cutin; `clipName` names clip i (1-based).
    static func session(items: Int = 3, rubric: String = rubricYAML,
                        clipName: (Int) -> String = { "c\($0).mp4" }) throws -> ProjectSession {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(rubric, file: "cutin.yaml"), sourcePath: "cutin.yaml")
        try admin.addRater("ann", role: .rater)
        let clips = (1...items).map { i in
            ClipFacts(path: "/clips/\(clipName(i))", name: clipName(i), sha256: String(format: "%064x", i), sizeBytes: 1, codec: "h264",
                      duration: 2, frameRate: 25, frameCount: 50, width: 64, height: 36, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "b", rubric: "cutin")
        _ = try admin.assign(batch: "b", raters: ["ann"], overlap: nil, goldRate: nil)
        return try store.session(login: "admin", actingAs: "ann")
    }

    static func keys(_ text: String) -> [Key] { text.map { $0 == "\n" ? .enter : .char($0) } }

    @discardableResult
    static func press(_ model: inout RatingModel, _ keys: [Key]) -> [Command] {
        keys.map { model.handle($0) }.filter { $0 != .none }
    }

    @Test func optionKeysAnswerAndConditionalCriteriaAppear() throws {
        var model = RatingModel(queue: try Self.session().ratingQueue())
        #expect(model.shownCriteria.map(\.id) == ["present", "notes"])
        #expect(model.focusedCriterion?.id == "present")
        Self.press(&model, Self.keys("1"))
        #expect(model.answers == ["present": "yes"])
        #expect(model.shownCriteria.map(\.id) == ["present", "severity", "ttc", "notes"])
        #expect(model.focusedCriterion?.id == "severity")
        Self.press(&model, Self.keys("3"))
        #expect(model.answers["severity"] == "severe")
        #expect(model.focusedCriterion?.id == "ttc")
        // Incomplete: Enter on the numeric criterion asks for its number instead of submitting.
        #expect(Self.press(&model, [.enter]).isEmpty)
        #expect(model.message == "type a number for ttc, then Enter")
        // Digits, then Enter; an off-step number is refused with the rubric's message.
        Self.press(&model, Self.keys("2.55\n"))
        #expect(model.answers["ttc"] == nil)
        #expect(model.message == "ttc: expected a number from 0 to 10 in steps of 0.1; found '2.55'")
        Self.press(&model, [.backspace, .enter])
        #expect(model.answers["ttc"] == "2.5")
        #expect(model.focusedCriterion?.id == "notes")
        // A text note with a wide character, then submit the complete item.
        Self.press(&model, [.char("e")] + Self.keys("車 cut in late\n"))
        #expect(model.answers["notes"] == "車 cut in late")
        #expect(Self.press(&model, [.enter]) == [.submit(["present": "yes", "severity": "severe", "ttc": "2.5", "notes": "車 cut in late"])])
    }

    @Test func hiddenAnswersAreNotSentAndAWrongKeySaysWhichKeysWork() throws {
        var model = RatingModel(queue: try Self.session().ratingQueue())
        Self.press(&model, Self.keys("12"))            // yes, then severity minor
        Self.press(&model, [.up, .up])                  // back to present
        #expect(model.focusedCriterion?.id == "present")
        Self.press(&model, Self.keys("7"))
        #expect(model.message == "7 is not an option of present; its keys are 1 2 3 (a count such as 10→ works on the submit line only)")
        Self.press(&model, Self.keys("2"))              // no: severity and ttc hide
        #expect(model.shownCriteria.map(\.id) == ["present", "notes"])
        #expect(Self.press(&model, [.enter]) == [.submit(["present": "no"])])
    }

    @Test func submittingOpensTheNextItemAndURevisesThePrevious() throws {
        let session = try Self.session()
        var model = RatingModel(queue: try session.ratingQueue())
        Self.press(&model, Self.keys("2"))
        guard case .submit(let answers) = model.handle(.enter) else { Issue.record("no submit"); return }
        try session.submitItem(ItemSubmission(item: model.entry!.item, answers: answers, frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        model.didSubmit(answers)
        #expect(model.index == 1)
        #expect(model.answers.isEmpty)
        Self.press(&model, Self.keys("u"))
        #expect(model.index == 0)
        #expect(model.answers == ["present": "no"])
        #expect(model.message?.hasPrefix("revising c1.mp4") == true)
        // Resume after a restart: the first unfinished item.
        #expect(RatingModel(queue: try session.ratingQueue()).index == 1)
    }

    @Test func promptsForSkipFlagAndGoTo() throws {
        var model = RatingModel(queue: try Self.session().ratingQueue())
        #expect(Self.press(&model, [.char("s"), .enter]).isEmpty)
        #expect(model.message == "a skip needs a reason")
        #expect(Self.press(&model, [.char("s")] + Self.keys("black frames\n")) == [.skip(reason: "black frames")])
        #expect(Self.press(&model, [.char("f")] + Self.keys("odd\n")) == [.flag(note: "odd")])
        #expect(Self.press(&model, [.char("f")] + Self.keys("x") + [.escape]).isEmpty)
        #expect(model.mode == .normal)
        #expect(Self.press(&model, [.char("g")] + Self.keys("42\n")) == [.gotoFrame(42)])
        #expect(Self.press(&model, [.char("?")]).isEmpty)
        #expect(model.mode == .help)
        #expect(Self.press(&model, [.char("x")]).isEmpty && model.mode == .normal)
        #expect(Self.press(&model, [.interrupt]) == [.quit])
    }

    @Test func movementKeysAndACountPrefixOnTheSubmitLine() throws {
        var model = RatingModel(queue: try Self.session().ratingQueue())
        #expect(Self.press(&model, [.right, .left, .char("l"), .char("h"), .char(" "), .char("]"), .char("[")])
                == [.step(1), .step(-1), .seek(1), .seek(-1), .togglePlay, .speed(1), .speed(-1)])
        Self.press(&model, [.down, .down, .down])       // past the last criterion: the submit line
        #expect(model.focusedCriterion == nil)
        #expect(Self.press(&model, Self.keys("10") + [.right]) == [.step(10)])
        #expect(Self.press(&model, Self.keys("3") + [.char("h")]) == [.seek(-3)])
        #expect(Self.press(&model, [.right]) == [.step(1)])   // the count is used once
        // A pending count is shown until its key comes.
        Self.press(&model, Self.keys("12"))
        #expect(model.message == "count 12: ← → h l j k use it")
        #expect(Self.press(&model, [.left]) == [.step(-12)] && model.message == nil)
    }

    /// "1 0 →" typed on a criterion as a count: 1 answers (and says so), 0 is no option
    /// and says where counts work, → steps one frame. Nothing is taken silently.
    @Test func aCountTypedOnACriterionIsNotTakenSilently() throws {
        var model = RatingModel(queue: try Self.session().ratingQueue())
        #expect(model.focusedCriterion?.id == "present")
        #expect(Self.press(&model, Self.keys("1")).isEmpty)
        #expect(model.answers == ["present": "yes"] && model.message == "present: yes")
        #expect(Self.press(&model, Self.keys("0")).isEmpty)
        #expect(model.answers == ["present": "yes"])
        #expect(model.message == "0 is not an option of severity; its keys are 1 2 3 (a count such as 10→ works on the submit line only)")
        #expect(Self.press(&model, [.right]) == [.step(1)])
    }

    @Test func anEmptyQueueIsDone() throws {
        let session = try Self.session(items: 1)
        var model = RatingModel(queue: try session.ratingQueue())
        Self.press(&model, Self.keys("2"))
        guard case .submit(let answers) = model.handle(.enter) else { Issue.record("no submit"); return }
        model.didSubmit(answers)
        #expect(model.isDone)
        #expect(Self.press(&model, Self.keys("1")).isEmpty)
        #expect(model.message == "every item is done: u revises the last one, q quits")
    }
}
