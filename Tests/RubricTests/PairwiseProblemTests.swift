import Rubric
import Testing

/// Every problem a pairwise criterion can have, as the whole line `rubric check` prints.
@Suite struct PairwiseProblemTests {
    @Test func scaleOptionsRangeAndStepAreRefusedWithTheFixedAnswers() {
        let yaml = """
            name: p
            criteria:
              - id: motion
                question: Which moves better?
                type: pairwise
                tie: true
                scale: ordinal
                options: [a, b]
                range: [0, 1]
                step: 1
            """
        let fixed = "its answers are fixed: a, b, tie (set by tie: true|false and strength: [strongest, ..., weakest])"
        #expect(problems(yaml) == [
            "r.yaml:7:5: scale is not allowed for a pairwise criterion; \(fixed)",
            "r.yaml:8:5: options is not allowed for a pairwise criterion; \(fixed)",
            "r.yaml:9:5: range is not allowed for a pairwise criterion; \(fixed)",
            "r.yaml:10:5: step is not allowed for a pairwise criterion; \(fixed)",
        ])
    }

    @Test func tieAndStrengthNeedTypePairwise() {
        let yaml = """
            name: p
            criteria:
              - id: quality
                question: How good?
                scale: nominal
                options: [good, bad]
                tie: true
                strength: [better]
            """
        #expect(problems(yaml) == [
            "r.yaml:7:5: tie is only for a pairwise criterion; add type: pairwise, or leave tie out",
            "r.yaml:8:5: strength is only for a pairwise criterion; add type: pairwise, or leave strength out",
        ])
    }

    @Test func anUnknownTypeIsOneProblemNotSeveral() {
        let yaml = """
            name: p
            criteria:
              - id: motion
                question: Which moves better?
                type: pair
            """
        #expect(problems(yaml) == [
            "r.yaml:5:11: type must be pairwise (leave it out for a criterion about one clip); found 'pair'",
        ])
    }

    @Test func badStrengths() {
        func strength(_ text: String) -> [String] {
            problems("name: p\ncriteria:\n  - id: m\n    question: Q\n    type: pairwise\n    strength: \(text)\n")
        }
        #expect(strength("[]") == ["r.yaml:6:15: strength must list 1 to 4 words, strongest first; found 0"])
        #expect(strength("[a, b, c, d, e]") == ["r.yaml:6:15: strength must list 1 to 4 words, strongest first; found 5"])
        #expect(strength("[better, better]") == ["r.yaml:6:24: strength lists 'better' twice"])
        #expect(strength("[much better]") == [
            "r.yaml:6:16: strength must be a slug (lowercase letters, digits, '-' and '_', starting with a letter or digit); found 'much better'",
        ])
        #expect(strength("[better, same]") == [
            "r.yaml:6:24: strength 'same' is not a strength of a win; use tie: true for 'the same'",
        ])
        #expect(strength("{a: 1}") == [
            "r.yaml:6:15: strength must be a list of words, strongest first (e.g. [much-better, better]); found a mapping",
        ])
        #expect(strength("") == [
            "r.yaml:6:14: strength must be a list of words, strongest first (e.g. [much-better, better]); found nothing",
        ])
        let tie = problems("name: p\ncriteria:\n  - id: m\n    question: Q\n    type: pairwise\n    tie: yes\n")
        #expect(tie == ["r.yaml:6:10: tie must be true or false; found 'yes'"])
    }

    @Test func aPairwiseCriterionAfterAOneClipCriterionIsRefused() {
        let yaml = """
            name: p
            criteria:
              - id: notes
                question: Notes
                scale: text
              - id: quality
                question: How good?
                scale: nominal
                options: [good, bad]
              - id: motion
                question: Which moves better?
                type: pairwise
            """
        #expect(problems(yaml) == [
            "r.yaml:12:5: criterion 'motion' is pairwise, but criterion 'quality' rates one clip (line 6); "
                + "a rubric's criteria are all pairwise (type: pairwise) or all about one clip; text criteria may join either",
        ])
    }

    @Test func aOneClipCriterionAfterAPairwiseCriterionIsRefused() {
        let yaml = """
            name: p
            criteria:
              - id: motion
                question: Which moves better?
                type: pairwise
              - id: quality
                question: How good?
                scale: nominal
                options: [good, bad]
              - id: sharpness
                question: How sharp?
                scale: ordinal
                options: [soft, sharp]
            """
        let rule = "a rubric's criteria are all pairwise (type: pairwise) or all about one clip; text criteria may join either"
        #expect(problems(yaml) == [
            "r.yaml:6:9: criterion 'quality' rates one clip, but criterion 'motion' is pairwise (line 5); \(rule)",
            "r.yaml:10:9: criterion 'sharpness' rates one clip, but criterion 'motion' is pairwise (line 5); \(rule)",
        ])
    }

    @Test func whenOnAPairwiseCriterionNamesAnEarlierPairwiseCriterionsValues() throws {
        let yaml = """
            name: p
            criteria:
              - id: overall
                question: Which is better overall?
                type: pairwise
                tie: true
              - id: why-a
                question: Is A better on motion?
                type: pairwise
                when: {overall: [tie, a]}
              - id: notes
                question: Why?
                scale: text
                when: {overall: b}
            """
        let rubric = try rubric(yaml)
        let whyA = try #require(rubric.criterion("why-a"))
        #expect(whyA.when == ["overall": ["a", "tie"]])
        #expect(rubric.isShown(whyA, answers: ["overall": "a"]))
        #expect(!rubric.isShown(whyA, answers: ["overall": "b"]))
        let bad = yaml.replacingOccurrences(of: "[tie, a]", with: "[a/better]")
        #expect(problems(bad) == ["r.yaml:10:22: when value for 'overall': expected one of a, b, tie; found 'a/better'"])
    }
}
