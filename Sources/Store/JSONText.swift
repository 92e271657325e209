import Foundation

/// A small JSON writer for audit payloads and every JSON the CLI prints: keys sorted, no
/// whitespace, numbers as Swift prints them. The payload text is hashed as written, so it
/// only has to be valid and deterministic; Foundation's JSONSerialization was a sixth of a
/// label commit's time.
///
/// Strings escape every C0 control and DEL, and also the C1 controls (U+0080–U+009F) and
/// the bidi controls (U+202A–U+202E, U+2066–U+2069) as `\uXXXX`: the data is the same to a
/// JSON reader, and a file or pipe someone `cat`s or opens in an editor cannot act on the
/// terminal or reorder what is shown (docs/security.md).
public enum JSONText {
    /// Which characters a string literal escapes.
    public enum Strings: Sendable {
        /// C0, DEL, C1 and bidi controls as `\uXXXX`: everything concord writes.
        case safe
        /// C0 only, as concord wrote before it escaped C1 and bidi controls: the form golden
        /// set versions are computed over (docs/adjudication.md). A version is a hash of this
        /// text, so changing it would change the version of an unchanged golden set.
        case canonical
    }

    public static func encode(_ value: Any?, strings: Strings = .safe) -> String {
        var out = ""
        write(value, strings, to: &out)
        return out
    }

    private static func write(_ value: Any?, _ strings: Strings, to out: inout String) {
        switch value {
        case nil, is NSNull: out += "null"
        case let s as String: string(s, strings, to: &out)
        case let b as Bool: out += b ? "true" : "false"
        case let i as Int: out += String(i)
        case let i as Int64: out += String(i)
        case let i as Int32: out += String(i)
        case let d as Double: out += d.isFinite ? "\(d)" : "null"
        case let a as [Any?]: array(a, strings, to: &out)
        case let a as [Any]: array(a, strings, to: &out)
        case let d as [String: Any]:
            out += "{"
            for (i, key) in d.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                string(key, strings, to: &out)
                out += ":"
                write(d[key]!, strings, to: &out)
            }
            out += "}"
        default: string("\(value!)", strings, to: &out)
        }
    }

    private static func array(_ items: [Any?], _ strings: Strings, to out: inout String) {
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            write(item, strings, to: &out)
        }
        out += "]"
    }

    /// `s` as a JSON string literal, quotes included.
    public static func string(_ s: String) -> String {
        var out = ""
        string(s, .safe, to: &out)
        return out
    }

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
