/// Which clip of a pair a rater sees on the left (docs/pairwise.md "Position").
///
/// Raters favour one side of the screen; if every rater saw clip a on the left, that bias
/// would be indistinguishable from a being better. So each rater's pair assignments in a
/// batch show a on the left in half of them and b in the other half, in an order no one
/// chose: position bias then averages out of the scores and can be measured per rater.
///
/// The rule, the same on both stores (PostgreSQL's write computes it in the database):
/// a rater who already has `hadA` assignments in the batch with a on the left and `hadB`
/// with b, and gets `count` new ones, will have `total = hadA + hadB + count`; of these,
/// `total / 2` show a on the left, plus one when `total` is odd and the generator's first
/// number is even. The new assignments take as many a-left sides as that needs (none when
/// earlier ones already exceed it, all when they fall short), b-left for the rest, in an
/// order shuffled by Fisher–Yates (position i from count − 1 down to 1 swaps with
/// next() mod (i + 1)). The generator is SplitMix64 seeded with the 64-bit FNV-1a hash of
/// the UTF-8 bytes of `batch`, a NUL, `rater`, a NUL and `hadA + hadB` in decimal: the
/// same assignment made again gets the same sides, and a later round for the same rater
/// does not repeat the earlier round's order.
enum PairSides {
    /// `count` sides in the order of the new assignments: true when clip a is on the left.
    static func sides(batch: String, rater: String, hadA: Int, hadB: Int, count: Int) -> [Bool] {
        guard count > 0 else { return [] }
        var random = SplitMix64(seed: fnv1a(Array(batch.utf8) + [0] + Array(rater.utf8) + [0] + Array(String(hadA + hadB).utf8)))
        let total = hadA + hadB + count
        let extra = total % 2 == 1 && random.next() % 2 == 0 ? 1 : 0
        let newA = min(count, max(0, total / 2 + extra - hadA))
        var sides = [Bool](repeating: true, count: newA) + [Bool](repeating: false, count: count - newA)
        var i = count - 1
        while i > 0 {
            let j = Int(random.next() % UInt64(i + 1))
            sides.swapAt(i, j)
            i -= 1
        }
        return sides
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Vigna's SplitMix64: small, fast, and the same numbers on every platform.
    struct SplitMix64 {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state = state &+ 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }
}
