import Foundation

/// A small JSON writer for audit payloads: keys sorted, no whitespace, numbers as Swift
/// prints them. The payload text is hashed as written, so it only has to be valid and
/// deterministic; Foundation's JSONSerialization was a sixth of a label commit's time.
public enum JSONText {
    public static func encode(_ value: Any?) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    private static func write(_ value: Any?, to out: inout String) {
        switch value {
        case nil, is NSNull: out += "null"
        case let s as String: string(s, to: &out)
        case let b as Bool: out += b ? "true" : "false"
        case let i as Int: out += String(i)
        case let i as Int64: out += String(i)
        case let i as Int32: out += String(i)
        case let d as Double: out += d.isFinite ? "\(d)" : "null"
        case let a as [Any?]: array(a, to: &out)
        case let a as [Any]: array(a, to: &out)
        case let d as [String: Any]:
            out += "{"
            for (i, key) in d.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                string(key, to: &out)
                out += ":"
                write(d[key]!, to: &out)
            }
            out += "}"
        default: string("\(value!)", to: &out)
        }
    }

    private static func array(_ items: [Any?], to out: inout String) {
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            write(item, to: &out)
        }
        out += "]"
    }

    /// `s` as a JSON string literal, quotes included.
    public static func string(_ s: String) -> String {
        var out = ""
        string(s, to: &out)
        return out
    }

    private static func string(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
