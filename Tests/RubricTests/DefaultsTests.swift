import Rubric
import Testing

/// The defaults docs/rubrics.md promises, and that canonical JSON fills in.
@Suite struct DefaultsTests {
    @Test func defaultsAreFilledIn() throws {
        let rubric = try rubric("""
            name: d
            criteria:
              - id: a
                question: A?
                scale: ordinal
                options: [low, {value: mid, label: Middle, description: "  In between.  "}, {value: high, key: h}]
              - id: b
                question: B?
                scale: text
              - id: c
                question: C?
                scale: text
                required: true
            """)
        #expect(rubric.title == "d")
        #expect(rubric.instructions == "")
        let a = try #require(rubric.criterion("a"))
        #expect(a.options == [
            Option(value: "low", label: "low", key: "1", description: nil),
            Option(value: "mid", label: "Middle", key: "2", description: "In between."),
            Option(value: "high", label: "high", key: "h", description: nil),
        ])
        #expect(a.required && a.range == nil && a.step == nil && a.when.isEmpty && a.help == nil)
        #expect(a.option(forKey: "h")?.value == "high")
        #expect(a.option(forKey: "3") == nil)
        #expect(rubric.criterion("b")?.required == false)
        #expect(rubric.criterion("c")?.required == true)
        #expect(rubric.criterion("zzz") == nil)
    }

    @Test func tenthOptionGetsZero() throws {
        let rubric = try rubric("""
            name: ten
            criteria:
              - {id: n, question: N?, scale: nominal, options: [a, b, c, d, e, f, g, h, i, j]}
            """)
        #expect(rubric.criteria[0].options.map(\.key) == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"])
    }

    /// YAML 1.1 would read `yes`, `no`, `on` as booleans and `1:30` as 90; rubric values
    /// are kept as written.
    @Test func valuesAreKeptAsWritten() throws {
        let rubric = try rubric("""
            name: v
            criteria:
              - {id: n, question: N?, scale: nominal, options: [yes, no, on, off, 1:30, 007, ~x]}
            """)
        #expect(rubric.criteria[0].options.map(\.value) == ["yes", "no", "on", "off", "1:30", "007", "~x"])
    }

    @Test func blockTextIsTrimmedButKeepsInnerLines() throws {
        let rubric = try rubric("""
            name: t
            instructions: |

              First paragraph.

              Second paragraph.

            criteria:
              - {id: n, question: "  N?  ", scale: text}
            """)
        #expect(rubric.instructions == "First paragraph.\n\nSecond paragraph.")
        #expect(rubric.criteria[0].question == "N?")
    }

    /// A lead can write a shared scale once and reuse it.
    @Test func anchorsAndAliasesWork() throws {
        let rubric = try rubric("""
            name: a
            criteria:
              - id: sharpness
                question: Sharpness?
                scale: ordinal
                options: &five [{value: "1", label: Bad}, {value: "2", label: Poor}, {value: "3", label: Fair}]
              - id: colour
                question: Colour?
                scale: ordinal
                options: *five
            """)
        #expect(rubric.criteria[0].options == rubric.criteria[1].options)
        #expect(rubric.criteria[1].options.map(\.label) == ["Bad", "Poor", "Fair"])
    }

    @Test func scalesKnowTheirShape() {
        #expect(Scale.allCases.filter(\.hasOptions) == [.nominal, .ordinal])
        #expect(Scale.allCases.filter(\.isNumeric) == [.interval, .ratio])
    }
}
