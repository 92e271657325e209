import Printable

/// How concord writes numbers, counts and tables in text meant for people: the reports'
/// renderers and the commands' text output share these, so a value reads the same in a
/// report and on the terminal. Dependency-free: no Foundation, no locale.

/// `value` with exactly `digits` decimals (no Foundation, no locale).
public func fixed(_ value: Double, _ digits: Int) -> String {
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
public func plural(_ count: Int, _ noun: String) -> String {
    guard count != 1 else { return "\(count) \(noun)" }
    if noun.hasSuffix("y"), let before = noun.dropLast().last, !"aeiou".contains(before) { return "\(count) \(noun.dropLast())ies" }
    return "\(count) \(noun)s"
}

/// "95%" for 0.95, "99.5%" for 0.995.
public func percentText(_ fraction: Double) -> String {
    let p = (fraction * 1000).rounded() / 10
    return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
}

/// Left-aligned columns separated by two spaces; display width counts Unicode scalars.
public func table(_ rows: [[String]]) -> String {
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
