/// What text the project file stores: anything but NUL and the C0 control characters other
/// than TAB and LF.
///
/// A NUL is stored whole but read back cut short (SQLite's C strings end at it), so the
/// audit digest of the row read back never matches the one written, `audit verify` fails
/// for ever after, and an import of the same value looks changed each time. The other C0
/// controls (ESC, CR, BEL, …) act on the terminal of whoever later reads the value. Every
/// value imported or typed is checked here before anything is written.
public enum StoredText {
    /// Why `text` cannot be stored, or nil: "contains NUL (U+0000) at character 4; …".
    public static func problem(_ text: String) -> String? {
        // Fast path: most values are plain text (a million-row import checks each).
        guard text.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A }) else { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let named = names[scalar.value].map { "\($0) (U+\(String(repeating: "0", count: 4 - code.count))\(code))" }
                ?? "U+\(String(repeating: "0", count: 4 - code.count))\(code)"
            return "contains the control character \(named) at character \(offset + 1); "
                + "a value may hold tabs and line feeds but no other control character: remove it"
        }
        return nil
    }

    /// Throws when `text` cannot be stored, naming it as `what` ("the note", "present").
    static func check(_ text: String?, _ what: String) throws {
        if let text, let problem = problem(text) { throw StoreError.input("\(what) \(problem)") }
    }

    private static let names: [UInt32: String] = [0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF",
                                                  0x0D: "CR", 0x1B: "ESC"]
}
