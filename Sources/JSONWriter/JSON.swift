import Foundation

/// The one JSON writer: audit payloads, golden-set lines, rubric content hashes, exports and
/// every JSON a command prints go through it, so there is one escaping rule and one
/// spelling of each value (docs/security.md, docs/rubrics.md, docs/adjudication.md).
///
/// Its own target at the bottom of the arrows, importing nothing of concord's: Rubric
/// (content hashes), Store (audit payloads), Interchange (exports), Reports and the commands
/// all write JSON, so the writer must sit below every one of them. It is not part of
/// `Printable`, which shows values to people on terminals; JSON keeps values exact for
/// programs and hashes, and escapes only so that a file someone `cat`s stays harmless.
///
/// Two ways to write:
/// - `encode(_:strings:)`: a value tree (`[String: Any]`, arrays, strings, numbers, booleans,
///   nil or `NSNull`) as compact JSON, keys sorted, no whitespace. Hashed text is written
///   this way, so it only has to be valid and deterministic; Foundation's
///   JSONSerialization was a sixth of a label commit's time.
/// - `object`/`array`/`string`/`number`/`bool`: the pieces commands put together in the order
///   they choose, ", " and ": " between tokens, optionally one field per line.
public enum JSON {
    /// Which characters a string literal escapes. Both escape `"`, `\`, LF, CR and TAB as
    /// `\"`, `\\`, `\n`, `\r`, `\t`, and every other C0 control as `\uXXXX`.
    public enum Strings: Sendable {
        /// Also DEL, the C1 controls (U+0080–U+009F) and the bidi controls (U+202A–U+202E,
        /// U+2066–U+2069) as `\uXXXX`: the data is the same to a JSON reader, and a file or
        /// pipe someone `cat`s or opens in an editor cannot act on the terminal or reorder
        /// what is shown (docs/security.md). Everything concord writes, but for:
        case safe
        /// C0 only, as concord wrote before it escaped C1 and bidi controls: the text golden
        /// set versions and rubric content hashes are computed over (docs/adjudication.md,
        /// docs/rubrics.md). A version is a hash of this text, so changing it would change
        /// the version of unchanged content. Whole numbers are written without a fraction
        /// ("10", not "10.0"), as rubric hashes have always spelled them.
        ///
        /// Before this writer was one, rubric hashes were written by a second writer that
        /// spelled BS and FF as `\b` and `\f` where this one writes `\u0008` and `\u000c`.
        /// Rubric text can hold no control character but TAB and LF (docs/rubrics.md), so no
        /// rubric's bytes, and so no hash, differ (CanonicalJSONPinTests pins them).
        case canonical
    }

    // MARK: - A value tree, compact

    /// `value` as compact JSON. Object keys are sorted by Unicode code point (UTF-8 byte
    /// order), as Python and most canonical-JSON definitions sort, whatever the Unicode
    /// version; for the keys concord writes (ASCII names and slugs) that is also the order
    /// Swift's `<` gives. Non-finite numbers, which JSON cannot carry, are written as null.
    public static func encode(_ value: Any?, strings: Strings = .safe) -> String {
        var out = ""
        write(value, strings, to: &out)
        return out
    }

    private static func write(_ value: Any?, _ strings: Strings, to out: inout String) {
        switch value {
        case nil, is NSNull: out += "null"
        case let s as String: string(s, strings, to: &out)
        case let b as Bool: out += bool(b)
        case let i as Int: out += String(i)
        case let i as Int64: out += String(i)
        case let i as Int32: out += String(i)
        case let d as Double: out += !d.isFinite ? "null" : strings == .canonical ? canonicalNumber(d) : "\(d)"
        case let a as [Any?]: items(a, strings, to: &out)
        case let a as [Any]: items(a, strings, to: &out)
        case let d as [String: Any]:
            out += "{"
            for (i, key) in d.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out += "," }
                string(key, strings, to: &out)
                out += ":"
                write(d[key]!, strings, to: &out)
            }
            out += "}"
        default: string("\(value!)", strings, to: &out)
        }
    }

    private static func items(_ items: [Any?], _ strings: Strings, to out: inout String) {
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            write(item, strings, to: &out)
        }
        out += "]"
    }

    // MARK: - Pieces, in the caller's order

    /// `s` as a JSON string literal, quotes included (`.safe`; a separate function, not a
    /// default argument, so `items.map(JSON.string)` reads as it always has).
    public static func string(_ s: String) -> String { string(s, strings: .safe) }

    /// `s` as a JSON string literal in the `strings` spelling.
    public static func string(_ s: String, strings: Strings) -> String {
        var out = ""
        string(s, strings, to: &out)
        return out
    }

    /// Shortest round-trip decimal (Swift's description); never NaN or infinity, which
    /// JSON cannot carry — callers hold `Outcome`s, which are finite by construction.
    public static func number(_ v: Double) -> String {
        precondition(v.isFinite, "non-finite number in JSON output")
        return "\(v)"
    }

    /// The spelling of a number in canonical text: whole numbers without a fraction ("10",
    /// not "10.0"; -0 as "0"), others as Swift's shortest round-tripping form ("0.1",
    /// "1e-07"). Both are valid JSON numbers.
    public static func canonicalNumber(_ v: Double) -> String {
        precondition(v.isFinite, "non-finite number in canonical JSON")
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

    public static func bool(_ b: Bool) -> String { b ? "true" : "false" }

    public static let null = "null"

    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    /// `fields` in the order given; with `indent`, one field per line, indented by it plus
    /// two spaces, and the closing brace at `indent`.
    public static func object(_ fields: [(String, String)], indent: String? = nil) -> String {
        guard let indent else {
            return "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        let inner = indent + "  "
        return "{\n" + fields.map { "\(inner)\(string($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n\(indent)}"
    }

    // MARK: - Strings

    private static func string(_ s: String, _ strings: Strings, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (strings == .safe && escapedWhenSafe(scalar)):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// DEL, C1 and the bidi controls.
    private static func escapedWhenSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
