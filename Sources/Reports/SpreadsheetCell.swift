import Interchange

/// CSV that people open in a spreadsheet (`report --format csv`, `golden export --format
/// csv`): a cell that starts with `=`, `+`, `-`, `@`, TAB or CR is a formula there — a note
/// "=HYPERLINK(\"https://…\",\"details\")" or "=cmd|' /C calc'!A0" would run in the
/// auditor's spreadsheet. OWASP's rule ("CSV Injection") is to prefix such a cell with `'`,
/// which spreadsheets show as text and do not evaluate.
///
/// Exception: a cell that is a plain decimal number (`-0.25`, `+3`, `1e-5`) stays as it
/// is. A spreadsheet reads it as that number, never as a formula, and the reports' numbers
/// (a negative alpha, a mean signed error) must stay numbers a spreadsheet can compute with.
/// `label export` is not treated: it is exact data for re-import (docs/reports.md,
/// "Spreadsheets").
public enum SpreadsheetCell {
    static let triggers: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    /// `cell`, with a leading `'` when a spreadsheet would read it as a formula.
    static func text(_ cell: String) -> String {
        guard let first = cell.utf8.first, triggers.contains(first), !isPlainNumber(cell) else { return cell }
        return "'" + cell
    }

    /// `[+-]digits[.digits][(e|E)[+-]digits]`, or with the digits only after the point.
    static func isPlainNumber(_ cell: String) -> Bool {
        var bytes = Substring(cell).utf8[...]
        func digits() -> Int {
            var n = 0
            while let b = bytes.first, b >= 0x30 && b <= 0x39 { bytes = bytes.dropFirst(); n += 1 }
            return n
        }
        if let b = bytes.first, b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst(); mantissa += digits() }
        guard mantissa > 0 else { return false }
        if let b = bytes.first, b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// One CSV line of cells made safe for a spreadsheet, then quoted as RFC 4180 asks.
    public static func line(_ cells: [String]) -> String {
        cells.map { CSVField.escape(text($0)) }.joined(separator: ",") + "\n"
    }
}
