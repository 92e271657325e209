import Foundation
import Media

/// Renders the frames a rater is likely to ask for next — the neighbours of the playhead,
/// one second either side, the next few frames for playback, and the first frame of the
/// next item — on a thread of its own, so stepping, scrubbing and submitting find the
/// picture ready (decoded, scaled and encoded to terminal bytes) instead of waiting for a
/// decode from the keyframe and a sixel encode.
///
/// The worker has its own decoders (FFmpeg decoders are not shared across threads); the
/// main thread only reads the cache, and renders itself on a miss. Targets are re-planned
/// whenever the playhead moves, and the worker checks between frames, so stale work stops
/// quickly.
final class RenderAhead: @unchecked Sendable {
    struct Target: Hashable, Sendable {
        let path: String
        let frame: Int
        /// The size it is drawn at, a `PlaybackScale` factor (1: full size).
        let factor: Double

        init(path: String, frame: Int, factor: Double = 1) {
            self.path = path
            self.frame = frame
            self.factor = factor
        }
    }

    private let condition = NSCondition()
    private var cache: [Target: PaintedFrame] = [:]
    private var cachedBytes = 0
    private let capacityBytes: Int
    private var plan: [Target] = []
    private var generation = 0
    private var stopped = false
    /// A frame the main thread waits for (`frame(for:waiting:)`), rendered before the plan.
    private var urgent: Target?
    private let render: @Sendable (FrameSource, Int, Double) throws -> PaintedFrame
    /// The frame indexes the project keeps for the clips in focus (a clip without a container
    /// index), so this thread's own decoders open them without reading every packet too.
    private var storedIndexes: [String: StoredFrameIndex] = [:]

    /// `render` turns frame n of a source into a painted frame at a size factor (the same
    /// function the main thread uses on a miss, so both produce identical pictures).
    init(capacityMegabytes: Int = 96, render: @escaping @Sendable (FrameSource, Int, Double) throws -> PaintedFrame) {
        capacityBytes = capacityMegabytes << 20
        self.render = render
        let thread = Thread { [weak self] in self?.work() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { stop() }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The rendered frame for `target`, if ready.
    func frame(for target: Target) -> PaintedFrame? {
        condition.lock()
        defer { condition.unlock() }
        return cache[target]
    }

    /// The rendered frame for `target`, rendered by this thread ahead of its plan if it is
    /// not ready, waiting up to `timeout` seconds for it; nil if it is not ready by then (the
    /// caller renders it itself). While playing, this thread's decoder is where playback
    /// is, and the main thread's may be far behind: a picture at a new size (the link's
    /// rate changed) rendered on the main thread decoded 70 frames to catch up, and showed
    /// 380 ms late; here it takes one frame's render.
    func frame(for target: Target, waiting timeout: Double) -> PaintedFrame? {
        condition.lock()
        defer { condition.unlock() }
        if let ready = cache[target] { return ready }
        guard timeout > 0, !stopped else { return nil }
        urgent = target
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while cache[target] == nil && !stopped && condition.wait(until: deadline) {}
        if urgent == target { urgent = nil }
        return cache[target]
    }

    /// Keeps what the main thread rendered itself, so coming back to it is a hit too.
    func keep(_ frame: PaintedFrame, for target: Target) {
        condition.lock()
        store(frame, for: target)
        condition.unlock()
    }

    /// The playhead is at `frame` of `path` (`frameCount` frames, `rate` per second); the
    /// next item's clip is `next`, if any. Replaces whatever was planned.
    /// `storedIndex`: the index the project keeps for `path`'s content, if any. `factor`:
    /// the size pictures are drawn at now (`PlaybackScale`; smaller while playing over a
    /// slow link), the next item's first frame being full size (it opens paused).
    /// `playing`: the frames ahead alone, in order — the next ones are due within 40 ms
    /// each, and one the main thread must render itself shows late by that time (seen as
    /// 30–85 ms a picture for the first half second of a play over a slow link, when the
    /// size changed and nothing was rendered at it yet).
    func focus(path: String, frame: Int, frameCount: Int, rate: Double, next: String?, storedIndex: StoredFrameIndex? = nil,
               factor: Double = 1, playing: Bool = false) {
        let frames = Self.planned(frame: frame, second: max(1, Int(rate.rounded())), playing: playing)
        var targets = frames.filter { $0 >= 0 && $0 < frameCount }.map { Target(path: path, frame: $0, factor: factor) }
        if let next { targets.append(Target(path: next, frame: 0)) }
        condition.lock()
        if let storedIndex, storedIndexes[path] != storedIndex {
            if storedIndexes.count >= 2 { storedIndexes.removeAll() }   // the current clip and the next one
            storedIndexes[path] = storedIndex
        }
        plan = targets
        generation += 1
        evict(keepingNear: frame, of: path)
        condition.signal()
        condition.unlock()
    }

    /// The frames to render around `frame`, most wanted first: paused, the neighbours a
    /// step or a second away, then the next few; playing, the next few alone. A frame a
    /// second away changes with every frame played, and rendering it too (a decode and a
    /// kitty encode of 620 kB, some 25 ms) made the thread fall behind a full-size clip
    /// played unthrottled: the main thread then rendered a frame itself, its own decoder
    /// catching up from where it last was (530 ms, measured).
    static func planned(frame: Int, second: Int, playing: Bool) -> [Int] {
        let ahead = (1...8).map { frame + $0 }
        return playing ? ahead : [frame + 1, frame - 1, frame + second, frame - second] + ahead.dropFirst()
    }

    // MARK: - Worker

    private func work() {
        var sources: [String: FrameSource] = [:]
        while true {
            condition.lock()
            if let wanted = urgent, cache[wanted] != nil { urgent = nil }
            while !stopped && urgent == nil && plan.allSatisfy({ cache[$0] != nil }) { condition.wait() }
            if stopped { condition.unlock(); return }
            guard let target = urgent ?? plan.first(where: { cache[$0] == nil }) else { condition.unlock(); continue }
            let planned = generation
            let storedIndex = storedIndexes[target.path]
            condition.unlock()

            var painted: PaintedFrame?
            if let source = sources[target.path] ?? (try? FrameSource(decoder: VideoDecoder(path: target.path, storedIndex: storedIndex), cacheMegabytes: 64)) {
                if sources[target.path] == nil {
                    if sources.count >= 2 { sources.removeAll() }   // the current clip and the next one
                    sources[target.path] = source
                }
                painted = try? render(source, target.frame, target.factor)
            }
            condition.lock()
            if let painted, generation == planned || plan.contains(target) || urgent == target {
                store(painted, for: target)
            } else if painted == nil {
                plan.removeAll { $0 == target }   // cannot be rendered: do not try again
            }
            if urgent == target { urgent = nil }   // rendered, or it cannot be: the waiter renders it
            condition.broadcast()
            condition.unlock()
        }
    }

    // Call with the lock held.
    private func store(_ frame: PaintedFrame, for target: Target) {
        if let old = cache.updateValue(frame, forKey: target) { cachedBytes -= old.footprint }
        cachedBytes += frame.footprint
    }

    /// Drops frames of other clips first, then those farthest from the playhead, until the
    /// cache fits. Call with the lock held.
    private func evict(keepingNear frame: Int, of path: String) {
        guard cachedBytes > capacityBytes else { return }
        let planned = Set(plan)
        let victims = cache.keys.filter { !planned.contains($0) }.sorted { a, b in
            let da = a.path == path ? abs(a.frame - frame) : Int.max
            let db = b.path == path ? abs(b.frame - frame) : Int.max
            return da > db
        }
        for victim in victims where cachedBytes > capacityBytes {
            cachedBytes -= cache.removeValue(forKey: victim)?.footprint ?? 0
        }
    }
}
