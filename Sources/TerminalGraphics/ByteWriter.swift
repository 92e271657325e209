/// Appending ASCII and decimal numbers to a byte buffer without going through `String`.
///
/// Encoders build kilobytes of escape sequences per frame; formatting each number through
/// string interpolation would allocate per call, this does not.
extension Array where Element == UInt8 {
    @inline(__always) mutating func append(ascii s: StaticString) {
        s.withUTF8Buffer { self.append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(decimal n: Int) {
        precondition(n >= 0, "only non-negative numbers are written")
        if n < 10 { append(UInt8(48 + n)); return }
        if n < 100 { append(UInt8(48 + n / 10)); append(UInt8(48 + n % 10)); return }
        var divisor = 100
        while divisor <= n / 10 { divisor *= 10 }
        var v = n
        while divisor > 0 { append(UInt8(48 + v / divisor)); v %= divisor; divisor /= 10 }
    }

    /// The SGR that sets a cell's foreground (38) or background (48) colour: `2;R;G;B` for
    /// 24-bit (`code` = 0xRRGGBB), `5;N` for the 256-colour palette (`code` = N). One writer
    /// for the half-block renderer and its cell diff (`CellPicture`), so both spell colours
    /// byte for byte alike.
    mutating func appendColorSGR(foreground: Bool, code: Int, trueColor: Bool) {
        append(ascii: "\u{1B}[")
        append(ascii: foreground ? "38;" : "48;")
        if trueColor {
            append(ascii: "2;")
            append(decimal: code >> 16); append(UInt8(ascii: ";"))
            append(decimal: (code >> 8) & 255); append(UInt8(ascii: ";"))
            append(decimal: code & 255)
        } else {
            append(ascii: "5;"); append(decimal: code)
        }
        append(UInt8(ascii: "m"))
    }
}
