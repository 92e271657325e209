import Crypto

/// SHA-256 over rows in a canonical encoding: one line per row, values typed so that
/// 1 (integer), 1.0 (real) and "1" (text) differ, separators escaped inside text. The same
/// encoder hashes rows as they are written and as `audit verify` reads them back.
struct RowDigest {
    enum Value {
        case null
        case int(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
    }

    private var hasher = SHA256()
    private var line: [UInt8] = []

    init() { line.reserveCapacity(256) }

    mutating func row(_ values: [Value]) {
        line.removeAll(keepingCapacity: true)
        for (i, value) in values.enumerated() {
            if i > 0 { line.append(0x1F) }   // unit separator; escaped inside text below
            switch value {
            case .null: line.append(0x4E)                                                  // N
            case .int(let v): line.append(0x49); appendDecimal(v)                          // I…
            case .real(let v): line.append(0x44); line.append(contentsOf: String(v.bitPattern, radix: 16).utf8) // D…
            case .text(var s):
                line.append(0x53)                                                          // S…
                s.withUTF8 { bytes in
                    // Most text has nothing to escape: copy it whole.
                    if !bytes.contains(where: { $0 == 0x5C || $0 == 0x1F || $0 == 0x0A }) {
                        line.append(contentsOf: bytes)
                        return
                    }
                    for b in bytes {
                        switch b {
                        case 0x5C: line.append(0x5C); line.append(0x5C)
                        case 0x1F: line.append(0x5C); line.append(0x75)
                        case 0x0A: line.append(0x5C); line.append(0x6E)
                        default: line.append(b)
                        }
                    }
                }
            case .blob(let bytes): line.append(0x42); line.append(contentsOf: Audit.hex(bytes).utf8)  // B…
            }
        }
        line.append(0x0A)
        line.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    func finish() -> String { Audit.hex(hasher.finalize()) }

    /// Decimal digits of `v`, as String(v) would write them, without making a String.
    private mutating func appendDecimal(_ v: Int64) {
        if v < 0 { line.append(0x2D) }
        var magnitude = v.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            line.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
