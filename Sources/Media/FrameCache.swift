/// Decoded frames kept for stepping back and forth, bounded by bytes, least recently used
/// evicted first. Keyed by frame index and pixel size (one cache per clip).
///
/// Not thread-safe: owned by the thread that shows frames.
public final class FrameCache {
    public struct Key: Hashable, Sendable {
        public var index: Int
        public var width: Int
        public var height: Int
        public init(index: Int, width: Int, height: Int) {
            self.index = index
            self.width = width
            self.height = height
        }
    }

    /// Bytes a frame is charged besides its pixels (the entry and its bookkeeping).
    public static let overhead = 96

    public let byteLimit: Int
    public private(set) var byteCount = 0
    public var count: Int { entries.count }
    public private(set) var hits = 0
    public private(set) var misses = 0

    private struct Entry {
        var frame: DecodedFrame
        var older: Key?
        var newer: Key?
    }
    private var entries: [Key: Entry] = [:]
    private var newest: Key?
    private var oldest: Key?

    public init(byteLimit: Int) {
        self.byteLimit = max(0, byteLimit)
    }

    public convenience init(megabytes: Int) {
        self.init(byteLimit: megabytes * 1 << 20)
    }

    public static func cost(of frame: DecodedFrame) -> Int { frame.rgb.count + overhead }

    /// The frame, marked most recently used; nil when not cached.
    public func frame(index: Int, width: Int, height: Int) -> DecodedFrame? {
        let key = Key(index: index, width: width, height: height)
        guard let entry = entries[key] else {
            misses += 1
            return nil
        }
        hits += 1
        unlink(key)
        linkNewest(key, entry.frame)
        return entry.frame
    }

    /// Whether the frame is cached, without touching its recency.
    public func contains(index: Int, width: Int, height: Int) -> Bool {
        entries[Key(index: index, width: width, height: height)] != nil
    }

    /// Stores the frame as most recently used, evicting the least recently used ones until
    /// the total fits the limit. A frame larger than the whole limit is not stored.
    public func insert(_ frame: DecodedFrame) {
        let key = Key(index: frame.index, width: frame.width, height: frame.height)
        if entries[key] != nil { remove(key) }
        let cost = Self.cost(of: frame)
        guard cost <= byteLimit else { return }
        while byteCount + cost > byteLimit, let victim = oldest { remove(victim) }
        linkNewest(key, frame)
        byteCount += cost
    }

    public func removeAll() {
        entries.removeAll()
        newest = nil
        oldest = nil
        byteCount = 0
    }

    /// Keys from the most to the least recently used (tests check the eviction order).
    var keysByRecency: [Key] {
        var keys: [Key] = []
        var cursor = newest
        while let key = cursor {
            keys.append(key)
            cursor = entries[key]?.older
        }
        return keys
    }

    private func remove(_ key: Key) {
        guard let entry = entries[key] else { return }
        unlink(key)
        byteCount -= Self.cost(of: entry.frame)
    }

    /// Takes the entry out of the list and the table.
    private func unlink(_ key: Key) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        if let older = entry.older { entries[older]?.newer = entry.newer } else { oldest = entry.newer }
        if let newer = entry.newer { entries[newer]?.older = entry.older } else { newest = entry.older }
    }

    private func linkNewest(_ key: Key, _ frame: DecodedFrame) {
        entries[key] = Entry(frame: frame, older: newest, newer: nil)
        if let newest { entries[newest]?.newer = key } else { oldest = key }
        newest = key
    }
}
