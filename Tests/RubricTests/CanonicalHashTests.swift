import Rubric
import Testing

/// A rubric version is its content hash (docs/rubrics.md, "Versions and hashes"): formatting must
/// not change it, content must.
@Suite struct CanonicalHashTests {
    static let tiny = """
        name: tiny
        title: Tiny "test"
        criteria:
          - id: ok
            question: Is it ok?
            scale: nominal
            options: [yes, no]
          - id: score
            question: Score?
            scale: ratio
            range: [0, 10]
            step: 0.5
            when: {ok: yes}
            help: |
              Line one
              Line two
        """

    /// Written out by hand; the hash below was computed from this text, independently, with
    /// python3 -c 'import hashlib; print(hashlib.sha256(CANON.encode()).hexdigest())', and
    /// Python's json.dumps(json.loads(CANON), sort_keys=True, separators=(",", ":"),
    /// ensure_ascii=False) gives the same text back.
    static let tinyCanonicalJSON = #"""
        {"criteria":[{"id":"ok","options":[{"key":"1","label":"yes","value":"yes"},{"key":"2","label":"no","value":"no"}],"question":"Is it ok?","required":true,"scale":"nominal"},{"help":"Line one\nLine two","id":"score","question":"Score?","range":[0,10],"required":true,"scale":"ratio","step":0.5,"when":{"ok":["yes"]}}],"instructions":"","name":"tiny","title":"Tiny \"test\""}
        """#
    static let tinyHash = "2543de3c680103cb477a8673790b7f997d8b981b4da84088e0421aef72ba29ab"

    @Test func canonicalJSONAndHashOfAFixedText() throws {
        let rubric = try rubric(Self.tiny)
        #expect(rubric.canonicalJSON == Self.tinyCanonicalJSON)
        #expect(rubric.contentHash == Self.tinyHash)
    }

    /// Comments, flow vs block style, quoting, key order, block-scalar style, number
    /// spelling, a one-element list for `when`, and defaults spelled out: one version.
    @Test func reformattingDoesNotChangeTheHash() throws {
        let reformatted = """
            # A comment before everything
            criteria:
              - scale: nominal       # key order differs
                options:
                  - value: "yes"
                    label: "yes"
                    key: "1"
                  - {value: 'no', key: 2, label: no}
                required: true
                question: "Is it ok?"
                id: ok

              - question: >-
                  Score?
                help: "Line one\\nLine two\\n"
                when:
                  ok: ["yes"]
                step: 5e-1
                range:
                  - 0.0
                  - 1e1
                required: True
                scale: ratio
                id: score
            instructions: ""
            title: 'Tiny "test"'
            name: tiny
            """
        #expect(try rubric(reformatted).contentHash == Self.tinyHash)
    }

    @Test(arguments: [
        ("question: Is it ok?", "question: Is it OK?"),
        ("options: [yes, no]", "options: [no, yes]"),
        ("options: [yes, no]", "options: [yes, no, maybe]"),
        ("step: 0.5", "step: 0.25"),
        ("range: [0, 10]", "range: [0, 100]"),
        ("when: {ok: yes}", "when: {ok: [yes, no]}"),
        ("title: Tiny \"test\"", "title: Tiny"),
        ("    help: |", "    required: false\n    help: |"),
    ])
    func changingContentChangesTheHash(original: String, changed: String) throws {
        let edited = Self.tiny.replacingOccurrences(of: original, with: changed)
        #expect(edited != Self.tiny)
        #expect(try rubric(edited).contentHash != Self.tinyHash)
    }

    @Test func whenValuesAreCanonicallyOrdered() throws {
        let a = try rubric(Self.tiny.replacingOccurrences(of: "when: {ok: yes}", with: "when: {ok: [no, yes]}"))
        let b = try rubric(Self.tiny.replacingOccurrences(of: "when: {ok: yes}", with: "when: {ok: [yes, no]}"))
        #expect(a.contentHash == b.contentHash)
        #expect(a.criterion("score")?.when == ["ok": ["yes", "no"]])
    }

    @Test func canonicalJSONRoundTrips() throws {
        let original = try rubric(Self.tiny)
        let restored = try Rubric.fromCanonicalJSON(original.canonicalJSON)
        #expect(restored == original)
        #expect(restored.canonicalJSON == original.canonicalJSON)
        #expect(restored.contentHash == Self.tinyHash)
    }

    @Test func canonicalJSONEscapesAsPythonDoes() throws {
        let yaml = """
            name: esc
            instructions: "tab\\there, line\\nbreak, back\\\\slash, \\"quote\\", é, 🎬, </tag>"
            criteria:
              - {id: a, question: q, scale: text}
            """
        let json = try rubric(yaml).canonicalJSON
        #expect(json.contains(#""instructions":"tab\there, line\nbreak, back\\slash, \"quote\", é, 🎬, </tag>""#))
        #expect(try Rubric.fromCanonicalJSON(json).canonicalJSON == json)
    }

    /// DEL, C1 controls (NEL among them) and other control characters cannot survive the
    /// YAML reader that `fromCanonicalJSON` uses, and no rater needs them: refused up front.
    @Test func controlCharactersAreRefusedInText() {
        let yaml = """
            name: esc
            title: "bell\\a"
            instructions: "del\\x7f nel\\x85"
            criteria:
              - id: a
                question: "line separator\\u2028"
                scale: nominal
                options: ["x\\ty"]
            """
        #expect(problems(yaml) == [
            "r.yaml:2:8: title must not contain control or separator characters other than tab and line break; found U+0007",
            "r.yaml:3:15: instructions must not contain control or separator characters other than tab and line break; found U+007F",
            "r.yaml:6:15: question must not contain control or separator characters other than tab and line break; found U+2028",
            // The TAB is shown escaped (Printable), as every value in a message is.
            #"r.yaml:8:15: option value must be a single line without leading or trailing spaces; found 'x\ty'"#,
        ])
    }

    @Test func fromCanonicalJSONRejectsInvalidContentWithPositions() {
        let json = #"{"criteria":[],"name":"x"}"#
        #expect(throws: RubricErrors.self) { try Rubric.fromCanonicalJSON(json) }
        do {
            _ = try Rubric.fromCanonicalJSON(json)
        } catch let errors as RubricErrors {
            #expect(errors.description == "<canonical JSON>:1:13: criteria must not be empty")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Suite struct RequireFullViewTests {
    static let base = """
    name: tiny
    criteria:
      - id: ok
        question: Is it ok?
        scale: nominal
        options: ["yes", "no"]
    """

    @Test func defaultsToFalseAndLeavesTheHashAlone() throws {
        let plain = try Rubric.parse(Self.base, file: "a.yaml")
        let explicitFalse = try Rubric.parse("require_full_view: false\n" + Self.base, file: "b.yaml")
        #expect(!plain.requireFullView)
        #expect(plain.contentHash == explicitFalse.contentHash)
        #expect(!plain.canonicalJSON.contains("require_full_view"))
    }

    @Test func trueIsANewVersionAndRoundTrips() throws {
        let plain = try Rubric.parse(Self.base, file: "a.yaml")
        let full = try Rubric.parse("require_full_view: true\n" + Self.base, file: "b.yaml")
        #expect(full.requireFullView)
        #expect(full.contentHash != plain.contentHash)
        #expect(full.canonicalJSON.contains(#""require_full_view":true"#))
        let back = try Rubric.fromCanonicalJSON(full.canonicalJSON)
        #expect(back == full)
    }

    @Test func aNonBooleanIsAProblemWithItsLine() throws {
        #expect(throws: RubricErrors.self) { try Rubric.parse("require_full_view: maybe\n" + Self.base, file: "c.yaml") }
        do { _ = try Rubric.parse("require_full_view: maybe\n" + Self.base, file: "c.yaml") } catch let error as RubricErrors {
            #expect(error.description.contains("c.yaml:1"))
            #expect(error.description.contains("require_full_view"))
        }
    }
}
