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
/// `waiting(fd:)`, else the last figure drained at the rate). Before each frame,
/// `shouldWrite` says whether it can show within `lateness`; if not, the frame is skipped
/// (the player moves on by the clock, and the loop draws the frame due when the link has
/// room). When nothing waits, a frame is always written, however large: the link is idle,
/// and waiting would only make it later.
struct LinkPacer {
    /// A frame is skipped when bytes already waiting would make it show later than this.
    static let lateness = 0.1
    /// A chunk whose write took longer than this waited for the link (a free buffer takes
    /// 4 kB in microseconds).
    static let waitedWrite = 0.002
    /// What the buffers on the way are taken to hold until a write shows it: Linux's pty
    /// takes about 20 kB before a writer blocks (and reports 0 for `TIOCOUTQ`).
    static let hiddenBuffer = 16_384.0
    /// Writes in a row taken at once beyond the buffers' room that end the pacing.
    static let fastWrites = 3

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
    /// Frames skipped and written since the pacer was made (for the trace and tests).
    private(set) var skipped = 0
    private(set) var written = 0

    /// Whether a frame of `bytes` should be written at `now`; `measured`: the bytes the
    /// kernel says still wait on the way out (`waiting(fd:)`), nil where it cannot tell.
    /// A skipped frame is counted.
    mutating func shouldWrite(bytes: Int, now: Double, measured: Int?) -> Bool {
        let waiting = estimate(now: now, measured: measured)
        guard let rate, waiting > 0, (waiting + Double(bytes)) / rate > Self.lateness else {
            return true
        }
        skipped += 1
        return false
    }

    /// Records a picture's write (`CursesTerminal.writeRaw`) that began at `start` and
    /// returned at `end`, with `measured` the kernel's count of bytes waiting after it.
    ///
    /// A write taken at once that the buffers, as believed, had no room for says the link
    /// drained faster than its rate, or the buffers hold more than learned; the reader's
    /// bursts make either happen now and then on a link as slow as before. Pacing (and the
    /// smaller pictures `PlaybackScale` draws while it lasts) ends after `fastWrites` such
    /// writes in a row, not one: one would bring a full-size picture back, late by its
    /// whole length, and the next write that waits would shrink it again (a flicker seen
    /// at 300 kB/s).
    mutating func wrote(_ write: LinkWrite, start: Double, end: Double, measured: Int?) {
        written += 1
        let before = estimate(now: start, measured: nil)
        if write.waited > 0.01 && write.waitedBytes > 0 {
            // From the first chunk that waited to the end the buffers were full: what went
            // through in that time is the link's rate, and they filled after taking `room`
            // on top of what they held.
            update(rate: Double(write.waitedBytes) / write.waited)
            let full = max(Self.hiddenBuffer, before + Double(write.room))
            capacity = capacityLearned ? 0.5 * capacity + 0.5 * full : full
            capacityLearned = true
            backlog = measured.map(Double.init) ?? capacity
            takenBeyond = 0
        } else if let measured {
            backlog = Double(measured)
        } else if rate == nil || before + Double(write.bytes) > capacity {
            // Taken at once, more than the buffers had room for: the link is not slow (any
            // more), once it happened `fastWrites` times in a row.
            takenBeyond += 1
            if rate == nil || takenBeyond >= Self.fastWrites {
                rate = nil
                backlog = 0
                takenBeyond = 0
            } else {
                backlog = before + Double(write.bytes)   // as if the link were as slow as before
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
        guard let rate else { return backlog }
        return max(0, backlog - rate * max(0, elapsed))
    }

    private mutating func update(rate sample: Double) {
        rate = rate.map { 0.7 * $0 + 0.3 * sample } ?? sample
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
