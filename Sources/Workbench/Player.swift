/// The playhead of one clip: which frame is on screen, play/pause, speed, and which frames
/// the rater has seen. Time comes in as an argument (monotonic seconds), so playback is
/// tested without waiting.
///
/// Playback follows the wall clock: the frame due at `now` is the one shown, and frames
/// whose time passed while the previous one was being drawn are dropped rather than shown
/// late (raters judge motion; a lagging picture misleads more than a skipped one).
public struct Player: Sendable {
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4]

    public let frameCount: Int
    public let frameRate: Double
    public private(set) var frame = 0
    public private(set) var playing = false
    public private(set) var speedIndex = 2
    /// Frames shown, or passed over while playing (the motion was on screen).
    public private(set) var seen: [Bool]
    public private(set) var seenCount = 0
    /// Each speed at which frames advanced while playing (a submission records them: a
    /// defect seen at 4× is not one judged at 1×). Stepping and seeking add none.
    public private(set) var speedsPlayed: Set<Double> = []
    /// Playback started from `anchorFrame` at time `anchorTime`.
    private var anchorFrame = 0
    private var anchorTime = 0.0

    public init(frameCount: Int, frameRate: Double) {
        self.frameCount = max(1, frameCount)
        self.frameRate = frameRate > 0 && frameRate.isFinite ? frameRate : 25
        seen = Array(repeating: false, count: self.frameCount)
        markSeen(0...0)
    }

    public var speed: Double { Self.speeds[speedIndex] }
    public var seconds: Double { Double(frame) / frameRate }
    public var duration: Double { Double(frameCount) / frameRate }
    /// Share of frames seen, 0...1.
    public var watchedShare: Double { Double(seenCount) / Double(frameCount) }

    public mutating func togglePlay(now: Double) {
        if playing { playing = false; return }
        if frame >= frameCount - 1 { frame = 0 }   // play again from the start
        playing = true
        anchorFrame = frame
        anchorTime = now
    }

    public mutating func pause() { playing = false }

    /// Moves to `target` (clamped); while playing, playback continues from there.
    public mutating func go(to target: Int, now: Double) {
        frame = max(0, min(frameCount - 1, target))
        markSeen(frame...frame)
        anchorFrame = frame
        anchorTime = now
    }

    public mutating func step(_ frames: Int, now: Double) { go(to: frame + frames, now: now) }

    public mutating func seek(seconds delta: Double, now: Double) {
        go(to: frame + Int((delta * frameRate).rounded()), now: now)
    }

    public mutating func changeSpeed(_ direction: Int, now: Double) {
        speedIndex = max(0, min(Self.speeds.count - 1, speedIndex + direction))
        anchorFrame = frame
        anchorTime = now
    }

    /// Moves the playhead where a pair's clock puts it (`PairPlayback`): to `target`
    /// (clamped), playing or paused and at the speed the clock says, anchored where the
    /// clock is (so `untilNextFrame` answers for this clip). `passedOver`: the clock played
    /// there, so the frames between were on screen and are seen, as `tick` counts them.
    mutating func follow(to target: Int, playing: Bool, speedIndex: Int, anchor: (frame: Int, time: Double), passedOver: Bool) {
        let target = max(0, min(frameCount - 1, target))
        self.speedIndex = speedIndex
        if passedOver && target > frame {
            speedsPlayed.insert(speed)
            markSeen((frame + 1)...target)
        } else {
            markSeen(target...target)
        }
        frame = target
        self.playing = playing
        anchorFrame = max(0, min(frameCount - 1, anchor.frame))
        anchorTime = anchor.time
    }

    /// Where playback was last started or moved: the frame and the time (for a pair's clips
    /// following this clock).
    var anchor: (frame: Int, time: Double) { (anchorFrame, anchorTime) }

    /// Advances playback to the frame due at `now`. Returns true when the frame changed.
    /// Stops at the last frame.
    public mutating func tick(now: Double) -> Bool {
        guard playing else { return false }
        // A nanosecond of slack: frame n is due at exactly n / rate, which binary floating
        // point may land a hair short of.
        let due = anchorFrame + Int(((now - anchorTime) * frameRate * speed + 1e-6).rounded(.down))
        let target = min(frameCount - 1, due)
        if target >= frameCount - 1 { playing = false }
        guard target != frame else { return false }
        speedsPlayed.insert(speed)
        if target > frame { markSeen((frame + 1)...target) }
        frame = target
        return true
    }

    /// Seconds until the next frame is due while playing (for the input timeout).
    public func untilNextFrame(now: Double) -> Double? {
        guard playing else { return nil }
        let next = Double(frame - anchorFrame + 1) / (frameRate * speed) + anchorTime
        return max(0, next - now)
    }

    /// Counts the frames of an earlier visit to the same item as seen (the rater went back
    /// with `u`: what they watched before is still watched). Frames beyond this clip's are
    /// ignored.
    public mutating func keepSeen(_ earlier: [Bool]) {
        for (i, wasSeen) in earlier.prefix(frameCount).enumerated() where wasSeen { markSeen(i...i) }
    }

    /// Keeps the speeds an earlier visit to the same item played at (`u`: a revision was
    /// judged on all of what the rater watched, as its seen share is).
    public mutating func keepSpeeds(_ earlier: Set<Double>) { speedsPlayed.formUnion(earlier) }

    /// Counts as seen what an external player showed, given as the frames it reported in
    /// order: each one, and the frames between two reports up to a quarter of a second
    /// apart (playback: a player reports each frame it shows, and may drop a few); a longer
    /// jump forward, or any backward one, is a seek, and what it passed over was not seen.
    public mutating func markSeen(played frames: [Int]) {
        let gap = max(1, Int(frameRate / 4))
        var previous: Int?
        for frame in frames where (0..<frameCount).contains(frame) {
            if let previous, frame > previous, frame - previous <= gap { markSeen(previous...frame) } else { markSeen(frame...frame) }
            previous = frame
        }
    }

    private mutating func markSeen(_ range: ClosedRange<Int>) {
        for i in range where !seen[i] {
            seen[i] = true
            seenCount += 1
        }
    }
}
