import Rubric
import Testing

/// Every kind of rubric problem, with the whole line a lead sees: file:line:column, what was
/// expected and what was found (STYLE.md 4). Positions are those of the offending node.
@Suite struct ProblemMessageTests {
    @Test func misspelledScale() {
        let yaml = """
            name: cut-in
            criteria:
              - id: severity
                question: How severe?
                scale: ordnal
                options: [low, high]
            """
        #expect(problems(yaml, file: "rubrics/cut-in.yaml") == [
            "rubrics/cut-in.yaml:5:12: scale must be one of nominal, ordinal, interval, ratio, text; found 'ordnal'",
        ])
    }

    @Test func unknownKeys() {
        let yaml = """
            name: cut-in
            titel: Cut-in
            criteria:
              - id: severity
                question: How severe?
                scale: ordinal
                optoins: [low, high]
                options:
                  - {value: low, lable: Low}
                  - high
              - question: Notes
                scale: text
                hint: free text
            """
        #expect(problems(yaml) == [
            "r.yaml:2:1: unknown key 'titel'; expected one of name, title, instructions, require_full_view, criteria",
            "r.yaml:7:5: unknown key 'optoins' in criterion 'severity'; expected one of id, question, type, scale, options, range, step, tie, strength, required, when, help, display",
            "r.yaml:9:22: unknown key 'lable' in option 'low' of criterion 'severity'; expected one of value, label, key, description",
            "r.yaml:11:5: missing required key 'id' in criterion 2",
            "r.yaml:13:5: unknown key 'hint' in criterion 2; expected one of id, question, type, scale, options, range, step, tie, strength, required, when, help, display",
        ])
    }

    @Test func missingRequiredKeys() {
        let yaml = """
            title: No name
            criteria:
              - id: present
                scale: nominal
              - id: ttc
                question: TTC?
                scale: ratio
              - id: kind
                question: Kind?
                options:
                  - value: car
                  - label: Truck
            """
        #expect(problems(yaml) == [
            "r.yaml:1:1: missing required key 'name'",
            "r.yaml:3:5: missing required key 'question' in criterion 'present'",
            "r.yaml:3:5: missing required key 'options' in criterion 'present'; nominal and ordinal criteria list their options",
            "r.yaml:5:5: missing required key 'range' in criterion 'ttc'; interval and ratio criteria need range: [min, max]",
            "r.yaml:8:5: missing required key 'scale' in criterion 'kind'",
            "r.yaml:12:9: missing required key 'value' in option 2 of criterion 'kind'",
        ])
        #expect(problems("name: x\n") == ["r.yaml:1:1: missing required key 'criteria'"])
    }

    @Test func duplicateCriterionId() {
        let yaml = """
            name: cut-in
            criteria:
              - id: present
                question: Present?
                scale: nominal
                options: [yes, no]

              - id: severity
                question: How severe?
                scale: ordinal
                options: [low, high]
              - id: severity
                question: How severe, again?
                scale: text
            """
        #expect(problems(yaml) == ["r.yaml:12:9: duplicate criterion id 'severity' (first at line 8)"])
    }

    @Test func whenMustNameAnEarlierCriterion() {
        let yaml = """
            name: cut-in
            criteria:
              - id: severity
                question: How severe?
                scale: ordinal
                options: [low, high]
                when: {present: yes}
              - id: present
                question: Present?
                scale: nominal
                options: [yes, no]
                when: {present: yes, presnt: no}
            """
        #expect(problems(yaml) == [
            "r.yaml:7:12: when names 'present', which is not an earlier criterion",
            "r.yaml:12:12: when names 'present', which is not an earlier criterion",
            "r.yaml:12:26: when names 'presnt', which is not an earlier criterion",
        ])
    }

    @Test func whenValuesMustBeAcceptableAnswers() {
        let yaml = """
            name: cut-in
            criteria:
              - id: present
                question: Present?
                scale: nominal
                options: [yes, no, unclear]
              - id: ttc
                question: TTC?
                scale: ratio
                range: [0, 10]
                when: {present: yes}
              - id: notes
                question: Notes
                scale: text
              - id: severity
                question: Severity?
                scale: ordinal
                options: [low, high]
                when:
                  present: [yes, unclear, yes]
                  ttc: [2.5, 12]
                  notes: anything
              - id: other
                question: Other?
                scale: text
                when: {present: []}
              - id: last
                question: Last?
                scale: text
                when: {present: maybe}
            """
        // A `when` on a criterion that has problems of its own is not checked further: its
        // options or range cannot be trusted.
        #expect(problems(yaml) == [
            "r.yaml:20:31: when lists 'yes' more than once for 'present'",
            "r.yaml:21:18: when value for 'ttc': expected a number from 0 to 10; found '12'",
            "r.yaml:22:7: when names 'notes', a text criterion; when can only test a criterion with options or a range",
            "r.yaml:26:21: when lists no values for 'present'",
            "r.yaml:30:21: when value for 'present': expected one of yes, no, unclear; found 'maybe'",
        ])
    }

    @Test func keysMustBeUniqueValidAndNotReserved() {
        let yaml = """
            name: k
            criteria:
              - id: present
                question: Present?
                scale: nominal
                options:
                  - {value: a, key: x}
                  - {value: b, key: x}
                  - {value: c, key: "4"}
                  - d
              - id: bad-keys
                question: Which?
                scale: nominal
                options:
                  - {value: a, key: q}
                  - {value: b, key: " "}
                  - {value: c, key: ab}
                  - {value: d, key: é}
                  - {value: e, key: "?"}
            """
        #expect(problems(yaml) == [
            "r.yaml:8:25: key 'x' is used by options 'a' and 'b'",
            "r.yaml:10:9: key '4' is used by options 'c' and 'd'",
            "r.yaml:15:25: key 'q' is reserved by the workbench; reserved keys are q ? space [ ] < > s f u n p",
            "r.yaml:16:25: key ' ' (space) is reserved by the workbench; reserved keys are q ? space [ ] < > s f u n p",
            "r.yaml:17:25: key must be one printable ASCII character; found 'ab'",
            "r.yaml:18:25: key must be one printable ASCII character; found 'é'",
            "r.yaml:19:25: key '?' is reserved by the workbench; reserved keys are q ? space [ ] < > s f u n p",
        ])
    }

    @Test func moreThanTenOptionsNeedKeys() {
        let yaml = """
            name: k
            criteria:
              - id: many
                question: Which?
                scale: nominal
                options: [a, b, c, d, e, g, h, i, j, k, l, {value: m, key: M}]
            """
        #expect(problems(yaml) == [
            "r.yaml:6:45: option 'l' needs a key: only the first 10 options get default keys (1-9, then 0)",
        ])
    }

    @Test func optionValues() {
        let yaml = """
            name: v
            criteria:
              - id: kind
                question: Which?
                scale: nominal
                options:
                  - car
                  - truck
                  - " car"
                  - [bus]
                  -
                  - car
            """
        #expect(problems(yaml) == [
            "r.yaml:9:9: option value must be a single line without leading or trailing spaces; found ' car'",
            "r.yaml:10:9: each option must be a value or a mapping with value, label, key, description; found a list",
            "r.yaml:11:8: option value must not be empty",
            "r.yaml:12:9: duplicate option value 'car' in criterion 'kind' (first at line 7)",
        ])
    }

    @Test func emptyOrMisplacedOptions() {
        let yaml = """
            name: o
            criteria:
              - id: present
                question: Present?
                scale: nominal
                options: []
              - id: ttc
                question: TTC?
                scale: ratio
                range: [0, 10]
                options: [a, b]
              - id: notes
                question: Notes
                scale: text
                options: [a, b]
              - id: kind
                question: Kind?
                scale: ordinal
                options: low, high
            """
        #expect(problems(yaml) == [
            "r.yaml:6:14: options must not be empty",
            "r.yaml:11:5: options are not allowed for a ratio criterion; use range: [min, max]",
            "r.yaml:15:5: options are not allowed for a text criterion",
            "r.yaml:19:14: options must be a list of values or of {value, label, key, description}; found 'low, high'",
        ])
    }

    @Test func rangesAndSteps() {
        let yaml = """
            name: r
            criteria:
              - id: a
                question: A?
                scale: interval
                range: [10, 0]
              - id: b
                question: B?
                scale: interval
                range: [0]
              - id: c
                question: C?
                scale: interval
                range: ["0", "10"]
              - id: d
                question: D?
                scale: ratio
                range: [-1, 1]
                step: 0
              - id: e
                question: E?
                scale: interval
                range: [-1, .inf]
                step: fine
              - id: f
                question: F?
                scale: nominal
                options: [x]
                range: [0, 1]
                step: 1
            """
        #expect(problems(yaml) == [
            "r.yaml:6:12: range must be [min, max] with min < max",
            "r.yaml:10:12: range must be [min, max] with min < max",
            "r.yaml:14:12: range must be [min, max] with min < max",
            "r.yaml:18:13: range of a ratio criterion must start at 0 or above; found -1",
            "r.yaml:19:11: step must be a number greater than 0; found '0'",
            "r.yaml:23:12: range must be [min, max] with min < max",
            "r.yaml:24:11: step must be a number greater than 0; found 'fine'",
            "r.yaml:29:5: range is not allowed for a nominal criterion; only interval and ratio criteria have one",
            "r.yaml:30:5: step is not allowed for a nominal criterion; only interval and ratio criteria have one",
        ])
    }

    @Test func namesTextAndBooleans() {
        let yaml = """
            name: Cut In
            title: [a, b]
            criteria:
              - id: Severity
                question:
                scale: text
                required: yes
                help: {text: x}
              - just a string
            """
        #expect(problems(yaml) == [
            "r.yaml:1:7: name must be a slug (lowercase letters, digits, '-' and '_', starting with a letter or digit); found 'Cut In'",
            "r.yaml:2:8: title must be text; found a list",
            "r.yaml:4:9: criterion id must be a slug (lowercase letters, digits, '-' and '_', starting with a letter or digit); found 'Severity'",
            "r.yaml:5:14: question must not be empty",
            "r.yaml:7:15: required must be true or false; found 'yes'",
            "r.yaml:8:11: help must be text; found a mapping",
            "r.yaml:9:5: criterion 2 must be a mapping with id, question and scale; found 'just a string'",
        ])
    }

    @Test func slugsHaveALengthLimit() {
        let long = String(repeating: "a", count: 65)
        #expect(problems("name: \(long)\ncriteria:\n  - {id: \(long), question: q, scale: text}\n") == [
            "r.yaml:1:7: name must be at most 64 characters; found 65",
            "r.yaml:3:10: criterion id must be at most 64 characters; found 65",
        ])
    }

    @Test func wrongShapesAtTheTop() {
        #expect(problems("name: x\ncriteria: []\n") == ["r.yaml:2:11: criteria must not be empty"])
        #expect(problems("name: x\ncriteria: {a: 1}\n") == ["r.yaml:2:11: criteria must be a list of criteria; found a mapping"])
        #expect(problems("- name: x\n") == [
            "r.yaml:1:1: a rubric is a mapping with keys name, title, instructions, require_full_view, criteria; found a list",
        ])
        #expect(problems("") == ["r.yaml:1:1: the file is empty; a rubric needs at least name and criteria"])
        #expect(problems("# only a comment\n") == ["r.yaml:1:1: the file is empty; a rubric needs at least name and criteria"])
        #expect(problems("name: x\n---\nname: y\n") == ["r.yaml:3:1: a rubric file holds one YAML document; found a second one"])
    }

    @Test func yamlSyntaxErrorsHaveTheirPosition() {
        let yaml = """
            name: x
            criteria:
              - id: a
                question: What: now?
            """
        #expect(problems(yaml) == ["r.yaml:4:19: invalid YAML: mapping values are not allowed in this context"])
        let unclosed = "name: x\ncriteria: [\n  {id: a\n"
        #expect(problems(unclosed) == [
            "r.yaml:4:1: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 3, column 3)",
        ])
        #expect(problems("name: x\n\tcriteria: []\n") == [
            "r.yaml:2:1: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar at line 1, column 7)",
        ])
    }

    /// Yams rejects the whole document at the first repeated key and keeps only the first
    /// occurrence's position, so this is the one problem that cannot come with others.
    @Test func repeatedYAMLKey() {
        let yaml = """
            name: x
            criteria:
              - id: a
                question: A?
                scale: text
                id: b
            """
        #expect(problems(yaml) == ["r.yaml:3:5: key 'id' is given more than once in this mapping; give each key once"])
    }

    @Test func everyProblemIsReportedInFileOrder() {
        let yaml = """
            name: cut-in
            criteria:
              - id: present
                question: Is there a cut-in?
                scale: nominal
                options: [yes, no]
              - id: severity
                question: How severe?
                scale: ordnal
                optoins: [minor, severe]
                when: {presence: yes}
              - id: ttc
                question: TTC?
                scale: ratio
                range: [5, 5]
              - id: present
                question: Again?
                scale: text
            """
        #expect(problems(yaml, file: "rubrics/cut-in.yaml") == [
            "rubrics/cut-in.yaml:9:12: scale must be one of nominal, ordinal, interval, ratio, text; found 'ordnal'",
            "rubrics/cut-in.yaml:10:5: unknown key 'optoins' in criterion 'severity'; expected one of id, question, type, scale, options, range, step, tie, strength, required, when, help, display",
            "rubrics/cut-in.yaml:11:12: when names 'presence', which is not an earlier criterion",
            "rubrics/cut-in.yaml:15:12: range must be [min, max] with min < max",
            "rubrics/cut-in.yaml:16:9: duplicate criterion id 'present' (first at line 3)",
        ])
    }
}
