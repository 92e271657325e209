@testable import concord
@testable import Reports
import JSONWriter
import Store
import Testing

/// Escaping works on Unicode scalars (a fuzz finding): a quote followed by a combining mark
/// is one Character that is not a quote, and must still be escaped in HTML and CSV.
@Suite struct EscapingTests {
    @Test func quoteWithACombiningMarkIsEscaped() {
        let hostile = "a\"\u{301} onmouseover=x <b>"
        let html = ReportRender.esc(hostile)
        #expect(!html.unicodeScalars.contains("\""))
        #expect(!html.contains("<b>"))
        #expect(html == "a&quot;\u{301} onmouseover=x &lt;b&gt;")
        #expect("x\u{301}yx\u{301}".replacingAll("x", with: "-") == "-\u{301}y-\u{301}")
        #expect("abc".replacingAll("", with: "-") == "abc")
    }

    // MARK: - Values shown on a terminal (issue 14)

    /// The three sequences that acted on the terminal when `clip add` printed a clip name,
    /// a bell, a bidi override and a backslash: each in the documented notation.
    @Test func printableTextEscapesEveryTerminalControl() {
        #expect(printableText("a\u{1B}]0;pwned\u{07}b") == #"a\e]0;pwned\x07b"#)
        #expect(printableText("\u{1B}]52;c;cm0gLXJmIH4=\u{07}") == #"\e]52;c;cm0gLXJmIH4=\x07"#)
        #expect(printableText("\u{1B}[2J") == #"\e[2J"#)
        #expect(printableText("tab\there\nCR\r") == #"tab\there\nCR\r"#)
        #expect(printableText("nul\u{0}del\u{7F}") == #"nul\x00del\x7F"#)
        #expect(printableText("c1\u{85}csi\u{9B}2J") == #"c1\u{0085}csi\u{009B}2J"#)
        #expect(printableText("gpj.\u{202E}exe") == #"gpj.\u{202E}exe"#)
        #expect(printableText("\u{2066}x\u{2069}\u{202A}\u{202D}") == #"\u{2066}x\u{2069}\u{202A}\u{202D}"#)
        #expect(printableText(#"a\eb"#) == #"a\\eb"#)
        #expect(printableText("zoë 東京 ✓") == "zoë 東京 ✓")
        #expect(printableText("plain ascii") == "plain ascii")
    }

    /// Every scalar the issue names is escaped, and nothing raw is left of any of them.
    @Test func noControlScalarSurvives() {
        let controls = Array(0x00...0x1F) + [0x7F] + Array(0x80...0x9F) + Array(0x202A...0x202E) + Array(0x2066...0x2069)
        for value in controls {
            let scalar = Unicode.Scalar(UInt32(value))!
            let shown = printableText("<" + String(Character(scalar)) + ">")
            #expect(shown.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "U+\(String(value, radix: 16)) → \(shown.debugDescription)")
            #expect(shown.hasPrefix("<\\") && shown.hasSuffix(">"))
        }
    }

    /// A value is quoted whole (`Printable.` because this target's CSV fuzzer has a
    /// `quoted` of its own) up to 80 scalars; past that, its first 80 and its length.
    @Test func quotedCutsAt80Scalars() {
        #expect(Printable.quoted("bob") == "'bob'")
        #expect(Printable.quoted("a\u{1B}[2Jb") == #"'a\e[2Jb'"#)
        let eighty = String(repeating: "x", count: 80)
        #expect(Printable.quoted(eighty) == "'\(eighty)'")
        #expect(Printable.quoted(eighty + "y") == "'\(eighty)'… (81 bytes)")
        let big = String(repeating: "é", count: 51_200)
        #expect(Printable.quoted(big) == "'" + String(repeating: "é", count: 80) + "'… (102400 bytes)")
        // Scalars, not Characters: one Character of 100,000 combining marks is still cut.
        let zalgo = "a" + String(repeating: "\u{301}", count: 100_000)
        let cut = Printable.quoted(zalgo)
        #expect(cut.unicodeScalars.count == 82 + "… (200001 bytes)".unicodeScalars.count)
        #expect(cut == "'a" + String(repeating: "\u{301}", count: 79) + "'… (200001 bytes)")
        #expect(printableCut(eighty + "\u{1B}") == eighty)
    }

    /// The sink's guard keeps line breaks, escapes the rest, and leaves already escaped
    /// text as it is.
    @Test func safeLinesKeepsLinesAndIsIdempotent() {
        let message = "clip \u{1B}]0;t\u{07}: bad\nsecond \u{202E}line\ttab"
        let safe = safeLines(message)
        #expect(safe == #"clip \e]0;t\x07: bad"# + "\n" + #"second \u{202E}line\ttab"#)
        #expect(safeLines(safe) == safe)
        #expect(safeLines(Printable.quoted("a\\b\u{1B}")) == #"'a\\b\e'"#)
        // One row of the workbench: the line break is escaped as well.
        #expect(safeLine("a\nb\\c\u{9B}") == #"a\nb\c\u{009B}"#)
    }

    /// JSON: C1, DEL and bidi controls as \u escapes in everything concord prints; the
    /// canonical form golden versions hash keeps its old spelling.
    @Test func jsonEscapesC1AndBidi() {
        #expect(JSON.string("a\u{1B}b\u{7F}c\u{85}d\u{9B}e\u{202E}f\u{2066}g\u{2069}") ==
                #""a\u001bb\u007fc\u0085d\u009be\u202ef\u2066g\u2069""#)
        #expect(JSON.encode(["k\u{202E}": ["\u{9B}"]]) == #"{"k\u202e":["\u009b"]}"#)
        #expect(JSON.encode(["k\u{202E}": ["\u{9B}\u{7F}\u{1B}"]], strings: .canonical) == "{\"k\u{202E}\":[\"\u{9B}\u{7F}\\u001b\"]}")
        #expect(JSON.string("zoë ✓ \u{200F}") == "\"zoë ✓ \u{200F}\"")
    }
}
