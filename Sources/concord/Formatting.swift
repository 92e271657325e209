import Store

/// Small, dependency-free formatting helpers shared by the commands.

/// `value` with exactly `digits` decimals (no Foundation, no locale).
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let negative = value < 0 && scaled != 0
    var whole = String(Int(scaled / scale))
    var fraction = String(Int(scaled.truncatingRemainder(dividingBy: scale)))
    while fraction.count < digits { fraction = "0" + fraction }
    if negative { whole = "-" + whole }
    return digits == 0 ? whole : "\(whole).\(fraction)"
}

/// "1 item", "2 items"; "1 entry", "9 entries" (a consonant and y take "ies").
func plural(_ count: Int, _ noun: String) -> String {
    guard count != 1 else { return "\(count) \(noun)" }
    if noun.hasSuffix("y"), let before = noun.dropLast().last, !"aeiou".contains(before) { return "\(count) \(noun.dropLast())ies" }
    return "\(count) \(noun)s"
}

/// "95%" for 0.95, "99.5%" for 0.995.
func percentText(_ fraction: Double) -> String {
    let p = (fraction * 1000).rounded() / 10
    return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
}

/// Left-aligned columns separated by two spaces; display width counts Unicode scalars.
func table(_ rows: [[String]]) -> String {
    // Cells can hold values from users' files (category labels, clip and rater names): a CR
    // or ESC in one must not act on the terminal the table is printed to. Escaped but not
    // cut: cells also hold concord's own readings, which are shown whole.
    let rows = rows.map { $0.map { printableText($0) } }
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count) } }
    return rows.map { row in
        var line = ""
        for (i, cell) in row.enumerated() {
            line += cell
            if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.unicodeScalars.count + 2) }
        }
        return line
    }.joined(separator: "\n") + "\n"
}

enum CSVField {
    /// Quotes a field when it holds a comma, quote or line break (RFC 4180), or starts or
    /// ends with a space or tab (which `CSVTokenizer` trims from unquoted fields).
    ///
    /// Byte- and scalar-wise, not by Character: a quote followed by a combining mark is one
    /// Character that is not `"`, and fuzzing found that such a value was written unquoted
    /// or with its quote undoubled — a file `label import` then refused or misread.
    static func escape(_ field: String) -> String {
        let bytes = field.utf8
        let needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || bytes.first == 0x20 || bytes.first == 0x09 || bytes.last == 0x20 || bytes.last == 0x09
        guard needsQuotes else { return field }
        var out = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
        }
        return out + "\""
    }
}

enum JSON {
    /// A JSON string literal (Store's writer: one escaping rule for every JSON concord writes).
    static func string(_ s: String) -> String { JSONText.string(s) }

    /// Shortest round-trip decimal (Swift's description); never NaN or infinity, which
    /// JSON cannot carry — callers hold `Outcome`s, which are finite by construction.
    static func number(_ v: Double) -> String {
        precondition(v.isFinite, "non-finite number in JSON output")
        return "\(v)"
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    static func object(_ fields: [(String, String)], indent: String? = nil) -> String {
        guard let indent else {
            return "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        let inner = indent + "  "
        return "{\n" + fields.map { "\(inner)\(string($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n\(indent)}"
    }
}

extension String {
    /// Replaces every occurrence of `target` (Foundation-free), matching Unicode scalars,
    /// not Characters: a `"` followed by a combining mark is one Character that is not `"`,
    /// and escaping for HTML or CSV must still catch the quote in it.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.unicodeScalars)
        guard !t.isEmpty else { return self }
        let s = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == t[0], i + t.count <= s.count, s[i..<(i + t.count)].elementsEqual(t) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }
}
