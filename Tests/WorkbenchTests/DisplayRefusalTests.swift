import Rubric
import Testing
@testable import Workbench

/// A rubric's `display:` in the workbench (docs/rubrics.md, "Display"): a criterion is
/// neither answered nor submitted from a display its list leaves out, and the message says
/// which terminals would do; criteria without the key, and displays on the list, go as before.
@Suite struct DisplayRefusalTests {
    static let rubricYAML = """
    name: cutin
    criteria:
      - id: present
        question: Is there a cut-in?
        scale: nominal
        options: ["yes", "no"]
      - id: banding
        question: Any banding?
        scale: nominal
        options: ["yes", "no"]
        display: [sixel, kitty]
      - id: notes
        question: Notes
        scale: text
        display: [kitty]
    """

    static let bandingRefused = "banding needs kitty or sixel, not blocks: open concord in kitty/WezTerm/Ghostty/Konsole or xterm -ti vt340/mlterm/foot"

    @Test func onBlocksTheRestrictedCriteriaAreRefusedWithWhereToRateThem() throws {
        var model = RatingModel(queue: try RatingModelTests.session(rubric: Self.rubricYAML).ratingQueue())
        model.display = .blocks
        RatingModelTests.press(&model, RatingModelTests.keys("1"))
        #expect(model.answers == ["present": "yes"])
        #expect(model.focusedCriterion?.id == "banding")
        // The option key does not answer it.
        RatingModelTests.press(&model, RatingModelTests.keys("2"))
        #expect(model.answers == ["present": "yes"])
        #expect(model.message == Self.bandingRefused)
        // Submitting is refused while a required criterion cannot be answered here.
        RatingModelTests.press(&model, [.down])
        #expect(RatingModelTests.press(&model, [.down, .enter]).isEmpty)
        #expect(model.message == "banding needs kitty or sixel, not blocks: s skips this item (say why), or rate it in another terminal")
        #expect(model.focusedCriterion?.id == "banding")
        // An optional text criterion on kitty only: not even editing starts.
        RatingModelTests.press(&model, [.down, .char("e")])
        #expect(model.mode == .normal)
        #expect(model.message == "notes needs kitty, not blocks: open concord in kitty/WezTerm/Ghostty/Konsole")
        // Skipping stays possible.
        #expect(RatingModelTests.press(&model, RatingModelTests.keys("sno picture here\n")) == [.skip(reason: "no picture here")])
    }

    @Test func onAListedDisplayOrAnUnknownOneNothingIsRefused() throws {
        for display in [Display.sixel, nil] {
            var model = RatingModel(queue: try RatingModelTests.session(rubric: Self.rubricYAML).ratingQueue())
            model.display = display
            RatingModelTests.press(&model, RatingModelTests.keys("12"))
            #expect(model.answers == ["present": "yes", "banding": "no"], "\(String(describing: display))")
            if display == nil {
                // Unknown display (the model alone, as in tests of other keys): the text too.
                #expect(RatingModelTests.press(&model, [.char("e")] + RatingModelTests.keys("ok\n") + [.enter])
                        == [.submit(["present": "yes", "banding": "no", "notes": "ok"])])
            } else {
                // On sixel, notes (kitty only, optional) is left out and the item goes.
                #expect(RatingModelTests.press(&model, [.down, .enter]) == [.submit(["present": "yes", "banding": "no"])])
            }
        }
    }

    @Test func listsAreSpelledForPeople() {
        #expect(RatingModel.list([]) == "")
        #expect(RatingModel.list(["a"]) == "a")
        #expect(RatingModel.list(["a", "b"]) == "a or b")
        #expect(RatingModel.list(["a", "b", "c"]) == "a, b or c")
    }
}
