/// Values from users' files (clip names, CSV cells, rubric text, arguments) reach terminals
/// inside messages. A raw ESC sequence there acts on the terminal — `ESC ] 0 ; … BEL` sets
/// the window title, `ESC ] 52 ; c ; …` writes the clipboard, `ESC [ 2 J` clears the
/// screen — and a bidi override or a CR makes a line read as something it is not. So every
/// value is shown through these functions, in one notation (docs/security.md, "Values on a
/// terminal"):
///
/// | shown as | for |
/// |---|---|
/// | `\\` | a backslash, so an escape in the output can never be confused with the value's own text |
/// | `\t` `\n` `\r` | TAB, LF, CR |
/// | `\e` | ESC |
/// | `\x01` … `\x1F`, `\x7F` | the other C0 controls and DEL, two hex digits |
/// | `\u{0085}`, `\u{202E}`, … | C1 controls (U+0080–U+009F), bidi controls (U+202A–U+202E, U+2066–U+2069) and every other invisible format character or line/paragraph separator (Unicode categories Cc, Cf, Zl, Zp), at least four hex digits |
///
/// Everything else, accented letters and other scripts included, is shown as it is.

/// `text` with every control, format and separator character escaped, and backslashes
/// doubled: safe to print on a terminal, one line, and read back unambiguously.
public func printableText(_ text: some StringProtocol) -> String {
    escape(text, doublingBackslashes: true, keepingNewlines: false)
}

/// The most characters of a value a message quotes: enough to recognise it, while 100 rows
/// with a 100 KB name print a few KB of errors, not megabytes.
public let quotedLimit = 80

/// `value` as messages quote it: between single quotes, escaped as `printableText`, and
/// past `quotedLimit` Unicode scalars cut there and followed by "… (N bytes)", N the whole
/// value's UTF-8 length ("'abc…xyz'… (102400 bytes)"). Scalars, not Characters, because one
/// Character can hold any number of combining marks.
public func quoted(_ value: some StringProtocol) -> String {
    "'" + printableCut(value) + "'" + cutNote(value)
}

/// `value` as `quoted` shows it, without the quotes: for names printed bare ("item 3: NAME").
public func printableCut(_ value: some StringProtocol) -> String {
    let scalars = value.unicodeScalars
    guard scalars.count > quotedLimit else { return printableText(value) }
    var head = String.UnicodeScalarView()
    head.append(contentsOf: scalars.prefix(quotedLimit))
    return printableText(String(head))
}

/// "… (N bytes)" when `printableCut`/`quoted` cut `value`, else "".
func cutNote(_ value: some StringProtocol) -> String {
    value.unicodeScalars.count > quotedLimit ? "… (\(value.utf8.count) bytes)" : ""
}

/// A whole message, possibly of several lines, made safe at the point it is printed: the
/// last guard for a value some message forgot to quote. Line breaks stay; every other
/// character `printableText` escapes is escaped the same way, but backslashes are left as
/// they are, so a message whose values were already escaped is unchanged (`safeLines` of
/// its own output is itself).
public func safeLines(_ message: some StringProtocol) -> String {
    escape(message, doublingBackslashes: false, keepingNewlines: true)
}

/// One line of a full-screen display made safe where it is drawn: as `safeLines`, with
/// line breaks escaped too (a row holds one line).
public func safeLine(_ text: some StringProtocol) -> String {
    escape(text, doublingBackslashes: false, keepingNewlines: false)
}

/// Whether `scalar` is shown escaped: C0, DEL, C1, and the invisible format and separator
/// characters (bidi controls among them).
public func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x20 || scalar.value == 0x7F { return true }
    if scalar.value < 0x80 { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator: return true
    default: return false
    }
}

private func escape(_ text: some StringProtocol, doublingBackslashes: Bool, keepingNewlines: Bool) -> String {
    // Most values need nothing: printable ASCII is checked byte-wise and returned as it is.
    let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && !(doublingBackslashes && $0 == 0x5C) }
    if plain { return String(text) }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if scalar == "\\" && doublingBackslashes {
            out.append(contentsOf: #"\\"#.unicodeScalars)
        } else if scalar == "\n" && keepingNewlines {
            out.append(scalar)
        } else if needsEscape(scalar) {
            out.append(contentsOf: escapeSequence(scalar).unicodeScalars)
        } else {
            out.append(scalar)
        }
    }
    return String(out)
}

private func escapeSequence(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\t": return #"\t"#
    case "\n": return #"\n"#
    case "\r": return #"\r"#
    case "\u{1B}": return #"\e"#
    default: break
    }
    let hex = String(scalar.value, radix: 16, uppercase: true)
    if scalar.value < 0x80 { return #"\x"# + (hex.count < 2 ? "0" : "") + hex }
    return #"\u{"# + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
}
