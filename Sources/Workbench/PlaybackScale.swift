/// How large a kitty or sixel picture is drawn while a clip plays over a slow link
/// (docs/architecture.md, "Over a slow link"). Dropping frames keeps playback on the clock
/// only while one picture fits the link: a noisy 640×360 kitty frame is 626 kB, 310 ms at
/// 2 MB/s on its own, so every frame shown would still be 300 ms late. While playing, the
/// picture is drawn smaller when the link's measured rate cannot carry it within `budget`;
/// paused or stepped, it is full size again, because still frames are what a rater judges
/// closely (the submission's display record keeps the full size).
///
/// Sizes are a few fixed steps (`factors`, each a √2 step in pixels), so the render-ahead
/// cache keeps hitting while a size holds, down to a floor of a quarter of the pixels (half
/// each way): smaller than that is no picture worth watching, and dropping frames still
/// keeps it on the clock. Only the first pictures of a play, before any write waited, may
/// go one step below (`floorStep`): until the link is measured they are sized for the
/// slowest link promised (`LinkPacer.sizingRate`), and may have to show behind full buffers. The bytes a size would take are predicted from the bytes a pixel
/// of recent pictures took (noise costs ten times a still scene). A smaller size is taken
/// as soon as the current one overruns the budget; a larger one only when it would use at
/// most `growShare` of it, so sizes do not flicker between two steps on a rate that wavers.
/// The rate used follows the pacer's figure down at once and up slowly (`rise`): a relay
/// that takes bytes in bursts (pv, ssh) can make one write look several times faster than
/// the link, and a picture sized to that figure would show late by its excess.
struct PlaybackScale {
    /// Width and height factors, full size first.
    static let factors: [Double] = [1, 0.841, 0.707, 0.595, 0.5, 0.42]
    /// The smallest step once the link is measured (`factors[floorStep]`, a quarter of the
    /// pixels). The one below is for the first pictures of a play on a link not measured
    /// yet (`probing`): they may fill the buffers on the way before a write waits, and then
    /// show behind them (90 ms at 2 MB/s through pv) as well as their own time, so a
    /// picture still too large at a quarter of the pixels (a noisy 639×359 kitty one,
    /// 172 kB) goes a step smaller (121 kB) until the link is known.
    static let floorStep = 4
    /// Seconds of the link one picture may take: with frames dropped at 100 ms of waiting
    /// bytes (`LinkPacer.lateness`) a picture then shows within about 200 ms of its time.
    static let budget = 0.08
    /// A larger size is taken again only when it needs at most this share of `budget`.
    static let growShare = 0.7
    /// The share of the way to a higher figure of the link's rate taken at each choice (each
    /// time the pane draws or tries a frame).
    static let rise = 0.1

    /// The step in `factors` drawn now.
    private(set) var step = 0
    /// Bytes a picture's pixel took, a running mean over recent pictures; nil before one.
    private(set) var bytesPerPixel: Double?
    /// The link's rate the sizes are chosen for (bytes a second); nil while not slow.
    private(set) var linkRate: Double?

    var factor: Double { Self.factors[step] }

    /// Records a picture written: `bytes` for `pixels` pixels.
    mutating func wrote(bytes: Int, pixels: Int) {
        guard bytes > 0, pixels > 0 else { return }
        let sample = Double(bytes) / Double(pixels)
        bytesPerPixel = bytesPerPixel.map { 0.5 * $0 + 0.5 * sample } ?? sample
    }

    /// Bytes a picture of `pixels` full-size pixels would take at `factor`; nil before any
    /// picture was measured.
    func expectedBytes(pixels: Int, factor: Double) -> Int? {
        bytesPerPixel.map { Int(($0 * Double(pixels) * factor * factor).rounded()) }
    }

    /// The factor to draw the next picture at, full size being `pixels` pixels: 1 when not
    /// `playing`, when the link is not slow (`rate` nil: no write ever waited), or before a
    /// picture was measured; else the largest step the link carries within `budget`, with
    /// hysteresis, never below the last step (`floorStep`, one further while `probing`:
    /// `LinkPacer.sizingRate`).
    mutating func choose(playing: Bool, rate: Double?, pixels: Int, probing: Bool = false) -> Double {
        guard let rate, rate > 0 else {
            linkRate = nil
            step = 0
            return factor
        }
        let linkRate = self.linkRate.map { rate < $0 ? rate : $0 + Self.rise * (rate - $0) } ?? rate
        self.linkRate = linkRate
        guard playing, let bytesPerPixel, pixels > 0 else {
            step = 0
            return factor
        }
        let budgetBytes = linkRate * Self.budget
        let floor = probing ? Self.factors.count - 1 : Self.floorStep
        func bytes(_ step: Int) -> Double { bytesPerPixel * Double(pixels) * Self.factors[step] * Self.factors[step] }
        step = min(step, floor)
        if bytes(step) > budgetBytes {
            step = (step...floor).first { bytes($0) <= budgetBytes } ?? floor
        } else {
            while step > 0 && bytes(step - 1) <= Self.growShare * budgetBytes { step -= 1 }
        }
        return factor
    }

    /// The picture's size at `factor` of `full` (at least 1×1): the one rounding both the
    /// render and the trace use.
    static func size(_ full: (width: Int, height: Int), factor: Double) -> (width: Int, height: Int) {
        guard factor < 1 else { return full }
        return (max(1, Int((Double(full.width) * factor).rounded())), max(1, Int((Double(full.height) * factor).rounded())))
    }
}
