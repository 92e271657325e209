#if canImport(Glibc)
import Glibc
#endif

/// Keeps playback on the wall clock over a slow link (ssh, a throttled pipe): a picture is
/// written only when the link can take it in time, so frames are dropped, never queued
/// (docs/architecture.md, "Over a slow link").
///
/// Bytes a blocking `write` has handed over may still wait — in a pipe, a socket, the pty,
/// and beyond — before the terminal shows them; a frame written behind a backlog shows late
/// by the backlog's drain time. The pacer keeps two figures: the backlog (measured where
/// the kernel tells it, `waiting(fd:)`, else estimated) and the link's drain rate (from how
/// long writes had to wait, and from how fast a measured backlog went down). Before each
/// frame, `shouldWrite` says whether it can show within `lateness` of now; if not, the
/// frame is skipped (the player moves on by the clock and the next frame due is drawn when
/// the link has room). When nothing waits, a frame is always written, however large: the
/// link is idle, and waiting would only make it later.
struct LinkPacer {
    /// A frame is skipped when bytes already waiting would make it show later than this.
    static let lateness = 0.1
    /// A write that took longer than this waited for the link (a free buffer takes a
    /// picture in well under a millisecond).
    static let waitedWrite = 0.002
    /// What a full pty holds when a write had to wait and the kernel cannot say: Linux's
    /// pty takes about 20 kB before a writer blocks, and reports 0 for `TIOCOUTQ`.
    static let hiddenBuffer = 16_384.0

    /// The link's measured drain rate in bytes a second; nil until a write had to wait
    /// (an unthrottled link never slows playback, so there is nothing to pace).
    private(set) var rate: Double?
    /// Bytes believed waiting at `since`.
    private var backlog = 0.0
    private var since = 0.0
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

    /// Records a write of `bytes` that began at `start` and returned at `end`, with
    /// `measured` the kernel's count of bytes waiting after it (nil: unknown).
    mutating func wrote(bytes: Int, start: Double, end: Double, measured: Int?) {
        written += 1
        let before = estimate(now: start, measured: nil)
        let took = end - start
        if took > Self.waitedWrite {
            // The write waited for the link, so the link was busy all along: what went
            // through in that time is its rate (all the bytes, less what still waits).
            let through = before + Double(bytes) - Double(measured ?? Int(Self.hiddenBuffer))
            if through > 0 { update(rate: through / took) }
            backlog = Double(measured ?? Int(min(Self.hiddenBuffer, Double(bytes))))
        } else if let measured {
            backlog = Double(measured)
        } else {
            // Taken at once by a pty that reports nothing: nothing is known to wait, and a
            // frame larger than the pty's buffer went straight through, so the link is no
            // longer slow.
            backlog = 0
            if Double(bytes) > Self.hiddenBuffer { rate = nil }
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
