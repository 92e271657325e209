/// The two clips of a pair played as one (docs/pairwise.md, "Workbench"): one clock, and
/// each clip showing the frame due at the clock's time. Space plays or pauses both, a frame
/// step, a seek, `g` and `[`/`]` move both, so the rater compares the same moment of each.
///
/// Clips of different length or rate are matched by time, not by frame number: the clock
/// runs at the higher of the two frame rates (its frame steps are the finer clip's frames;
/// the other clip changes frame only when its own next frame is due) and lasts as long as
/// the longer clip; the shorter clip holds its last frame until the clock ends. Two clips of
/// one length and rate (the usual pair: one prompt, two models) step frame by frame together,
/// frame n beside frame n.
///
/// Each clip's frames seen are counted on its own `Player` (a frame passed over while the
/// clock played was on screen), so "both clips watched" (`require_full_view`) is the
/// smaller of the two shares. Pure: time comes in as an argument, so sync is tested without
/// waiting.
public struct PairPlayback: Sendable {
    public private(set) var clock: Player
    public private(set) var left: Player
    public private(set) var right: Player

    /// `left` and `right` as their panes opened them (frames seen on an earlier visit kept).
    public init(left: Player, right: Player) {
        let rate = max(left.frameRate, right.frameRate)
        let duration = max(left.duration, right.duration)
        clock = Player(frameCount: max(1, Int((duration * rate).rounded())), frameRate: rate)
        self.left = left
        self.right = right
        sync(passedOver: false)
    }

    public func player(_ side: PairSide) -> Player { side == .left ? left : right }

    /// Both clips watched: the smaller share of frames seen.
    public var watchedShare: Double { min(left.watchedShare, right.watchedShare) }

    /// The frame of a clip of `frameCount` frames at `frameRate` due at clock frame `frame`.
    func frame(_ frame: Int, onClipOf frameCount: Int, rate frameRate: Double) -> Int {
        let seconds = Double(frame) / clock.frameRate
        // The same nanosecond of slack as `Player.tick`: frame n is due at exactly n / rate.
        return min(frameCount - 1, Int((seconds * frameRate + 1e-6).rounded(.down)))
    }

    /// A player key's command, carried out on the clock and so on both clips; the message to
    /// show when a frame asked for is outside the pair's timeline (its last frame is shown).
    public mutating func apply(_ command: PlayerCommand, now: Double) -> String? {
        var outside: String?
        switch command {
        case .togglePlay: clock.togglePlay(now: now)
        case .step(let n): clock.pause(); clock.step(n, now: now)
        case .seek(let s): clock.seek(seconds: s, now: now)
        case .speed(let d): clock.changeSpeed(d, now: now)
        case .gotoFrame(let f):
            if f >= clock.frameCount { outside = "frame \(f) is outside the pair's timeline (0–\(clock.frameCount - 1))" }
            clock.pause()
            clock.go(to: f, now: now)
        }
        sync(passedOver: false)
        return outside
    }

    /// Advances the clock to `now`; true when either clip's frame changed.
    public mutating func tick(now: Double) -> Bool {
        let before = (left.frame, right.frame, clock.playing)
        let wasPlaying = clock.playing
        _ = clock.tick(now: now)
        sync(passedOver: wasPlaying)
        return before != (left.frame, right.frame, clock.playing)
    }

    /// Seconds until the clock's next frame while playing (for the input timeout).
    public func untilNextFrame(now: Double) -> Double? { clock.untilNextFrame(now: now) }

    private mutating func sync(passedOver: Bool) {
        let anchor = clock.anchor
        for side in [PairSide.left, .right] {
            var player = self.player(side)
            player.follow(to: frame(clock.frame, onClipOf: player.frameCount, rate: player.frameRate),
                          playing: clock.playing, speedIndex: clock.speedIndex,
                          anchor: (frame(anchor.frame, onClipOf: player.frameCount, rate: player.frameRate), anchor.time),
                          passedOver: passedOver)
            if side == .left { left = player } else { right = player }
        }
    }
}
