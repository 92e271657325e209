/// JSON written straight into one byte buffer, for output with tens of thousands of values
/// (`concord mos` on a million ratings lists 10,000 clips): `JSON.object` and `JSON.string`
/// make a `String` per piece and join them, which cost more than the model. The spelling is
/// `JSON`'s, byte for byte: `string` is `JSON.string` (`.safe`), `number` is `JSON.number`,
/// and the punctuation is whatever the caller appends.
public struct JSONBytes {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Text as it is (punctuation, keys already quoted, whitespace).
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text already written as JSON (by `JSON`).
    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// `JSON.string(s)`: printable ASCII other than '"' and '\' is copied as it is; a
    /// string with anything else is spelled by `JSON.string` itself.
    public mutating func string(_ s: String) {
        var plain = true
        for byte in s.utf8 where byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        guard plain else { return raw(JSON.string(s)) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: s.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `JSON.number(v)`: Swift's shortest round-trip spelling, written by the standard
    /// library into this buffer (the same text `"\(v)"` gives).
    public mutating func number(_ v: Double) {
        precondition(v.isFinite, "non-finite number in JSON output")
        v.write(to: &self)
    }

    /// `"\(n)"` (a small string: no allocation).
    public mutating func integer(_ n: Int) { bytes.append(contentsOf: String(n).utf8) }
}

extension JSONBytes: TextOutputStream {
    public mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    /// What `Double.write(to:)` calls with the digits it formatted on the stack: taking them
    /// as bytes spares a `String` per number. (Without this the default makes one and calls
    /// `write(_:)`: the same bytes.)
    public mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}
