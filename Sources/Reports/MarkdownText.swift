/// Values from users (notes, reasons, clip, rater and batch names, category labels) written
/// into the Markdown report as inert text.
///
/// A note "ok\n\n# Approved\n[details](https://…)<iframe …>" must not become a heading, a
/// link or live HTML in the auditor's viewer, and must stay inside its table cell. So:
/// - every character CommonMark can give a meaning inline or at a line's start is
///   backslash-escaped (CommonMark lets a backslash escape any ASCII punctuation, and the
///   escaped character is then literal): `\ ` * _ { } [ ] ( ) # . ! | < > & ~ : @`
///   (`&` would start an entity, `~` strikethrough, `:`, `.` and `@` GFM's bare autolinks),
///   and `+` and `-` where the value starts (list markers; later in a line they mean
///   nothing, so "ego-response" stays readable);
/// - line breaks (LF, CR, CRLF, U+2028, U+2029, U+0085) become "␤", so the text stays on
///   its line and in its cell;
/// - other controls and invisible format characters (ESC, bidi overrides) are shown as
///   `\e`, `\x01`, `\u{202E}` — the notation of messages on a terminal.
/// docs/reports.md ("Values in the reports") lists these rules.
enum MarkdownText {
    static let specials = Set("\\`*_{}[]()#.!|<>&~:@".unicodeScalars)
    static let leading = Set("+-".unicodeScalars)

    static func escape(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in value.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            if scalar == "\n" && previousCR { continue }   // CRLF is one break
            switch scalar {
            case "\n", "\r", "\u{2028}", "\u{2029}", "\u{85}":
                out.append("␤")
            case "\t":
                out.append(" ")
            case _ where specials.contains(scalar) || (out.isEmpty && leading.contains(scalar)):
                out.append("\\")
                out.append(scalar)
            case _ where isHidden(scalar):
                out.append(contentsOf: "\\\\".unicodeScalars)   // a literal backslash, then the code
                out.append(contentsOf: code(scalar).unicodeScalars)
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// C0, DEL, C1 and the invisible format and separator characters (bidi controls among them).
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// "e" for ESC, "x01" for C0 and DEL, "u{202E}" for the rest (after the backslash).
    static func code(_ scalar: Unicode.Scalar) -> String {
        if scalar == "\u{1B}" { return "e" }
        var hex = String(scalar.value, radix: 16, uppercase: true)
        if scalar.value < 0x80 { return "x" + (hex.count < 2 ? "0" : "") + hex }
        while hex.count < 4 { hex = "0" + hex }
        return "u{\(hex)}"
    }

    /// A pipe table whose cells are already Markdown (escaped values and concord's own text).
    static func table(_ rows: [[String]]) -> String {
        guard let head = rows.first else { return "" }
        return "| " + head.joined(separator: " | ") + " |\n|" + head.map { _ in " --- |" }.joined() + "\n"
            + rows.dropFirst().map { "| " + $0.joined(separator: " | ") + " |\n" }.joined()
    }
}
