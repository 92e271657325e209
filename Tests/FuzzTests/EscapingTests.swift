@testable import concord
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
}
