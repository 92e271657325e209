import struct Agreement.SplitMix64
@testable import Media
import Testing

@Suite struct FrameCacheTests {
    static func frame(_ index: Int, width: Int = 10, height: Int = 10) -> DecodedFrame {
        DecodedFrame(index: index, pts: Double(index) / 25, width: width, height: height,
                     rgb: [UInt8](repeating: UInt8(index % 256), count: width * height * 3), decodedFrames: 1)
    }

    @Test func evictsLeastRecentlyUsedUnderTheByteLimit() {
        let cost = FrameCache.cost(of: Self.frame(0))   // 300 pixels' bytes + overhead
        let cache = FrameCache(byteLimit: cost * 3)
        for n in 0..<3 { cache.insert(Self.frame(n)) }
        #expect(cache.count == 3 && cache.byteCount == 3 * cost)
        // Touch 0, so 1 is now the least recently used.
        #expect(cache.frame(index: 0, width: 10, height: 10)?.index == 0)
        cache.insert(Self.frame(3))
        #expect(cache.count == 3)
        #expect(!cache.contains(index: 1, width: 10, height: 10))
        #expect(cache.keysByRecency.map(\.index) == [3, 0, 2])
        cache.insert(Self.frame(4))
        #expect(cache.keysByRecency.map(\.index) == [4, 3, 0])
        #expect(cache.byteCount <= cache.byteLimit)
        #expect(cache.hits == 1)
        #expect(cache.frame(index: 2, width: 10, height: 10) == nil)
        #expect(cache.misses == 1)
    }

    @Test func keyedByIndexAndSize() {
        let cache = FrameCache(megabytes: 1)
        cache.insert(Self.frame(7, width: 10, height: 10))
        cache.insert(Self.frame(7, width: 20, height: 10))
        #expect(cache.count == 2)
        #expect(cache.frame(index: 7, width: 20, height: 10)?.width == 20)
        #expect(cache.frame(index: 7, width: 10, height: 20) == nil)
        // Re-inserting the same key replaces it without double counting.
        cache.insert(Self.frame(7, width: 10, height: 10))
        #expect(cache.count == 2)
        #expect(cache.byteCount == FrameCache.cost(of: Self.frame(7)) + FrameCache.cost(of: Self.frame(7, width: 20)))
        #expect(cache.keysByRecency.first == FrameCache.Key(index: 7, width: 10, height: 10))
    }

    @Test func bigFramesEvictSeveralAndOversizedAreNotStored() {
        let small = FrameCache.cost(of: Self.frame(0))
        let cache = FrameCache(byteLimit: small * 4)
        for n in 0..<4 { cache.insert(Self.frame(n)) }
        let big = Self.frame(9, width: 20, height: 10)   // twice the pixels
        cache.insert(big)
        #expect(cache.keysByRecency.map(\.index) == [9, 3, 2])
        #expect(cache.byteCount <= cache.byteLimit)
        cache.insert(Self.frame(10, width: 100, height: 100))
        #expect(!cache.contains(index: 10, width: 100, height: 100))
        #expect(cache.count == 3)
        cache.removeAll()
        #expect(cache.count == 0 && cache.byteCount == 0 && cache.keysByRecency.isEmpty)
    }

    @Test func randomWorkloadMatchesAReferenceLRU() {
        var rng = SplitMix64(state: 42)
        let cost = FrameCache.cost(of: Self.frame(0))
        let cache = FrameCache(byteLimit: cost * 8)
        var reference: [Int] = []   // most recent first
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<20, using: &rng)
            if Bool.random(using: &rng) {
                cache.insert(Self.frame(n))
                reference.removeAll { $0 == n }
                reference.insert(n, at: 0)
                if reference.count > 8 { reference.removeLast() }
            } else {
                let hit = cache.frame(index: n, width: 10, height: 10)
                #expect((hit != nil) == reference.contains(n))
                if hit != nil { reference.removeAll { $0 == n }; reference.insert(n, at: 0) }
            }
            #expect(cache.keysByRecency.map(\.index) == reference)
        }
    }
}
