/// Interns byte strings (CSV fields) to dense integer ids without making a `String` per
/// field: a million-row ratings file has a million unit fields but only as many distinct
/// units, so Strings are made once per distinct value (`names()`).
struct ByteInterner {
    private var storage: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing, linear probing; slot holds id + 1, 0 = empty. Power-of-two size.
    private var slots: [Int32] = Array(repeating: 0, count: 64)

    var count: Int { hashes.count }

    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = ByteInterner.hash(bytes)
        var mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let id = Int(slots[i] - 1)
            if hashes[id] == h && equal(id, bytes) { return Int32(id) }
            i = (i + 1) & mask
        }
        let id = Int32(hashes.count)
        hashes.append(h)
        storage.append(contentsOf: bytes)
        starts.append(storage.count)
        slots[i] = id + 1
        if hashes.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
        }
        return id
    }

    /// The distinct values, by id (invalid UTF-8 has been rejected before interning).
    func names() -> [String] {
        (0..<count).map { id in String(decoding: storage[starts[id]..<starts[id + 1]], as: UTF8.self) }
    }

    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        var j = 0
        while j < bytes.count {
            if storage[start + j] != bytes[j] { return false }
            j += 1
        }
        return true
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for id in 0..<hashes.count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while bigger[i] != 0 { i = (i + 1) & mask }
            bigger[i] = Int32(id + 1)
        }
        slots = bigger
    }

    /// FNV-1a with a final avalanche (murmur3's fmix64), so linear probing on the low bits
    /// of sequential names like u000123 does not cluster.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
