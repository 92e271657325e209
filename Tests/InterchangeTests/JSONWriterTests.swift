import Foundation
import JSONWriter
import Testing

/// The one JSON writer's two spellings, and the pieces commands compose, value by value
/// (docs/security.md for `.safe`; docs/rubrics.md and docs/adjudication.md for `.canonical`).
@Suite struct JSONWriterTests {
    /// Every class of character: the two escapes and the three short forms JSON has, a C0
    /// control, BS and FF (`\u` in both modes), DEL, C1 and bidi controls (escaped only when
    /// safe), and text beyond ASCII (never escaped).
    static let awkward = "q\" b\\ \n\r\t \u{01}\u{08}\u{0C} \u{7F}\u{85}\u{9B} \u{202E}\u{2066} é ✓"

    @Test func stringsInBothSpellings() {
        #expect(JSON.string(Self.awkward) == #""q\" b\\ \n\r\t \u0001\u0008\u000c \u007f\u0085\u009b \u202e\u2066 é ✓""#)
        #expect(JSON.string(Self.awkward, strings: .canonical)
                == #""q\" b\\ \n\r\t \u0001\u0008\u000c \#u{7F}\#u{85}\#u{9B} \#u{202E}\#u{2066} é ✓""#)
    }

    /// Whole numbers lose their fraction only in canonical text (rubric hashes always spelled
    /// them so); -0 is 0 there; non-finite numbers, which JSON cannot carry, are null.
    @Test func numbersInBothSpellings() {
        let numbers: [Any] = [10.0, -0.0, 0.1, 1e-7, 2.5e20, 3, Int64(-4), Double.nan, Double.infinity]
        #expect(JSON.encode(numbers) == "[10.0,-0.0,0.1,1e-07,2.5e+20,3,-4,null,null]")
        #expect(JSON.encode(numbers, strings: .canonical) == "[10,0,0.1,1e-07,2.5e+20,3,-4,null,null]")
        #expect(JSON.canonicalNumber(-1.5) == "-1.5")
        #expect(JSON.number(1) == "1.0")
    }

    /// Keys by code point, the same in every language and Unicode version: upper case before
    /// lower, and a key spelled with a decomposed "é" (e + U+0301) by its "e", before one with
    /// the precomposed "é" (U+00E9), where Swift's `<`, comparing normalized text, puts it after.
    @Test func keysSortedByCodePoint() {
        let object: [String: Any] = ["\u{E9}a": 1, "e\u{301}x": 2, "Z": 3, "a": true, "n": NSNull()]
        #expect(JSON.encode(object) == "{\"Z\":3,\"a\":true,\"e\u{301}x\":2,\"n\":null,\"\u{E9}a\":1}")
        #expect(JSON.encode(["k": [["b": 1, "a": [nil, "x"] as [Any?]]]]) == #"{"k":[{"a":[null,"x"],"b":1}]}"#)
    }

    @Test func piecesInTheCallersOrder() {
        let fields = [("b", JSON.bool(true)), ("a", JSON.null), ("c", JSON.array([JSON.bool(false), JSON.number(0.5)]))]
        #expect(JSON.object(fields) == #"{"b": true, "a": null, "c": [false, 0.5]}"#)
        #expect(JSON.object(fields, indent: "  ") == "{\n    \"b\": true,\n    \"a\": null,\n    \"c\": [false, 0.5]\n  }")
    }
}
