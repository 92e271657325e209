/// Capability detection as a function of its inputs: the environment, a terminal (or
/// none) and a time budget. Nothing is read from the process's own environment or file
/// descriptors here, so every branch is testable with a fake terminal.
///
/// All queries go out at once, DA1 last: every terminal since the VT100 answers DA1, and
/// answers in order, so its reply marks the end of the others and one round trip
/// (bounded by `timeout`) settles everything. A terminal that ignores a query simply
/// sends nothing for it.
extension TerminalCapabilities {
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
        if let forced, forced != .sixel {
            caps.reason = "forced \(forced.rawValue)"   // nothing to learn for these
            return caps
        }
        if forced == nil, let tmux = environment["TMUX"], !tmux.isEmpty {
            // tmux answers DA1 itself and passes sixel through only when built for it and
            // configured; half-blocks always work, so that is the default there. Forced
            // sixel is asked about as anywhere: tmux's own DA1 says whether it passes sixel.
            caps.graphics = .blocks
            caps.reason = "inside tmux: blocks, nothing asked"
            return caps
        }
        // From here on the terminal is asked, forced sixel included: a forced mode must not
        // skip the questions, or the picture is sized for assumed 10×20 px cells and may
        // exceed the largest image the terminal takes (xterm then draws nothing at all).

        var query: [UInt8] = []
        if queryGraphicsAttributes {
            query += Array("\u{1B}[?1;1;0S\u{1B}[?2;1;0S".utf8)   // XTSMGRAPHICS: registers, geometry
        }
        if kernelCell == nil { query += Array("\u{1B}[16t".utf8) }   // cell size in pixels
        query += Array("\u{1B}[c".utf8)                               // DA1, the sentinel

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var replies: [ControlReply] = []
        var answered = false
        if tty.beginQueries() {
            defer { tty.endQueries() }
            if tty.write(query) {
                var buffer: [UInt8] = []
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
        if let forcedNote {
            caps.graphics = .sixel
            caps.reason = forcedNote
            if answered && !sixel {
                caps.unsupported = "this terminal does not draw sixel (its reply to DA1 lists no 4)"
            }
        } else if sixel {
            caps.graphics = .sixel
            caps.reason = "DA1 lists 4: sixel"
        } else {
            caps.graphics = .blocks
            caps.reason = answered ? "DA1 without 4: blocks" : "no DA1 reply within \(timeout): blocks"
        }
        return caps
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
