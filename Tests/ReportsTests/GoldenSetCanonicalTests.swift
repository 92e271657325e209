@testable import Reports
import Testing

/// The golden set's canonical line written field by field equals, byte for byte, what
/// `JSON.encode(_, strings: .canonical)` makes of the entry's object — on random entries
/// with the strings that need escaping, non-ASCII option names, nulls, posteriors and a pair
/// item's clip b.
@Suite struct GoldenSetCanonicalTests {
    @Test func theDirectWriterIsTheObjectEncodersLine() {
        var rng = SplitMix(seed: 19)
        let pieces = ["a", "ä", "\"", "\\", "\n", "\u{1}", "\u{7f}", "\u{202e}", "😀", "é", "_", "Z", " ", "/", "\u{2028}", "0"]
        func text(_ n: Int) -> String { (0..<Int(rng.next() % UInt64(n + 1))).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        for _ in 0..<300 {
            let options = (0..<Int(rng.next() % 5)).map { _ in text(4) }
            let posterior: [(value: String, p: Double)]? = rng.next() % 2 == 0 ? nil
                : options.map { ($0, (Double(rng.next() % 1_000_001) / 1e6)) }
            var entry = GoldenSet.Entry(item: Int64(rng.next() % 100_000), clip: text(6), clipSHA256: text(3), criterion: text(4), value: text(4),
                                        rubricHash: text(2), source: ["unanimous", "adjudicated", "consensus:ds"][Int(rng.next() % 3)],
                                        votes: (0..<Int(rng.next() % 6)).map { _ in (text(4), text(3)) },
                                        adjudicator: rng.next() % 2 == 0 ? nil : text(3), reason: rng.next() % 2 == 0 ? nil : "rater_error",
                                        rationale: rng.next() % 2 == 0 ? nil : text(8), posterior: posterior)
            // A pair item's clip b (and its SHA-256), each on its own: a key between clip and
            // clip_sha256 in byte order.
            if rng.next() % 2 == 0 { entry.clipB = text(5) }
            if rng.next() % 2 == 0 { entry.clipBSHA256 = text(3) }
            #expect(entry.canonicalLine == entry.canonicalObjectLine)
        }
    }

    /// A small seeded generator (SplitMix64), so a failure is reproducible.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
