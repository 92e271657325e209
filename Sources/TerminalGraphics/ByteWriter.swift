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
}
