import Rubric
import Testing

/// `type: pairwise` (docs/rubrics.md, "Pairwise criteria"): its answers are fixed by `tie`
/// and `strength`, its canonical JSON says only those, and a rubric does not mix pairwise
/// criteria with criteria about one clip.
@Suite struct PairwiseCriterionTests {
    static let plain = """
        name: prefer
        criteria:
          - id: motion
            question: Which clip moves more naturally?
            type: pairwise
          - id: notes
            question: Notes
            scale: text
        """

    static let graded = """
        name: prefer
        criteria:
          - id: motion
            question: Which clip moves more naturally?
            type: pairwise
            tie: true
            strength: [much-better, better]
            help: Watch both to the end.
            display: [sixel, kitty]
        """

    @Test func withoutTieOrStrengthTheAnswersAreAAndB() throws {
        let rubric = try rubric(Self.plain)
        let motion = try #require(rubric.criterion("motion"))
        #expect(motion.preference == Preference(tie: false, strengths: []))
        #expect(motion.isPairwise)
        #expect(motion.scale == .nominal)
        #expect(motion.required)
        #expect(motion.options.map(\.value) == ["a", "b"])
        #expect(motion.options.map(\.label) == ["A better", "B better"])
        #expect(motion.options.map(\.key) == ["1", "2"])
        #expect(motion.isPartOfAgreement)
        #expect(rubric.isPairwise)
        #expect(rubric.criterion("notes")?.isPairwise == false)
    }

    @Test func tieAndStrengthMakeAnOrdinalScaleFromBStrongestToAStrongest() throws {
        let motion = try #require(try rubric(Self.graded).criterion("motion"))
        #expect(motion.preference == Preference(tie: true, strengths: ["much-better", "better"]))
        #expect(motion.scale == .ordinal)
        #expect(motion.options.map(\.value) == ["b/much-better", "b/better", "tie", "a/better", "a/much-better"])
        #expect(motion.options.map(\.label) == ["B much-better", "B better", "the same", "A better", "A much-better"])
        #expect(motion.display == [.kitty, .sixel])
        #expect(motion.help == "Watch both to the end.")
    }

    @Test func aTieWithoutStrengthIsNominal() throws {
        let yaml = Self.plain.replacingOccurrences(of: "type: pairwise", with: "type: pairwise\n    tie: true")
        let motion = try #require(try rubric(yaml).criterion("motion"))
        #expect(motion.scale == .nominal)
        #expect(motion.options.map(\.value) == ["a", "b", "tie"])
        #expect(motion.options.map(\.label) == ["A better", "B better", "the same"])
    }

    @Test func aSingleStrengthMayBeWrittenWithoutBrackets() throws {
        let yaml = Self.plain.replacingOccurrences(of: "type: pairwise", with: "type: pairwise\n    strength: clearly")
        let motion = try #require(try rubric(yaml).criterion("motion"))
        #expect(motion.options.map(\.value) == ["b/clearly", "a/clearly"])
        #expect(motion.scale == .ordinal)
    }

    @Test func problemWithAcceptsExactlyTheValues() throws {
        let motion = try #require(try rubric(Self.graded).criterion("motion"))
        for value in ["b/much-better", "b/better", "tie", "a/better", "a/much-better"] {
            #expect(motion.problem(with: value) == nil, "\(value)")
        }
        for value in ["a", "b", "left", "a/much", "A/better", ""] {
            #expect(motion.problem(with: value) != nil, "\(value)")
        }
        #expect(motion.problem(with: "a") == "expected one of b/much-better, b/better, tie, a/better, a/much-better; found 'a'")
        let plain = try #require(try rubric(Self.plain).criterion("motion"))
        #expect(plain.problem(with: "tie") == "expected one of a, b; found 'tie'")
    }

    @Test func rubricsWithoutPairwiseCriteriaAreNotPairwise() throws {
        #expect(try !ShippedRubricsTests.load("genvideo-quality.yaml").isPairwise)
        let notesOnly = try rubric("name: n\ncriteria:\n  - {id: notes, question: Notes, scale: text}\n")
        #expect(!notesOnly.isPairwise)
    }
}

/// The canonical JSON of a pairwise criterion: `type`, `tie` (always) and `strength` (when
/// set), no `scale` and no `options`; read back, the same rubric.
@Suite struct PairwiseCanonicalJSONTests {
    @Test func writesTypeTieAndStrengthOnly() throws {
        let rubric = try rubric(PairwiseCriterionTests.graded)
        let json = rubric.canonicalJSON
        #expect(json.contains(#""type":"pairwise""#))
        #expect(json.contains(#""tie":true"#))
        #expect(json.contains(#""strength":["much-better","better"]"#))
        #expect(!json.contains(#""scale""#))
        #expect(!json.contains(#""options""#))
        let plain = try RubricTests.rubric(PairwiseCriterionTests.plain).canonicalJSON
        #expect(plain.contains(#""tie":false"#))
        #expect(!plain.contains(#""strength""#))
        // The notes criterion is written as before.
        #expect(plain.contains(#"{"id":"notes","question":"Notes","required":false,"scale":"text"}"#))
    }

    @Test(arguments: [PairwiseCriterionTests.plain, PairwiseCriterionTests.graded])
    func roundTripsThroughCanonicalJSON(yaml: String) throws {
        let rubric = try rubric(yaml)
        let back = try Rubric.fromCanonicalJSON(rubric.canonicalJSON)
        #expect(back == rubric)
        #expect(back.contentHash == rubric.contentHash)
        #expect(back.criterion("motion")?.preference == rubric.criterion("motion")?.preference)
    }

    @Test func spellingOutTheDefaultTieIsTheSameVersion() throws {
        let implicit = try rubric(PairwiseCriterionTests.plain)
        let explicit = try rubric(PairwiseCriterionTests.plain.replacingOccurrences(
            of: "type: pairwise", with: "type: pairwise\n    tie: false\n    required: true"))
        #expect(implicit.contentHash == explicit.contentHash)
    }

    @Test func tieAndStrengthOrderAreTheVersion() throws {
        let base = try rubric(PairwiseCriterionTests.graded)
        let noTie = try rubric(PairwiseCriterionTests.graded.replacingOccurrences(of: "tie: true", with: "tie: false"))
        let swapped = try rubric(PairwiseCriterionTests.graded.replacingOccurrences(
            of: "[much-better, better]", with: "[better, much-better]"))
        #expect(Set([base.contentHash, noTie.contentHash, swapped.contentHash]).count == 3)
        #expect(swapped.criterion("motion")?.options.map(\.value) == ["b/better", "b/much-better", "tie", "a/much-better", "a/better"])
    }
}
