#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import TerminalGraphics

/// A terminal that hears everything and says nothing (a serial console, a broken pipe
/// through ssh, a multiplexer swallowing queries).
final class SilentTTY: TTYLike {
    var written: [UInt8] = []
    var began = 0, ended = 0
    /// The deadline of every read, in order.
    var deadlines: [ContinuousClock.Instant] = []
    var size: WindowSize?
    init(size: WindowSize? = nil) { self.size = size }
    func beginQueries() -> Bool { began += 1; return true }
    func endQueries() { ended += 1 }
    func write(_ bytes: [UInt8]) -> Bool { written += bytes; return true }
    func read(before deadline: ContinuousClock.Instant) -> [UInt8] {
        deadlines.append(deadline)
        let left = deadline - ContinuousClock.now
        if left > .zero { sleepFor(left) }
        return []
    }
    func windowSize() -> WindowSize? { size }
}

/// Answers queries as a scripted terminal would, a few bytes at a time, after a delay.
final class ScriptedTTY: TTYLike {
    var answers: [String: String]
    var pending: [UInt8] = []
    var written: [UInt8] = []
    var size: WindowSize?
    var ended = 0
    init(answers: [String: String], size: WindowSize? = nil) { self.answers = answers; self.size = size }
    func beginQueries() -> Bool { true }
    func endQueries() { ended += 1 }
    func write(_ bytes: [UInt8]) -> Bool {
        written += bytes
        // Answer in the order asked, each query a CSI sequence we know.
        let text = String(decoding: bytes, as: UTF8.self)
        for q in text.components(separatedBy: "\u{1B}").dropFirst() {
            if let a = answers["\u{1B}" + q] { pending += Array(a.utf8) }
        }
        return true
    }
    func read(before deadline: ContinuousClock.Instant) -> [UInt8] {
        if pending.isEmpty {
            let left = deadline - ContinuousClock.now
            if left > .zero { sleepFor(left) }
            return []
        }
        sleepFor(.milliseconds(2))
        let chunk = Array(pending.prefix(5))   // replies arrive split, as over ssh
        pending.removeFirst(chunk.count)
        return chunk
    }
    func windowSize() -> WindowSize? { size }
}

/// A real terminal with every read's deadline recorded.
final class RecordingTTY: TTYLike {
    let inner: any TTYLike
    var deadlines: [ContinuousClock.Instant] = []
    init(_ inner: any TTYLike) { self.inner = inner }
    func beginQueries() -> Bool { inner.beginQueries() }
    func endQueries() { inner.endQueries() }
    func write(_ bytes: [UInt8]) -> Bool { inner.write(bytes) }
    func read(before deadline: ContinuousClock.Instant) -> [UInt8] {
        deadlines.append(deadline)
        return inner.read(before: deadline)
    }
    func windowSize() -> WindowSize? { inner.windowSize() }
}

func sleepFor(_ d: Duration) {
    let (s, atto) = d.components
    var ts = timespec(tv_sec: Int(s), tv_nsec: Int(atto / 1_000_000_000))
    nanosleep(&ts, nil)
}

@Suite struct ProbeTests {
    static let vt340: [String: String] = [
        "\u{1B}[c": "\u{1B}[?63;1;2;4;6;9;15;22c",
        "\u{1B}[?1;1;0S": "\u{1B}[?1;0;256S",
        "\u{1B}[?2;1;0S": "\u{1B}[?2;0;1000;800S",
        "\u{1B}[16t": "\u{1B}[6;18;9t",
    ]

    /// The kitty graphics query as the scripted terminal splits what it hears (at each ESC).
    static let kittyQuery = "\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA"
    static let kittyOK = "\u{1B}_Gi=31;OK\u{1B}\\"

    /// WezTerm and Konsole draw sixel and kitty graphics: kitty wins (24-bit colours).
    @Test func kittyAnswerBeforeDA1GivesKitty() {
        var answers = Self.vt340
        answers[Self.kittyQuery] = Self.kittyOK
        let tty = ScriptedTTY(answers: answers)
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm-kitty"], tty: tty, timeout: .milliseconds(500))
        #expect(caps.graphics == .kitty)
        #expect(caps.reason == "kitty graphics query answered OK: kitty")
        #expect(caps.kittyGraphics == true)
        #expect(caps.cellWidth == 9 && caps.cellHeight == 18)      // still from CSI 16 t
        #expect(caps.deviceAttributes == [63, 1, 2, 4, 6, 9, 15, 22])
        #expect(caps.pixelBox(columns: 200, rows: 60) == (1800, 1080))   // not cut to the sixel maximum
        #expect(tty.ended == 1)
        // kitty itself answers DA1 without 4.
        let kitty = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;c", Self.kittyQuery: Self.kittyOK])
        #expect(TerminalCapabilities.probe(environment: [:], tty: kitty, timeout: .milliseconds(500)).graphics == .kitty)
    }

    /// Only an OK for id 31 before the DA1 reply counts: an error, another id, or an OK
    /// after DA1 (not an answer to this query) leaves the terminal to sixel or blocks.
    @Test func otherKittyRepliesDoNotCount() {
        let replies = [
            "\u{1B}_Gi=31;ENOTSUPPORTED:no\u{1B}\\",
            "\u{1B}_Gi=32;OK\u{1B}\\",
        ]
        for reply in replies {
            let tty = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;4c", Self.kittyQuery: reply])
            let caps = TerminalCapabilities.probe(environment: [:], tty: tty, timeout: .milliseconds(500))
            #expect(caps.graphics == .sixel && caps.kittyGraphics == false, "\(reply.debugDescription)")
        }
        let late = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;22c" + Self.kittyOK])
        let caps = TerminalCapabilities.probe(environment: [:], tty: late, timeout: .milliseconds(500))
        #expect(caps.graphics == .blocks && caps.kittyGraphics == false)
        #expect(!KittyReply.isOK(before: 5, in: Array(("\u{1B}[?6c" + Self.kittyOK).utf8)))
        #expect(KittyReply.isOK(before: nil, in: Array(("x" + Self.kittyOK).utf8)))
        #expect(!KittyReply.isOK(before: nil, in: Array("\u{1B}_Gi=31;OK".utf8)))   // cut short
    }

    /// GNU screen shows an APC string as its hardstatus line and the Linux console prints
    /// it: auto-detection does not send the kitty query there (sixel and blocks as before);
    /// a forced kitty still asks.
    @Test func noKittyQueryWhereItWouldShow() {
        for env in [["TERM": "screen.xterm-256color"], ["TERM": "xterm", "STY": "1234.pts-0.host"], ["TERM": "linux"]] {
            let tty = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;4c", Self.kittyQuery: Self.kittyOK])
            let caps = TerminalCapabilities.probe(environment: env, tty: tty, timeout: .milliseconds(500))
            #expect(!String(decoding: tty.written, as: UTF8.self).contains("_G"), "\(env)")
            #expect(caps.graphics == .sixel && caps.kittyGraphics == nil, "\(env)")
        }
        let forced = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;4c", Self.kittyQuery: Self.kittyOK])
        let caps = TerminalCapabilities.probe(environment: ["TERM": "linux"], tty: forced, timeout: .milliseconds(500), forcing: .kitty)
        #expect(String(decoding: forced.written, as: UTF8.self).contains(Self.kittyQuery))
        #expect(caps.graphics == .kitty && caps.kittyGraphics == true && caps.unsupported == nil)
    }

    /// `--mode kitty` with no terminal: the 10×20 px cell sixel assumes. On a terminal it
    /// asks (the cell size), and a terminal that answers DA1 but not the query is flagged.
    @Test func forcedKitty() {
        let none = TerminalCapabilities.probe(environment: [:], tty: nil, forcing: .kitty)
        #expect(none.graphics == .kitty && none.reason == "forced kitty" && none.unsupported == nil)
        #expect(none.pixelsPerCell == (10, 20))
        #expect(none.pixelBox(columns: 64, rows: 18) == (640, 360))

        let vt340 = ScriptedTTY(answers: Self.vt340)
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: vt340, timeout: .milliseconds(500), forcing: .kitty)
        #expect(caps.graphics == .kitty && caps.reason == "forced kitty")
        #expect(caps.cellWidth == 9 && caps.cellHeight == 18)
        #expect(caps.unsupported == "this terminal does not draw kitty graphics (it answered DA1 but not the kitty graphics query)")
        #expect(String(decoding: vt340.written, as: UTF8.self).contains(Self.kittyQuery))

        // Silence says nothing against it (a pipe, a recorder such as script(1)).
        let silent = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: SilentTTY(), timeout: .milliseconds(50), forcing: .kitty)
        #expect(silent.graphics == .kitty && silent.unsupported == nil)

        // Inside tmux a forced kitty is asked about; tmux answers DA1 itself, not the query.
        let tmux = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?1;2;4c"])
        let inTmux = TerminalCapabilities.probe(environment: ["TMUX": "/tmp/tmux-0/default,1,0"], tty: tmux,
                                                timeout: .milliseconds(500), forcing: .kitty)
        #expect(inTmux.graphics == .kitty && inTmux.unsupported != nil)

        // Forced sixel does not ask about kitty.
        let sixel = ScriptedTTY(answers: Self.vt340)
        _ = TerminalCapabilities.probe(environment: [:], tty: sixel, timeout: .milliseconds(500), forcing: .sixel)
        #expect(!String(decoding: sixel.written, as: UTF8.self).contains("_G"))
    }

    @Test func noTTYMeansASCIIAndNoQuestions() {
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm-256color"], tty: nil)
        #expect(caps.graphics == .ascii)
        #expect(caps.colorMode == .palette256)
        #expect(caps.cellWidth == 10 && caps.cellHeight == 20)
        #expect(caps.deviceAttributes == nil)
        #expect(caps.reason == "no terminal: ascii, nothing asked")
    }

    /// One wait for all four questions, not one each: every read shares the single
    /// deadline set when the questions went out, `timeout` after the probe began. The
    /// behaviour is asserted, not the wall clock (a loaded machine made timings flaky; the
    /// probe's cost is measured in BENCHMARKS.md).
    @Test(.timeLimit(.minutes(1))) func silentTerminalCostsOneWait() {
        let tty = SilentTTY()
        let timeout = Duration.milliseconds(120)
        let start = ContinuousClock.now
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: tty, timeout: timeout)
        let deadline = tty.deadlines.first
        #expect(tty.deadlines.count >= 1)
        #expect(tty.deadlines.allSatisfy { $0 == deadline })
        #expect(deadline.map { $0 >= start + timeout } == true)
        #expect(caps.graphics == .blocks)
        #expect(caps.reason == "no DA1 reply within 0.12 seconds: blocks")
        #expect(tty.began == 1 && tty.ended == 1)
        #expect(String(decoding: tty.written, as: UTF8.self)
                == "\u{1B}[?1;1;0S\u{1B}[?2;1;0S\u{1B}[16t\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\\u{1B}[c")
        #expect(caps.kittyGraphics == false)
        #expect(caps.cellWidth == 10 && caps.cellHeight == 20)
    }

    @Test func vt340LikeTerminalGivesSixelAndItsAttributes() {
        let tty = ScriptedTTY(answers: Self.vt340)
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm", "COLORTERM": "truecolor"], tty: tty,
                                              timeout: .milliseconds(500))
        #expect(caps.graphics == .sixel)
        #expect(caps.reason == "DA1 lists 4: sixel")
        #expect(caps.deviceAttributes == [63, 1, 2, 4, 6, 9, 15, 22])
        #expect(caps.sixelColorRegisters == 256)
        #expect(caps.sixelMaxWidth == 1000 && caps.sixelMaxHeight == 800)
        #expect(caps.cellWidth == 9 && caps.cellHeight == 18)      // from CSI 16 t
        #expect(caps.colorMode == .trueColor)
        #expect(caps.sixelEncoder.maxColors == 256)
        #expect(tty.ended == 1)
    }

    @Test func kernelPixelSizeWinsAndIsNotAskedAgain() {
        let tty = ScriptedTTY(answers: Self.vt340,
                              size: WindowSize(rows: 24, columns: 80, pixelWidth: 640, pixelHeight: 384))
        let caps = TerminalCapabilities.probe(environment: [:], tty: tty, timeout: .milliseconds(500))
        #expect(caps.cellWidth == 8 && caps.cellHeight == 16)
        #expect(caps.columns == 80 && caps.rows == 24)
        #expect(!String(decoding: tty.written, as: UTF8.self).contains("16t"))
    }

    @Test func terminalWithoutSixelGetsBlocks() {
        let tty = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;22c"])   // a VT220 class, no 4
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: tty, timeout: .milliseconds(500))
        #expect(caps.graphics == .blocks)
        #expect(caps.reason == "DA1 without 4: blocks")
        #expect(caps.sixelColorRegisters == nil)
        // "4" only counts as a feature, not as the class parameter.
        let four = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?4;6c"])
        #expect(TerminalCapabilities.probe(environment: [:], tty: four, timeout: .milliseconds(500)).graphics == .blocks)
    }

    @Test func tmuxGivesBlocksWithoutAskingUnlessForced() {
        let tty = SilentTTY()
        let env = ["TMUX": "/tmp/tmux-0/default,123,0", "TERM": "tmux-256color"]
        let caps = TerminalCapabilities.probe(environment: env, tty: tty)
        #expect(caps.graphics == .blocks)
        #expect(caps.reason == "inside tmux: blocks, nothing asked")
        #expect(tty.written.isEmpty && tty.began == 0)
        // Forced sixel is asked about even inside tmux: tmux's own DA1 says whether it passes sixel.
        let forced = TerminalCapabilities.probe(environment: env, tty: tty, timeout: .milliseconds(50), forcing: .sixel)
        #expect(forced.graphics == .sixel && forced.reason == "forced sixel" && forced.unsupported == nil)
        #expect(tty.began == 1 && String(decoding: tty.written, as: UTF8.self).hasSuffix("\u{1B}[c"))
    }

    /// A forced mode does not skip the questions: forced sixel learns the cell size and the
    /// largest picture (without them a 200-column xterm got a picture past its maximum and
    /// drew nothing).
    @Test func forcedSixelStillAsksTheTerminal() {
        let tty = ScriptedTTY(answers: Self.vt340)
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: tty, timeout: .milliseconds(500), forcing: .sixel)
        #expect(caps.graphics == .sixel && caps.reason == "forced sixel" && caps.unsupported == nil)
        #expect(caps.cellWidth == 9 && caps.cellHeight == 18)
        #expect(caps.sixelMaxWidth == 1000 && caps.sixelMaxHeight == 800)
        #expect(caps.sixelColorRegisters == 256)
    }

    /// Forced sixel on a terminal whose DA1 lists no 4 is flagged, in words the commands show.
    @Test func forcedSixelOnATerminalWithoutSixelIsFlagged() {
        let vt220 = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;1;2;6;22c"])
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: vt220, timeout: .milliseconds(500), forcing: .sixel)
        #expect(caps.graphics == .sixel)
        #expect(caps.unsupported == "this terminal does not draw sixel (its reply to DA1 lists no 4)")
        // No reply at all says nothing against it (a pipe, a recorder): the forced mode stands.
        let silent = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: SilentTTY(), timeout: .milliseconds(50), forcing: .sixel)
        #expect(silent.graphics == .sixel && silent.unsupported == nil)
    }

    /// The sixel box is cut to the largest picture the terminal reported, and only then.
    @Test func sixelBoxNeverExceedsTheReportedMaximum() {
        var caps = TerminalCapabilities(graphics: .sixel, colorMode: .palette256, reason: "")
        #expect(caps.sixelBox(width: 1190, height: 914) == (1190, 914))   // nothing reported
        caps.sixelMaxWidth = 1000
        caps.sixelMaxHeight = 650
        #expect(caps.sixelBox(width: 1190, height: 914) == (1000, 650))
        #expect(caps.sixelBox(width: 714, height: 592) == (714, 592))
        #expect(caps.sixelBox(width: 1200, height: 100) == (1000, 100))
        caps.sixelMaxWidth = 0                                            // nonsense: at least 1
        #expect(caps.sixelBox(width: 10, height: 10) == (1, 10))
    }

    @Test func noColorIsRespected() {
        let tty = ScriptedTTY(answers: ["\u{1B}[c": "\u{1B}[?62;22c"])
        let env = ["TERM": "xterm", "COLORTERM": "truecolor", "NO_COLOR": "1"]
        let caps = TerminalCapabilities.probe(environment: env, tty: tty, timeout: .milliseconds(500))
        #expect(caps.graphics == .blocks && caps.colorMode == .monochrome)
        #expect(TerminalCapabilities.probe(environment: env, tty: nil).colorMode == .monochrome)
        // An empty NO_COLOR does not count (no-color.org).
        #expect(TerminalCapabilities.probe(environment: ["NO_COLOR": "", "COLORTERM": "24bit"], tty: nil).colorMode == .trueColor)
    }

    @Test func forcedModesAndDumbTerminals() {
        let tty = SilentTTY()
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: tty, forcing: .ascii)
        #expect(caps.graphics == .ascii && tty.written.isEmpty)
        #expect(TerminalCapabilities.probe(environment: ["TERM": "dumb"], tty: tty).graphics == .ascii)
        #expect(TerminalCapabilities.probe(environment: [:], tty: nil, forcing: .sixel).graphics == .sixel)
    }

    @Test func replyParserSkipsNoiseAndPartialSequences() {
        let bytes = Array("x\u{1B}[?1;0;16Sjunk\u{1B}[6;20;10t\u{1B}[?63;4".utf8)
        #expect(ControlReply.parse(bytes) == [
            ControlReply(isPrivate: true, parameters: [1, 0, 16], final: UInt8(ascii: "S")),
            ControlReply(isPrivate: false, parameters: [6, 20, 10], final: UInt8(ascii: "t")),
        ])
    }

    #if canImport(Glibc)
    /// The real implementation against a pseudo-terminal nobody reads: raw mode, poll()
    /// deadlines and termios restored afterwards.
    @Test(.timeLimit(.minutes(1))) func realPTYThatNeverAnswers() throws {
        // posix_openpt/grantpt/unlockpt need _XOPEN_SOURCE, which Glibc's Swift module does
        // not define; these are the Linux ioctls they wrap (asm-generic/ioctls.h).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(master >= 0)
        defer { close(master) }
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        var unlock: Int32 = 0, number: Int32 = 0
        try #require(ioctl(master, TIOCSPTLCK, &unlock) == 0 && ioctl(master, TIOCGPTN, &number) == 0)
        let name = "/dev/pts/\(number)"
        let slave = open(name, O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        defer { close(slave) }
        var before = termios()
        tcgetattr(slave, &before)
        let tty = RecordingTTY(try #require(FileDescriptorTTY(fileDescriptor: slave)))
        let start = ContinuousClock.now
        let caps = TerminalCapabilities.probe(environment: ["TERM": "xterm"], tty: tty, timeout: .milliseconds(150))
        // One wait, not one per question; that it ends at all is the no-hang check (the
        // test's time limit catches a hang). Timings belong to the benchmarks.
        let deadline = tty.deadlines.first
        #expect(tty.deadlines.count >= 1)
        #expect(tty.deadlines.allSatisfy { $0 == deadline })
        #expect(deadline.map { $0 >= start + .milliseconds(150) } == true)
        #expect(caps.graphics == .blocks)
        var after = termios()
        tcgetattr(slave, &after)
        #expect(after.c_lflag == before.c_lflag)
        // The queries reached the terminal side.
        var buf = [UInt8](repeating: 0, count: 256)
        let n = read(master, &buf, 256)
        #expect(String(decoding: buf.prefix(max(0, n)), as: UTF8.self).hasSuffix("\u{1B}[c"))
    }
    #endif
}
