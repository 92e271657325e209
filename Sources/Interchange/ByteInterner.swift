/// Interns byte strings (CSV fields) to dense integer ids without making a `String` per
/// field: a million-row ratings file has a million unit fields but only as many distinct
/// units, so Strings are made once per distinct value (`names()`). Ids are given in order
/// of first appearance, whatever the hash.
///
/// Most names are at most eight bytes (u0123, rater17, 5): each name's first eight bytes are
/// kept as one word (`keys`), so a field is compared with a name by its length and one word,
/// and hashed from that word, without a loop over its bytes.
struct ByteInterner {
    private var storage: [UInt8] = []
    private var starts: [Int] = [0]
    private var keys: [UInt64] = []
    private var hashes: [UInt64] = []
    /// Open addressing, linear probing; slot holds id + 1, 0 = empty. Power-of-two size.
    private var slots: [Int32] = Array(repeating: 0, count: 64)
    /// The id returned last (-1 before the first).
    private var last: Int32 = -1

    var count: Int { hashes.count }

    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        intern(bytes, bytes.startIndex, bytes.endIndex)
    }

    /// Interns `buffer[start..<end]`; the rest of `buffer` may be read past `end` (a word at
    /// a time, masked), never past the buffer.
    mutating func intern(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32 {
        let key = Self.key(buffer, start, end)
        // Ratings files are written sorted: a field mostly repeats the last one (the unit of a
        // unit's hundred rows) or is the one first seen after it (rater after rater). Both are
        // checked before hashing.
        if last >= 0 {
            if equal(Int(last), key, buffer, start, end) { return last }
            let next = Int(last) + 1 == count ? 0 : last + 1
            if equal(Int(next), key, buffer, start, end) { last = next; return next }
        }
        let h = Self.hash(key, buffer, start, end)
        var mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let id = Int(slots[i] - 1)
            if hashes[id] == h && equal(id, key, buffer, start, end) { last = Int32(id); return Int32(id) }
            i = (i + 1) & mask
        }
        let id = Int32(hashes.count)
        hashes.append(h)
        keys.append(key)
        storage.append(contentsOf: buffer[start..<end])
        starts.append(storage.count)
        slots[i] = id + 1
        if hashes.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
        }
        last = id
        return id
    }

    /// The bytes of `id`, for handing to another interner (chunks merged in order).
    func withBytes<R>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[starts[id]..<starts[id + 1]])) }
    }

    /// The distinct values, by id (invalid UTF-8 has been rejected before interning).
    func names() -> [String] {
        (0..<count).map { id in String(decoding: storage[starts[id]..<starts[id + 1]], as: UTF8.self) }
    }

    /// The first (up to) eight bytes of `buffer[start..<end]` as a little-endian word, the
    /// rest zero: one load where eight bytes can be read, byte by byte only at the buffer's end.
    @inline(__always)
    private static func key(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let n = end - start
        if start + 8 <= buffer.count {
            let word = UInt64(littleEndian: UnsafeRawBufferPointer(buffer).loadUnaligned(fromByteOffset: start, as: UInt64.self))
            return n >= 8 ? word : word & ((1 << (8 * UInt64(n))) - 1)
        }
        var key: UInt64 = 0
        for k in 0..<min(n, 8) { key |= UInt64(buffer[start + k]) << (8 * UInt64(k)) }
        return key
    }

    @inline(__always)
    private func equal(_ id: Int, _ key: UInt64, _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let stored = starts[id], length = starts[id + 1] - stored
        guard length == end - start && keys[id] == key else { return false }
        guard length > 8 else { return true }
        return storage.withUnsafeBytes { storage in
            let given = UnsafeRawBufferPointer(buffer)
            var k = 8
            while k + 8 <= length {
                if storage.loadUnaligned(fromByteOffset: stored + k, as: UInt64.self)
                    != given.loadUnaligned(fromByteOffset: start + k, as: UInt64.self) { return false }
                k += 8
            }
            while k < length {
                if storage[stored + k] != given[start + k] { return false }
                k += 1
            }
            return true
        }
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

    /// The first word and the length, then any further bytes, mixed with murmur3's fmix64
    /// avalanche so linear probing on the low bits of sequential names like u000123 does not
    /// cluster.
    @inline(__always)
    private static func hash(_ key: UInt64, _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h = (key ^ UInt64(end - start) << 59) &* 0x9e37_79b9_7f4a_7c15
        var k = start + 8
        while k < end {
            let word = k + 8 <= end
                ? UnsafeRawBufferPointer(buffer).loadUnaligned(fromByteOffset: k, as: UInt64.self) : UInt64(buffer[k])
            h = (((h << 29) | (h >> 35)) ^ word) &* 0x9e37_79b9_7f4a_7c15
            k += k + 8 <= end ? 8 : 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}
