#if canImport(Glibc)
import Glibc
#endif
import Printable

/// Machine formats (CSV, JSON Lines, JSON) keep their data exact in a file or a pipe, where
/// a program reads them. On a terminal a person reads them, and a value's raw ESC sequence
/// or bidi override would act on that terminal: there they are shown escaped, as `ls`
/// escapes file names only when it writes to a terminal (docs/security.md).
enum TerminalView {
    /// Whether output for `--out PATH` (nil or "-": standard output) lands on a terminal.
    static func isTerminal(out: String?) -> Bool {
        (out == nil || out == "-") && isatty(1) == 1
    }

    /// A CSV field as a terminal shows it: `printableText`'s notation, so a field is always
    /// one line and nothing in it is a control character.
    static func csvField(_ value: String) -> String { printableText(value) }

    /// JSON text with every character `Printable` escapes written as a JSON `\uXXXX` escape
    /// (a surrogate pair above U+FFFF), line breaks between records kept. Inside a string
    /// this is the same data to a JSON reader; JSON has no such characters outside strings.
    static func json(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\n" && needsEscape($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard scalar != "\n", needsEscape(scalar) else { out.append(scalar); continue }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            }
        }
        return String(out)
    }
}
