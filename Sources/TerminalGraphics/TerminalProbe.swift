/// Capability detection as a function of its inputs: the environment, a terminal (or
/// none) and a time budget. Nothing is read from the process's own environment or file
/// descriptors here, so every branch is testable with a fake terminal.
///
/// All queries go out at once, DA1 last: every terminal since the VT100 answers DA1, and
/// answers in order, so its reply marks the end of the others and one round trip
/// (bounded by `timeout`) settles everything. A terminal that ignores a query simply
/// sends nothing for it.
///
/// Auto-detection prefers kitty graphics over sixel over half-blocks. Kitty graphics carry
/// the decoded frame's 24-bit colours as they are; sixel has at most 256 colour registers,
/// and quantising a video frame to them adds the banding and colour shifts raters are
/// asked to judge. Terminals that draw both (WezTerm, Konsole) get kitty; xterm, mlterm
/// and foot answer only DA1's 4 and keep sixel; half-blocks work everywhere else.
/// Kitty graphics are asked for with the protocol's query (a 1×1 image with `a=q`, which
/// the terminal checks and answers without storing): an `OK` for id 31 arriving before the
/// DA1 reply means it draws them. Terminals that do not know the protocol ignore the APC.
extension TerminalCapabilities {
    /// The kitty graphics query: id 31, a 1×1 RGB image sent directly (`t=d`), query only.
    static let kittyQuery: [UInt8] = Array("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\".utf8)

    public static func probe(
        environment: [String: String],
        tty: (any TTYLike)?,
        timeout: Duration = .milliseconds(250),
        forcing forced: Graphics? = nil,
        queryGraphicsAttributes: Bool = true
    ) -> TerminalCapabilities {
        let colorMode = Self.colorMode(environment)
        let window = tty?.windowSize()
        let kernelCell = window?.cellSize
        var caps = TerminalCapabilities(
            graphics: forced ?? .ascii, colorMode: colorMode,
            cellWidth: kernelCell?.width ?? defaultCellSize.width,
            cellHeight: kernelCell?.height ?? defaultCellSize.height,
            columns: window?.columns, rows: window?.rows, reason: "")
        let forcedNote = forced.map { "forced \($0.rawValue)" }

        guard let tty else {
            caps.reason = forcedNote ?? "no terminal: ascii, nothing asked"
            return caps
        }
        if environment["TERM"] == "dumb" {
            caps.reason = forcedNote ?? "TERM=dumb: ascii, nothing asked"
            return caps
        }
        if let forced, forced != .sixel, forced != .kitty {
            caps.reason = "forced \(forced.rawValue)"   // nothing to learn for these
            return caps
        }
        if forced == nil, let tmux = environment["TMUX"], !tmux.isEmpty {
            // tmux answers DA1 itself and passes sixel through only when built for it and
            // configured (kitty graphics only with passthrough); half-blocks always work, so
            // that is the default there. A forced sixel or kitty is asked about as anywhere:
            // tmux's own DA1 says whether it passes sixel, and it does not answer the kitty query.
            caps.graphics = .blocks
            caps.reason = "inside tmux: blocks, nothing asked"
            return caps
        }
        // From here on the terminal is asked, forced sixel and kitty included: a forced mode
        // must not skip the questions, or the picture is sized for assumed 10×20 px cells and
        // may exceed the largest image the terminal takes (xterm then draws nothing at all).

        var query: [UInt8] = []
        if queryGraphicsAttributes {
            query += Array("\u{1B}[?1;1;0S\u{1B}[?2;1;0S".utf8)   // XTSMGRAPHICS: registers, geometry
        }
        if kernelCell == nil { query += Array("\u{1B}[16t".utf8) }   // cell size in pixels
        let askKitty = forced == .kitty || (forced == nil && !Self.kittyQueryShows(environment))
        if askKitty { query += kittyQuery }                            // kitty graphics
        query += Array("\u{1B}[c".utf8)                               // DA1, the sentinel

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var replies: [ControlReply] = []
        var answered = false
        var buffer: [UInt8] = []
        if tty.beginQueries() {
            defer { tty.endQueries() }
            if tty.write(query) {
                while clock.now < deadline {
                    let chunk = tty.read(before: deadline)
                    if chunk.isEmpty { continue }
                    buffer += chunk
                    replies = ControlReply.parse(buffer)
                    if replies.contains(where: { $0.isPrivate && $0.final == UInt8(ascii: "c") }) {
                        answered = true
                        break
                    }
                }
            }
        }

        for reply in replies {
            switch (reply.isPrivate, reply.final, reply.parameters) {
            case (true, UInt8(ascii: "c"), let p):
                caps.deviceAttributes = p
            case (true, UInt8(ascii: "S"), let p) where p.count >= 3 && p[0] == 1 && p[1] == 0:
                caps.sixelColorRegisters = p[2]
            case (true, UInt8(ascii: "S"), let p) where p.count >= 4 && p[0] == 2 && p[1] == 0:
                caps.sixelMaxWidth = p[2]; caps.sixelMaxHeight = p[3]
            case (false, UInt8(ascii: "t"), let p) where p.count >= 3 && p[0] == 6 && p[1] > 0 && p[2] > 0:
                if kernelCell == nil { caps.cellHeight = p[1]; caps.cellWidth = p[2] }
            default:
                break
            }
        }

        // DA1's first parameter is the terminal class; the rest are features, 4 = sixel.
        let sixel = caps.deviceAttributes.map { $0.dropFirst().contains(4) } ?? false
        let kitty = askKitty ? KittyReply.isOK(before: answered ? KittyReply.da1Offset(buffer) : nil, in: buffer) : false
        if askKitty { caps.kittyGraphics = kitty }
        if let forced, let forcedNote {
            caps.graphics = forced
            caps.reason = forcedNote
            if answered && forced == .sixel && !sixel {
                caps.unsupported = "this terminal does not draw sixel (its reply to DA1 lists no 4)"
            }
            if answered && forced == .kitty && !kitty {
                caps.unsupported = "this terminal does not draw kitty graphics (it answered DA1 but not the kitty graphics query)"
            }
        } else if kitty {
            caps.graphics = .kitty
            caps.reason = "kitty graphics query answered OK: kitty"
        } else if sixel {
            caps.graphics = .sixel
            caps.reason = "DA1 lists 4: sixel"
        } else {
            caps.graphics = .blocks
            caps.reason = answered ? "DA1 without 4: blocks" : "no DA1 reply within \(timeout): blocks"
        }
        return caps
    }

    /// Where the kitty query would show as text instead of being ignored, so auto-detection
    /// does not send it: GNU screen (`STY`, `TERM=screen…`) takes an APC string as its
    /// hardstatus line, and the Linux console (`TERM=linux`) does not parse APC and prints
    /// it. Neither draws kitty graphics; a forced `--mode kitty` still asks.
    static func kittyQueryShows(_ environment: [String: String]) -> Bool {
        if let sty = environment["STY"], !sty.isEmpty { return true }
        let term = environment["TERM"] ?? ""
        return term == "linux" || term.hasPrefix("screen")
    }

    /// `NO_COLOR` (any non-empty value, per no-color.org) wins; then `COLORTERM` for 24-bit.
    static func colorMode(_ environment: [String: String]) -> HalfBlockRenderer.ColorMode {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .monochrome }
        if let v = environment["COLORTERM"]?.lowercased(), v == "truecolor" || v == "24bit" { return .trueColor }
        if let term = environment["TERM"], term.hasSuffix("-direct") { return .trueColor }
        return .palette256
    }
}

/// One `CSI [?] params final` sequence found in a terminal's reply stream.
struct ControlReply: Equatable {
    var isPrivate: Bool
    var parameters: [Int]
    var final: UInt8

    /// Every complete CSI sequence in `bytes`; other bytes (typed keys, partial
    /// sequences) are skipped.
    static func parse(_ bytes: [UInt8]) -> [ControlReply] {
        var out: [ControlReply] = []
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "[") else { i += 1; continue }
            var j = i + 2
            var isPrivate = false
            if j < bytes.count, bytes[j] == UInt8(ascii: "?") { isPrivate = true; j += 1 }
            var params: [Int] = []
            var current: Int? = nil
            var done = false
            while j < bytes.count {
                let b = bytes[j]
                if b >= 0x30 && b <= 0x39 {
                    current = min(1_000_000, (current ?? 0) * 10 + Int(b - 0x30))
                } else if b == UInt8(ascii: ";") {
                    params.append(current ?? 0); current = nil
                } else if b >= 0x40 && b <= 0x7E {
                    if let current { params.append(current) }
                    out.append(ControlReply(isPrivate: isPrivate, parameters: params, final: b))
                    done = true
                    j += 1
                    break
                } else if b == 0x1B {
                    break    // a new sequence began; this one was cut short
                }
                j += 1
            }
            if !done && j >= bytes.count { break }
            i = j
        }
        return out
    }
}

/// The kitty graphics protocol's answer to the probe's query, found in the reply stream.
enum KittyReply {
    /// Whether `bytes` hold `ESC _ G i=31[,…] ; OK ESC \` that begins before `limit` (the
    /// DA1 reply's offset; nil: anywhere). An error reply (`;ENOTSUPPORTED:…`) is not OK.
    static func isOK(before limit: Int?, in bytes: [UInt8]) -> Bool {
        var i = 0
        let end = min(bytes.count, limit ?? bytes.count)
        while i + 2 < end {
            guard bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "_"), bytes[i + 2] == UInt8(ascii: "G") else { i += 1; continue }
            var j = i + 3
            while j + 1 < bytes.count, !(bytes[j] == 0x1B && bytes[j + 1] == UInt8(ascii: "\\")) { j += 1 }
            guard j + 1 < bytes.count else { return false }   // cut short
            let body = bytes[(i + 3)..<j]
            if let semicolon = body.firstIndex(of: UInt8(ascii: ";")) {
                let keys = body[body.startIndex..<semicolon].split(separator: UInt8(ascii: ","))
                if keys.contains(where: { Array($0) == Array("i=31".utf8) }), Array(body[(semicolon + 1)...]) == Array("OK".utf8) {
                    return true
                }
            }
            i = j + 2
        }
        return false
    }

    /// Where the first DA1 reply (`ESC [ ? digits ; … c`) begins in `bytes`.
    static func da1Offset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "["), bytes[i + 2] == UInt8(ascii: "?") {
                var j = i + 3
                while j < bytes.count, (bytes[j] >= 0x30 && bytes[j] <= 0x39) || bytes[j] == UInt8(ascii: ";") { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "c") { return i }
            }
            i += 1
        }
        return nil
    }
}
