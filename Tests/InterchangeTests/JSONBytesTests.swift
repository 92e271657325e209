import JSONWriter
import Testing

/// `JSONBytes`, the byte-buffer fast path of the JSON writer, spells every string, number
/// and integer exactly as `JSON` does: output that used to be put together from `JSON`'s
/// strings keeps its bytes.
@Suite struct JSONBytesTests {
    @Test func stringsAreSpelledAsJSONStringSpellsThem() {
        let strings = ["", "clip0", "rater 17", "a\"b", "back\\slash", "tab\there", "line\nbreak", "cr\r", "\u{1}\u{1F}",
                       "del\u{7F}", "c1\u{85}", "bidi\u{202E}x\u{2066}", "café", "名前", "🎬 clip", "~!@#$%^&*()_+{}|:<>?`-=[];',./"]
        for s in strings {
            var out = JSONBytes()
            out.string(s)
            #expect(out.bytes == Array(JSON.string(s).utf8), "\(s.debugDescription)")
        }
        var plain = JSONBytes()
        plain.string("clip0")
        #expect(plain.bytes == Array("\"clip0\"".utf8))
    }

    @Test func numbersAreSwiftsShortestRoundTripAsJSONNumberSpellsThem() {
        var values: [Double] = [0, -0.0, 1, 5, 0.1, 1e-7, 1e22, 1.8586213071796889, -0.2589913603218797, 123456789012345680,
                                .leastNonzeroMagnitude, .greatestFiniteMagnitude, .leastNormalMagnitude, -.ulpOfOne]
        var state: UInt64 = 18
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let v = Double(bitPattern: state)
            if v.isFinite { values.append(v) }
            values.append(Double(state >> 11) / Double(1 << 53) * 5)
        }
        for v in values {
            var out = JSONBytes()
            out.number(v)
            #expect(out.bytes == Array(JSON.number(v).utf8), "\(v)")
        }
        var one = JSONBytes()
        one.number(2.5)
        #expect(one.bytes == Array("2.5".utf8))
    }

    @Test func integersAndRawTextAsTheyAre() {
        for n in [0, 7, 91, -3, 1_000_000, Int.max, Int.min] {
            var out = JSONBytes()
            out.integer(n)
            #expect(out.bytes == Array("\(n)".utf8))
        }
        var out = JSONBytes(capacity: 8)
        out.raw("{\"n\": ")
        out.integer(91)
        out.raw(String("}"))
        #expect(out.bytes == Array("{\"n\": 91}".utf8))
    }
}
