import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps playback on the wall clock over a slow link (ssh, a throttled pipe): a picture is
/// written only when the link can take it in time, so frames are dropped, never queued
/// (docs/architecture.md, "Over a slow link").
///
/// Bytes a blocking `write` has handed over may still wait — in the pty, a pipe, a socket,
/// ssh, `pv` — before the terminal shows them; a frame written behind them shows late by
/// their drain time. The pacer keeps three figures: the link's rate and the bytes the
/// buffers on the way hold when full, both learned from how each picture's write went
/// (`LinkWrite`: the bytes taken at once, then how many went through in how long once a
/// chunk had to wait), and the bytes waiting now (the kernel's count where it gives one,
/// `waiting(fd:)`, else the last figure drained at `headroom` of the rate). Before each
/// frame, `shouldWrite` says whether it can show within `lateness` of its time (counting
/// how late it already is); if not, the frame is skipped
/// (the player moves on by the clock, and the loop draws the frame due when the link has
/// room). When nothing waits, a frame is always written, however large: the link is idle,
/// and waiting would only make it later. Until a write has waited the link cannot be told
/// from a fast one, so the first pictures of a play are sized for a slow one (`sizingRate`).
struct LinkPacer {
    /// A frame is skipped when bytes already waiting (and how late it is already) would
    /// make it show later than this behind its time.
    static let lateness = 0.1
    /// The share of the link's rate the bytes believed waiting are taken to drain at: frames
    /// are written a little slower than the link carries them, so its queue stays short
    /// and a relay that sends in bursts keeps some allowance. `pv -L 2m` sends what its
    /// allowance covers every 100 ms or so; written at its full rate, the allowance is spent
    /// and a picture waits for the next burst (up to 170 ms after its write, measured,
    /// where the bytes ahead of it said 100 ms at most).
    static let headroom = 0.85
    /// A chunk whose write took longer than this waited for the link (a free buffer takes
    /// 4 kB in microseconds).
    static let waitedWrite = 0.002
    /// What the buffers on the way are taken to hold until a write shows it: Linux's pty
    /// takes about 20 kB before a writer blocks (and reports 0 for `TIOCOUTQ`).
    static let hiddenBuffer = 16_384.0
    /// Seconds between two writes that waited for the bytes between them to give the rate
    /// (a relay's bursts, 64 kB at 2 MB/s, are then a tenth of the figure at most).
    static let rateSpan = 0.4
    /// The same for the first such figure, which replaces one write's own timing (often
    /// several times the link's rate: a rough figure soon is worth more than a fine one late).
    static let firstRateSpan = 0.15
    /// A pause in writing this long may let the buffers drain (at 2 MB/s, 500 kB): no rate
    /// across it.
    static let idleGap = 0.25
    /// A write taken at once counts as beyond the buffers' room when it exceeds what they
    /// are taken to hold by this factor (the bytes believed waiting are a figure, not a count).
    static let beyond = 1.25
    /// Writes in a row taken at once beyond the buffers' room that end the pacing.
    static let fastWrites = 3
    /// The link's rate playing pictures are sized for until it is measured (`sizingRate`):
    /// the slowest link playback is kept on the clock over (issue 17's `pv -L 2m`).
    static let assumedRate = 2_000_000.0
    /// A link counts as faster than the assumed one once it took more than a relay of this
    /// rate could have let through since the program started (`origin`), plus `probeSlack`.
    /// A relay that lets through at once what it did not send while idle (pv: all of it, up
    /// to 5 s worth; 2.1 MB after 1 s, measured) makes a slow link look fast until that is
    /// spent; counted from the program's start, as pv started with it, that burst is never
    /// taken for speed. pv's 2 MB/s is 2 MiB/s: 2.1 MB/s, and 5 % more.
    static let probeRate = 2_200_000.0
    /// What the way can hide before a write waits, on top: the pty, the pipes, the copy
    /// into the relay and the relay's buffer (300 kB and more through `pv -L 2m`, measured:
    /// a 121 kB picture taken at once with 180 kB still ahead of it).
    static let probeSlack = 512_000.0

    /// The link's drain rate in bytes a second; nil until a write had to wait (an
    /// unthrottled link never slows playback, so there is nothing to pace).
    private(set) var rate: Double?
    /// Bytes the buffers on the way hold when full: what a write put in before it waited,
    /// on top of what they held (the first such write's figure, then a running mean).
    private(set) var capacity = LinkPacer.hiddenBuffer
    private var capacityLearned = false
    /// Bytes believed waiting at `since`.
    private var backlog = 0.0
    private var since = 0.0
    /// Writes in a row taken at once although the buffers were believed too full for them.
    private var takenBeyond = 0
    /// When the last write that waited returned (the buffers full), the bytes written since,
    /// and when the last write returned.
    private var fullAt: Double?
    private var sinceFull = 0
    private var lastEnd = -Double.infinity
    /// Whether `rate` came from such a span yet (else from one write's timing).
    private var rateFromSpan = false
    /// When the program started (`processStart()`; else the first call): the burst a relay
    /// may have saved up is counted from then (`probeRate`).
    private var origin: Double?
    /// Picture bytes written since `origin`.
    private var sent = 0
    /// Whether the clip plays on a link not known yet (sized for `assumedRate`).
    private var probe: Bool = false
    /// Whether the link took more than a `probeRate` relay could have since `origin` (plus `probeSlack`) while
    /// playing, or made pacing end: pictures are then sized by the measured rate alone.
    private(set) var fasterThanAssumed = false
    /// Frames skipped and written since the pacer was made (for the trace and tests).
    private(set) var skipped = 0
    private(set) var written = 0

    /// `origin`: when the program started on the pacer's clock (`processStart()`); nil:
    /// the first time the pacer is asked (the tests' clocks).
    init(origin: Double? = nil) {
        self.origin = origin
    }

    /// Whether a frame of `bytes` should be written at `now`; `measured`: the bytes the
    /// kernel says still wait on the way out (`waiting(fd:)`), nil where it cannot tell;
    /// `due`: when the frame's time came, while playing (it is already late by `now − due`,
    /// the event loop having come back for it after its time: that counts too).
    /// A skipped frame is counted.
    mutating func shouldWrite(bytes: Int, now: Double, measured: Int?, due: Double? = nil) -> Bool {
        let waiting = estimate(now: now, measured: measured)
        let late = due.map { max(0, now - $0) } ?? 0
        guard let rate, waiting > 0, late + (waiting + Double(bytes)) / rate > Self.lateness else {
            return true
        }
        skipped += 1
        return false
    }

    /// The link's rate to size the next picture for (`PlaybackScale`); `playing`: whether
    /// the clip plays. Until a write waits, a slow link and a fast one look the same to the
    /// writer: the pty, the pipes and a relay take whole pictures at once until they are
    /// full, and then everything written waits behind them (at 2 MB/s through `pv`, 90 ms,
    /// plus the picture's own time). So while playing on a link not measured yet, pictures
    /// are sized for `assumedRate` (the paused picture drawn before the play key gave the
    /// bytes a pixel takes), and for no more than it while the only figure is one write's
    /// (often several times the link's rate); the measured rate once two writes that waited
    /// gave one, and none (full size) once the link took more than a relay of `probeRate`
    /// could have let through since the program started, saved-up burst and all, plus
    /// `probeSlack`. Paused: the pacer's figure as it is (the picture is full size anyway).
    /// `probing`: no write has waited yet, so the rate is the assumed one and what the way
    /// holds unknown (`PlaybackScale` may then go a step further down).
    mutating func sizingRate(playing: Bool, now: Double) -> (rate: Double?, probing: Bool) {
        if origin == nil { origin = now }
        guard playing, !rateFromSpan, !fasterThanAssumed else {
            if probe, rate == nil { backlog = estimate(now: now, measured: nil); since = now }
            probe = false
            return (rate, false)
        }
        probe = true
        return (min(rate ?? Self.assumedRate, Self.assumedRate), rate == nil)
    }

    /// Records a picture's write (`CursesTerminal.writeRaw`) that began at `start` and
    /// returned at `end`, with `measured` the kernel's count of bytes waiting after it.
    ///
    /// The rate is what went through between two writes that waited, at least `rateSpan`
    /// apart: both ended with the buffers full, so the bytes written between them are the
    /// bytes the link carried. One write's own timing is only the first figure: a relay
    /// with a large buffer (pv holds some 400 kB) takes a whole picture in a few
    /// milliseconds after a short wait, and reads ten times the link's rate.
    ///
    /// A write taken at once that the buffers, as believed, had no room for says the link
    /// drained faster than its rate, or the buffers hold more than learned; the reader's
    /// bursts make either happen now and then on a link as slow as before. Pacing (and the
    /// smaller pictures `PlaybackScale` draws while it lasts) ends after `fastWrites` such
    /// writes with none that waited between them, not one: one would bring a full-size
    /// picture back, late by its whole length, and the next write that waits would shrink
    /// it again (a flicker seen at 300 kB/s). Each one raises what the buffers are taken
    /// to hold, so on a slow link they soon stop coming; a link that became fast brings
    /// them with every picture larger than the last (one drawn full size on a pause).
    mutating func wrote(_ write: LinkWrite, start: Double, end: Double, measured: Int?) {
        written += 1
        if origin == nil { origin = start }
        sent += write.bytes
        if probe, Double(sent) > Self.probeSlack + Self.probeRate * (end - (origin ?? start)) {
            // One write's figure (no span measured the link) goes with the assumption.
            fasterThanAssumed = true
            probe = false
            if !rateFromSpan { rate = nil; backlog = 0 }
        }
        let before = estimate(now: start, measured: nil)
        if start - lastEnd > Self.idleGap { fullAt = nil }   // the buffers may have drained meanwhile
        lastEnd = end
        sinceFull += write.bytes
        if write.waited > 0.01 && write.waitedBytes > 0 {
            // The buffers are full now; they filled after taking `room` on top of what they held.
            if let fullAt {
                if end - fullAt >= (rateFromSpan ? Self.rateSpan : Self.firstRateSpan) {
                    let sample = Double(sinceFull) / (end - fullAt)
                    rate = rateFromSpan ? rate.map { 0.5 * $0 + 0.5 * sample } ?? sample : sample
                    rateFromSpan = true
                    self.fullAt = end
                    sinceFull = 0
                }
            } else {
                // One write's figure says little either way: a relay's burst reads several
                // times the link's rate, and a write that caught the end of one reads a tenth
                // of it (260 kB/s through `pv -L 2m`, which then held playback at 2 pictures
                // a second, the writes never waiting again to correct it; 9–15 MB/s, which
                // let pictures pile up 200 ms deep). Until a span measures the link it is
                // taken as no slower than the one promised, and, unless it took more than a
                // relay of it could have (`fasterThanAssumed`), no more than twice as fast.
                if rate == nil {
                    let figure = max(Self.assumedRate, Double(write.waitedBytes) / write.waited)
                    rate = fasterThanAssumed ? figure : min(figure, 2 * Self.assumedRate)
                }
                fullAt = end
                sinceFull = 0
            }
            let full = max(Self.hiddenBuffer, before + Double(write.room))
            capacity = capacityLearned ? 0.5 * capacity + 0.5 * full : full
            capacityLearned = true
            let drained = (rate ?? 0) * (end - start)
            backlog = measured.map(Double.init) ?? max(capacity, before + Double(write.bytes) - drained)
            takenBeyond = 0
        } else if let measured {
            backlog = Double(measured)
        } else if rate == nil || before + Double(write.bytes) > Self.beyond * capacity {
            // Taken at once, more than the buffers had room for: the link is not slow (any
            // more), once it happened `fastWrites` times in a row.
            takenBeyond += 1
            if rate == nil || takenBeyond >= Self.fastWrites {
                // It was paced, and is not slow now; unless it was only one write's figure
                // while playing on a link not known yet: pictures pv's burst takes at once
                // are beyond the buffers too, and full size then showed 213 ms late. The
                // count since the program started says when such a link is faster.
                if rate != nil && (rateFromSpan || !probe) { fasterThanAssumed = true }
                rate = nil
                rateFromSpan = false
                // Playing on a link not measured yet, what went in is taken to be on its way
                // at `assumedRate`: the first write that waits then learns how much the way
                // holds (the bytes written beyond what that link carried: through pv, its
                // burst too) instead of the pty's 20 kB, and frames wait until it drained.
                backlog = probe ? before + Double(write.bytes) : 0
                takenBeyond = 0
            } else {
                // As if the link were as slow as before; the buffers hold at least that much
                // (pv's, some 400 kB, far more than a write that waited may have shown).
                backlog = before + Double(write.bytes)
                capacity = max(capacity, backlog)
            }
        } else {
            backlog = before + Double(write.bytes)   // in the buffers, on its way
        }
        since = end
    }

    /// Bytes waiting at `now`: the kernel's figure when it has one (and the rate it
    /// implies, while the link stayed busy), else the last figure drained at the rate.
    private mutating func estimate(now: Double, measured: Int?) -> Double {
        let elapsed = now - since
        if let measured {
            let drained = backlog - Double(measured)
            if measured > 0, drained > 0, elapsed > 0.005 { update(rate: drained / elapsed) }
            backlog = Double(measured)
            since = now
            return backlog
        }
        // A measured rate with `headroom`; the assumed one as it is (what went in beyond it
        // is what the way holds, learned by the first write that waits).
        guard let drain = rate.map({ Self.headroom * $0 }) ?? (probe ? Self.assumedRate : nil) else { return backlog }
        return max(0, backlog - drain * max(0, elapsed))
    }

    private mutating func update(rate sample: Double) {
        rate = rate.map { 0.7 * $0 + 0.3 * sample } ?? sample
    }

    /// When this process started, on the clock of `WorkbenchTerminal.now` (monotonic
    /// seconds): its start in clock ticks after boot (/proc/self/stat) against the time
    /// since boot (/proc/uptime). Nil where /proc cannot say.
    static func processStart(now: Double) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")"),
              let uptime = (try? String(contentsOfFile: "/proc/uptime", encoding: .utf8))?.split(separator: " ").first.flatMap({ Double($0) })
        else { return nil }
        // Fields after the command's closing parenthesis start at the third; the start time is the 22nd.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard fields.count > 19, let started = Double(fields[19]), ticks > 0 else { return nil }
        // Both in hundredths: a process asked within its first 10 ms may read a start
        // after the time since boot (it then read nil, and the count began at the first
        // picture: a fast start took pv's burst for speed, a 355×200 picture 213 ms late).
        return now - max(0, uptime - started / ticks)
    }

    /// Bytes written to `fd` that the other side has not taken yet, where the kernel can
    /// say: a pipe's content (`FIONREAD` works on its write end on Linux), a socket's
    /// unsent and unacknowledged bytes (`TIOCOUTQ`, i.e. `SIOCOUTQ`). Nil for a tty: a
    /// Linux pty reports 0 whatever it holds.
    static func waiting(fd: Int32) -> Int? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        let kind = status.st_mode & S_IFMT
        let request: UInt
        switch kind {
        case S_IFIFO: request = UInt(FIONREAD)
        case S_IFSOCK: request = UInt(TIOCOUTQ)
        default: return nil
        }
        var count: Int32 = 0
        return ioctl(fd, request, &count) == 0 ? Int(count) : nil
    }
}

/// How one picture's write went (`CursesTerminal.writeRaw`, in 4 kB chunks).
struct LinkWrite {
    var bytes: Int
    /// Bytes taken before any chunk had to wait.
    var room = 0
    /// Bytes written from the first chunk that waited on, and the seconds that took.
    var waitedBytes = 0
    var waited = 0.0
}
