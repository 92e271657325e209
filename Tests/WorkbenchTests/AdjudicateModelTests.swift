import Foundation
import Reports
import Rubric
import Store
import Testing
@testable import Workbench

/// The key bindings of `concord adjudicate`'s queue screen, on the adjudication queue of a
/// real project file: picking a final value, the reason and a rationale; numeric values;
/// send-back; revision marks; moving; the dashboard toggle; cancelling.
@Suite struct AdjudicateModelTests {
    static let rubricYAML = """
    name: adj
    criteria:
      - id: kind
        question: Which kind?
        scale: nominal
        options: [car, truck, bike]
      - id: gap
        question: Gap in metres?
        scale: ratio
        range: [0, 100]
        step: 0.5
      - id: notes
        question: Notes
        scale: text
    """

    /// Items i1–i3 rated by ann, ben and cat: i1 kind car/truck/car (gap agrees), i2 gap
    /// 10/40/10 (kind agrees), i3 unanimous. The lead's session and the queue's model.
    static func model() throws -> (ProjectSession, AdjudicationModel) {
        let (lead, model, _) = try modelAndStore()
        return (lead, model)
    }

    static func modelAndStore() throws -> (ProjectSession, AdjudicationModel, ProjectStore) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("adjm-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "adj.yaml"), sourcePath: "adj.yaml")
        for name in ["ann", "ben", "cat"] { try admin.addRater(name, role: .rater) }
        try admin.addRater("lee", role: .lead)
        let clips = (1...3).map { i in
            ClipFacts(path: "/c/i\(i).mp4", name: "i\(i).mp4", sha256: String(format: "%064x", i), sizeBytes: 1, codec: "h264",
                      duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "b", rubric: "adj")
        _ = try admin.assign(batch: "b", raters: ["ann", "ben", "cat"], overlap: nil, goldRate: nil)
        let labels: [(String, String, String, String)] = [
            ("i1", "ann", "car", "20"), ("i1", "ben", "truck", "20"), ("i1", "cat", "car", "20"),
            ("i2", "ann", "bike", "10"), ("i2", "ben", "bike", "40"), ("i2", "cat", "bike", "10"),
            ("i3", "ann", "car", "5"), ("i3", "ben", "car", "5"), ("i3", "cat", "car", "5"),
        ]
        var rows: [LabelImportRow] = []
        for (clip, rater, kind, gap) in labels {
            rows.append(LabelImportRow(line: rows.count + 2, clip: clip + ".mp4", rater: rater, criterion: "kind", value: kind))
            rows.append(LabelImportRow(line: rows.count + 2, clip: clip + ".mp4", rater: rater, criterion: "gap", value: gap))
        }
        _ = try admin.importLabels(rows, file: "l.csv", fileSHA256: String(repeating: "0", count: 64), batch: "b")
        let lead = try store.session(login: "admin", actingAs: "lee")
        let context = try lead.adjudicationContext(batch: "b")
        return (lead, AdjudicationModel(batch: "b", rubric: context.labels.rubric, entries: try AdjudicationQueue(context).entries), store)
    }

    static func keys(_ text: String) -> [Key] { text.map { $0 == "\n" ? .enter : .char($0) } }

    @discardableResult
    static func press(_ model: inout AdjudicationModel, _ keys: [Key]) -> [AdjudicationAction] {
        keys.map { model.handle($0) }.filter { $0 != .none }
    }

    static func entryKeys(_ model: AdjudicationModel) -> [String] { model.entries.map { "\($0.clip):\($0.criterion)" } }

    /// A send-back of an earlier session is read back from the project: its entry says
    /// "sent back to …" (not "open") until the raters answer, and the session starts at
    /// the first entry still open.
    @Test func anEarlierSendBackIsShownUntilItsRatersAnswer() throws {
        let (lead, start, store) = try Self.modelAndStore()
        let first = try #require(start.entries.first)
        try lead.sendBack(item: first.item, raters: ["ben", "cat"], note: "again")
        #expect(try lead.pendingSendBacks(batch: "b") == [first.item: ["ben", "cat"]])
        let context = try lead.adjudicationContext(batch: "b")
        let model = AdjudicationModel(batch: "b", rubric: context.labels.rubric, entries: start.entries,
                                      sentBack: try lead.pendingSendBacks(batch: "b"))
        #expect(model.status == [.sentBack(["ben", "cat"]), .open])
        #expect(model.index == 1)
        #expect(model.decidedCount == 1)
        // ben submits the item again (unchanged answers count): only cat is awaited.
        let ben = try store.session(login: "admin", actingAs: "ben")
        let votes = try lead.votes(item: first.item)
        let bens = Dictionary(uniqueKeysWithValues: votes.compactMap { criterion, list in
            list.first { $0.rater == "ben" }.map { (criterion, $0.value) }
        })
        #expect(!bens.isEmpty)
        _ = try ben.submitItem(ItemSubmission(item: first.item, answers: bens, frame: nil, pts: nil, dwellMs: 1000, watchedShare: 1))
        #expect(try lead.pendingSendBacks(batch: "b") == [first.item: ["cat"]])
        #expect(try lead.votes(item: first.item).mapValues { $0.map(\.revision) } == votes.mapValues { $0.map(\.revision) })
    }

    @Test func valueReasonAndRationaleResolveThenTheNextEntryOpens() throws {
        let (lead, start) = try Self.model()
        var model = start
        #expect(Set(Self.entryKeys(model)) == ["i1.mp4:kind", "i2.mp4:gap"])
        let first = try #require(model.entry)
        #expect(model.senders == first.votes.map(\.rater))
        // Go to the kind entry whichever comes first.
        if first.criterion != "kind" { Self.press(&model, Self.keys("n")) }
        #expect(model.criterion?.id == "kind")
        #expect(Self.press(&model, Self.keys("1")).isEmpty)
        #expect(model.mode == .reason(value: "car"))
        #expect(Self.press(&model, Self.keys("9")).isEmpty)
        #expect(model.message == "the reason: 1 rater error · 2 rubric ambiguous · 3 clip ambiguous · 4 genuine disagreement · 5 other")
        #expect(Self.press(&model, Self.keys("1")).isEmpty)
        #expect(model.mode == .rationale(value: "car", reason: .raterError, text: ""))
        let actions = Self.press(&model, Self.keys("ben misread it\n"))
        #expect(actions == [.resolve(value: "car", reason: .raterError, note: "ben misread it")])
        // The app records it, then tells the model.
        let entry = try #require(model.entry)
        try lead.resolve(item: entry.item, criterion: "kind", value: "car", reason: .raterError, note: "ben misread it")
        let index = model.index
        model.didResolve(value: "car", reason: .raterError)
        #expect(model.status[index] == .resolved(value: "car", reason: .raterError))
        #expect(model.message == "resolved i1.mp4 kind as car (rater error)")
        #expect(model.entry?.criterion == "gap")   // the other open entry
        #expect(model.decidedCount == 1)
        // The Store agrees: the kind entry left the queue.
        #expect(Self.entryKeys(try AdjudicationModel(batch: "b", rubric: model.rubric,
                                                     entries: AdjudicationQueue(lead.adjudicationContext(batch: "b")).entries))
                == ["i2.mp4:gap"])
    }

    @Test func aNumericValueIsTypedAndCheckedAndAnEmptyRationaleIsNone() throws {
        var (_, model) = try Self.model()
        while model.criterion?.id != "gap" { Self.press(&model, Self.keys("n")) }
        #expect(Self.press(&model, Self.keys("12.25\n")).isEmpty)
        #expect(model.message == "gap: expected a number from 0 to 100 in steps of 0.5; found '12.25'")
        #expect(model.mode == .number("12.25"))
        Self.press(&model, [.backspace, .backspace, .backspace])
        #expect(Self.press(&model, Self.keys("\n")).isEmpty)
        #expect(model.mode == .reason(value: "12"))
        #expect(Self.press(&model, Self.keys("4\n")) == [.resolve(value: "12", reason: .genuineDisagreement, note: nil)])
        // Enter alone on a numeric entry asks for the number.
        #expect(Self.press(&model, [.enter]).isEmpty)
        #expect(model.message == "type the final number for gap, then Enter")
    }

    @Test func sendBackPicksRatersByNumberWithANote() throws {
        var (_, model) = try Self.model()
        let raters = model.senders
        #expect(raters == ["ann", "ben", "cat"])
        #expect(Self.press(&model, Self.keys("b\n")).isEmpty)
        #expect(model.message == "pick at least one rater by number, then Enter")
        Self.press(&model, Self.keys("313"))                    // toggle cat twice: off again
        #expect(model.mode == .sendBack(selected: [0]))
        Self.press(&model, Self.keys("2"))
        #expect(model.mode == .sendBack(selected: [0, 1]))
        #expect(Self.press(&model, Self.keys("7")).isEmpty)
        #expect(model.message == "pick raters by number (1–3), then Enter")
        #expect(Self.press(&model, Self.keys("\nlook at 0.5 s\n")) == [.sendBack(raters: ["ann", "ben"], note: "look at 0.5 s")])
        let index = model.index
        model.didSendBack(raters: ["ann", "ben"])
        #expect(model.status[index] == .sentBack(["ann", "ben"]))
        #expect(model.index != index)
    }

    @Test func revisionMarksNeedANoteAndEscapeCancels() throws {
        var (_, model) = try Self.model()
        #expect(Self.press(&model, Self.keys("x\n")).isEmpty)
        #expect(model.message == "a revision mark needs a note: what in the rubric misled the raters")
        #expect(Self.press(&model, Self.keys("define the gap\n")) == [.needsRevision(note: "define the gap")])
        model.didMarkRevision()
        #expect(model.markedForRevision == [model.index])
        #expect(model.status[model.index] == .open)   // a rubric note does not decide the entry
        // Escape leaves any step.
        for start in ["b", "x", "g"] {
            Self.press(&model, Self.keys(start) + [.escape])
            #expect(model.mode == .normal, "\(start)")
        }
    }

    @Test func movingTheDashboardHelpAndPlayback() throws {
        var (_, model) = try Self.model()
        #expect(model.index == 0)
        Self.press(&model, Self.keys("p"))
        #expect(model.message == "this is the first entry" && model.index == 0)
        Self.press(&model, Self.keys("n"))
        #expect(model.index == 1)
        Self.press(&model, Self.keys("n"))
        #expect(model.message == "this is the last entry" && model.index == 1)
        #expect(Self.press(&model, Self.keys("d")).isEmpty && model.showsDashboard)
        Self.press(&model, Self.keys("jjjk"))                  // two criteria: kind, gap
        #expect(model.dashboardFocus == 0)
        Self.press(&model, [.down])
        #expect(model.dashboardFocus == 1)
        Self.press(&model, Self.keys("1"))                     // no decision keys on the dashboard
        #expect(model.showsDashboard && model.status.allSatisfy { $0 == .open })
        Self.press(&model, [.escape])
        #expect(model.mode == .normal)
        Self.press(&model, Self.keys("?"))
        #expect(model.mode == .help)
        Self.press(&model, Self.keys("z"))
        #expect(model.mode == .normal)
        #expect(Self.press(&model, [.char(" "), .left, .right, .char("h"), .char("l"), .char("["), .char("]")])
                == [.togglePlay, .step(-1), .step(1), .seek(-1), .seek(1), .speed(-1), .speed(1)])
        #expect(Self.press(&model, Self.keys("g42\n")) == [.gotoFrame(42)])
        // q on the dashboard goes back to the queue (as d and Esc); there it quits, and
        // Ctrl-C quits from either.
        #expect(Self.press(&model, Self.keys("dq")).isEmpty && model.mode == .normal)
        #expect(Self.press(&model, Self.keys("q")) == [.quit])
        #expect(Self.press(&model, Self.keys("d") + [.interrupt]) == [.quit])
        #expect(Self.press(&model, [.interrupt]) == [.quit])
    }

    @Test func aWrongOptionKeySaysWhichKeysWorkAndEveryDecisionEndsTheQueue() throws {
        var (_, model) = try Self.model()
        while model.criterion?.id != "kind" { Self.press(&model, Self.keys("n")) }
        Self.press(&model, Self.keys("7"))
        #expect(model.message == "7 is not an option of kind; its keys are 1 2 3")
        Self.press(&model, Self.keys("2"))
        #expect(model.mode == .reason(value: "truck"))
        Self.press(&model, [.escape])
        #expect(model.mode == .normal && model.message == "decision cancelled")
        for _ in model.entries {
            model.didResolve(value: "x", reason: .other)
        }
        #expect(model.isDone && model.entry == nil)
        #expect(Self.press(&model, Self.keys("1")).isEmpty)
        #expect(model.message == "every entry is decided: p goes back to the last one, d shows agreement, q quits")
        Self.press(&model, Self.keys("p"))
        #expect(model.index == model.entries.count - 1)
    }

    /// n or p until entry `target` is on screen (bounded: never loops forever).
    static func go(_ model: inout AdjudicationModel, to target: Int) {
        for _ in 0..<model.entries.count where model.index != target {
            press(&model, keys(model.index < target ? "n" : "p"))
        }
    }

    @Test func gAndAnOptionKeyOrANumberRecordAGoldAnswer() throws {
        var (_, model) = try Self.model()
        let kind = try #require(model.entries.firstIndex { $0.criterion == "kind" })
        Self.go(&model, to: kind)
        #expect(Self.press(&model, Self.keys("G7")).isEmpty)
        #expect(model.message == "7 is not an option of kind; its keys are 1 2 3")
        #expect(Self.press(&model, Self.keys("2")) == [.addGold(value: "truck")])
        #expect(model.mode == .normal)
        Self.press(&model, Self.keys("G") + [.escape])
        #expect(model.message == "gold answer cancelled")
        let gap = try #require(model.entries.firstIndex { $0.criterion == "gap" })
        Self.go(&model, to: gap)
        #expect(model.index == gap)
        #expect(Self.press(&model, Self.keys("G10.3\n")).isEmpty)   // off the 0.5 step
        #expect(model.message?.hasPrefix("gap: expected a number from 0 to 100 in steps of 0.5") == true)
        Self.press(&model, [.backspace])   // "10."
        #expect(Self.press(&model, Self.keys("5\n")) == [.addGold(value: "10.5")])
    }
}
