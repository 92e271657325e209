import Rubric
import Testing

/// What the workbench and label import ask of a rubric: is this value acceptable, is this
/// criterion shown, what is still unanswered.
@Suite struct AnswerTests {
    static let yaml = """
        name: answers
        criteria:
          - id: present
            question: Present?
            scale: nominal
            options: [yes, no, unclear]
          - id: severity
            question: Severity?
            scale: ordinal
            options: [none, mild, severe]
            when: {present: yes}
          - id: ttc
            question: TTC?
            scale: ratio
            range: [0, 10]
            step: 0.1
            when: {present: [yes, unclear]}
          - id: escalate
            question: Escalate?
            scale: nominal
            options: [yes, no]
            when: {severity: severe, ttc: [0.5, 1]}
          - id: offset
            question: Lateral offset (m)?
            scale: interval
            range: [-2.5, 2.5]
          - id: notes
            question: Notes
            scale: text
        """

    @Test func nominalAndOrdinalAcceptOnlyOptionValues() throws {
        let rubric = try rubric(Self.yaml)
        let present = try #require(rubric.criterion("present"))
        #expect(present.problem(with: "yes") == nil)
        #expect(present.problem(with: "Yes") == "expected one of yes, no, unclear; found 'Yes'")
        #expect(present.problem(with: "") == "expected one of yes, no, unclear; found ''")
        let severity = try #require(rubric.criterion("severity"))
        #expect(severity.problem(with: "mild") == nil)
        #expect(severity.problem(with: "moderate") == "expected one of none, mild, severe; found 'moderate'")
    }

    @Test func ratioChecksRangeAndStep() throws {
        let ttc = try #require(try rubric(Self.yaml).criterion("ttc"))
        for ok in ["0", "10", "3.3", "0.3", "9.9", "2.50", "1e0"] {
            #expect(ttc.problem(with: ok) == nil, "\(ok) should be accepted")
        }
        let expected = "expected a number from 0 to 10 in steps of 0.1; found"
        #expect(ttc.problem(with: "12") == "\(expected) '12'")
        #expect(ttc.problem(with: "-0.1") == "\(expected) '-0.1'")
        #expect(ttc.problem(with: "3.33") == "\(expected) '3.33'")
        #expect(ttc.problem(with: "three") == "\(expected) 'three'")
        #expect(ttc.problem(with: "0x1") == "\(expected) '0x1'")
        #expect(ttc.problem(with: "nan") == "\(expected) 'nan'")
        #expect(ttc.problem(with: "") == "\(expected) ''")
    }

    @Test func intervalWithoutStepTakesAnyNumberInRange() throws {
        let offset = try #require(try rubric(Self.yaml).criterion("offset"))
        #expect(offset.problem(with: "-2.5") == nil)
        #expect(offset.problem(with: "0.123456") == nil)
        #expect(offset.problem(with: "2.6") == "expected a number from -2.5 to 2.5; found '2.6'")
    }

    @Test func textAcceptsAnything() throws {
        let notes = try #require(try rubric(Self.yaml).criterion("notes"))
        #expect(notes.problem(with: "") == nil)
        #expect(notes.problem(with: "line 1\nline 2, with \"quotes\"") == nil)
        #expect(!notes.isPartOfAgreement)
        #expect(!notes.required)
    }

    @Test func whenWithASingleValue() throws {
        let rubric = try rubric(Self.yaml)
        let severity = try #require(rubric.criterion("severity"))
        #expect(severity.when == ["present": ["yes"]])
        #expect(rubric.isShown(severity, answers: ["present": "yes"]))
        #expect(!rubric.isShown(severity, answers: ["present": "no"]))
        #expect(!rubric.isShown(severity, answers: [:]))
    }

    @Test func whenWithAList() throws {
        let rubric = try rubric(Self.yaml)
        let ttc = try #require(rubric.criterion("ttc"))
        #expect(rubric.isShown(ttc, answers: ["present": "yes"]))
        #expect(rubric.isShown(ttc, answers: ["present": "unclear"]))
        #expect(!rubric.isShown(ttc, answers: ["present": "no"]))
    }

    /// Every condition must hold; numbers compare as numbers; a condition on a hidden
    /// criterion fails even if a stale answer for it is still around.
    @Test func whenOnSeveralCriteriaAndOnHiddenOnes() throws {
        let rubric = try rubric(Self.yaml)
        let escalate = try #require(rubric.criterion("escalate"))
        #expect(escalate.when == ["severity": ["severe"], "ttc": ["0.5", "1"]])
        #expect(rubric.isShown(escalate, answers: ["present": "yes", "severity": "severe", "ttc": "1.0"]))
        #expect(rubric.isShown(escalate, answers: ["present": "yes", "severity": "severe", "ttc": ".5"]))
        #expect(!rubric.isShown(escalate, answers: ["present": "yes", "severity": "severe", "ttc": "2"]))
        #expect(!rubric.isShown(escalate, answers: ["present": "yes", "severity": "mild", "ttc": "1"]))
        #expect(!rubric.isShown(escalate, answers: ["present": "no", "severity": "severe", "ttc": "1"]))
        #expect(rubric.isShown(try #require(rubric.criterion("present")), answers: [:]))
    }

    @Test func unansweredListsShownRequiredCriteriaWithoutAnAnswer() throws {
        let rubric = try rubric(Self.yaml)
        #expect(rubric.unanswered([:]).map(\.id) == ["present", "offset"])
        #expect(rubric.unanswered(["present": "yes"]).map(\.id) == ["severity", "ttc", "offset"])
        #expect(rubric.unanswered(["present": "yes", "severity": "severe", "ttc": "1", "offset": ""]).map(\.id)
                == ["escalate", "offset"])
        #expect(rubric.unanswered(["present": "no", "offset": "0"]).isEmpty)
    }
}
