import ArgumentParser
import Dispatch
import Foundation
import Media
import Printable
import Reports
import TerminalGraphics

/// `concord preview CLIP`: one frame (or a run of frames) of a clip, decoded in-process and
/// drawn as kitty graphics (24-bit), sixel, half-blocks or ASCII on standard output — for scripts, tests, piping, and
/// a quick look over SSH.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Draw a frame of a clip in the terminal (kitty graphics, sixel, half-blocks or ASCII).",
        discussion: """
        Frames count from 0 in display order; --at T is the frame on screen at T seconds (the \
        last whose time is ≤ T). Without --mode the terminal is asked (kitty graphics if it \
        answers their query, else sixel if it says so; half-blocks inside tmux; ASCII without a \
        terminal). Kitty and sixel use the terminal's cell size, or 10×20 pixels per cell when \
        unknown; sixel never exceeds the largest picture the terminal reports. A forced --mode \
        kitty or sixel on a terminal that says it has neither is refused.
        """)

    @Argument(help: ArgumentHelp("The clip file.", valueName: "CLIP")) var clip: String
    @Option(help: ArgumentHelp("The frame on screen at this time, in seconds.", valueName: "SECONDS")) var at: Double?
    @Option(help: ArgumentHelp("Frame number, from 0 in display order.", valueName: "N")) var frame: Int?
    @Option(help: ArgumentHelp("Frames A to B, decoded in order as playback does.", valueName: "A-B")) var frames: String?
    @Option(help: "kitty, sixel, blocks or ascii (default: ask the terminal).") var mode: TerminalCapabilities.Graphics?
    @Option(help: ArgumentHelp("Width in terminal columns.", valueName: "COLS")) var width: Int?
    @Option(help: ArgumentHelp("Height in terminal rows (default: what the width and the clip's shape need).", valueName: "ROWS")) var height: Int?
    @Flag(help: "Print each frame's index, time and decode/render times on standard error.") var info = false

    func validate() throws {
        if [at != nil, frame != nil, frames != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --at, --frame or --frames")
        }
        if let at, !(at >= 0) { throw ValidationError("--at must be 0 or more seconds; got \(at)") }
        if let frame, frame < 0 { throw ValidationError("--frame counts from 0; got \(frame)") }
        if let width, !(1...4000).contains(width) { throw ValidationError("--width must be 1 to 4000 columns; got \(width)") }
        if let height, !(1...2000).contains(height) { throw ValidationError("--height must be 1 to 2000 rows; got \(height)") }
        if let frames, parsedRange(frames) == nil {
            throw ValidationError("--frames takes A-B with 0 ≤ A ≤ B, e.g. 10-40; got \(quoted(frames))")
        }
    }

    func parsedRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, a <= b else { return nil }
        return a...b
    }

    func run() throws {
        let decoder: VideoDecoder
        do { decoder = try VideoDecoder(path: clip) } catch let error as MediaError { throw InputError(error.description) }
        let last = decoder.frameCount - 1
        let range: ClosedRange<Int>
        if let frames { range = parsedRange(frames)! }
        else if let frame { range = frame...frame }
        else { let i = decoder.frameIndex(atSeconds: at ?? 0); range = i...i }
        guard range.upperBound <= last else {
            throw InputError("\(printableText(clip)): frame \(range.upperBound) is outside the clip, which has frames 0–\(last)")
        }

        let isTTY = isatty(1) == 1
        // The terminal is asked whenever the picture goes to one, a forced mode included:
        // kitty and sixel need its cell size, sixel the largest picture it takes (without them a
        // 200-column xterm got a picture past its maximum, drew nothing, and we exited 0).
        let tty: FileDescriptorTTY? = isTTY ? FileDescriptorTTY.controllingTerminal() : nil
        let caps = TerminalCapabilities.probe(environment: ProcessInfo.processInfo.environment, tty: tty, forcing: mode)
        if info, tty != nil {
            FileDescriptorOutput.standardError.write("terminal: \(Self.describe(caps))\n")
        }
        if info { FileDescriptorOutput.standardError.write("clip: \(Self.describe(decoder))\n\(decoder.indexDescription)\n") }
        if let unsupported = caps.unsupported {
            let sixel = caps.graphics == .kitty && caps.deviceAttributes.map { $0.dropFirst().contains(4) } == true
            throw InputError("--mode \(caps.graphics.rawValue): \(unsupported); use --mode \(sixel ? "sixel, " : "")blocks or ascii")
        }
        let columns = width ?? caps.columns ?? 80
        // Cells to pixels as the workbench reckons them (TerminalCapabilities+Cells).
        let rows = height ?? caps.rows(columns: columns, displayAspect: decoder.displayAspect)
        let box = caps.pixelBox(columns: columns, rows: rows)
        let scale = FrameScale.scaledTo(width: box.width, height: box.height)

        let out = FileDescriptorOutput.standardOutput
        let multi = range.count > 1
        if multi && isTTY { out.write("\u{1b}7") }   // save the cursor: each frame is drawn in place
        let encoder = caps.sixelEncoder
        let kitty = caps.kittyEncoder   // one image id: each frame of --frames replaces the last
        for index in range {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let decoded = try decodeFrame(decoder, index: index, first: index == range.lowerBound, scale: scale)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let image = RGBImage(width: decoded.width, height: decoded.height, pixels: decoded.rgb)
            var bytes: [UInt8]
            switch caps.graphics {
            case .kitty: bytes = kitty.encode(image) + [0x0A]   // one image pixel per screen pixel, as sixel
            case .sixel: bytes = encoder.encode(image) + [0x0A]
            case .blocks: bytes = HalfBlockRenderer(mode: caps.colorMode).render(image)
            case .ascii: bytes = ASCIIRenderer().render(image, fittingColumns: columns, rows: rows)   // cells are 1:2
            }
            let t2 = DispatchTime.now().uptimeNanoseconds
            if multi && isTTY && index != range.lowerBound { bytes = Array("\u{1b}8".utf8) + bytes }
            out.write(bytes)
            if info {
                FileDescriptorOutput.standardError.write(
                    "frame \(decoded.index) pts \(fixed(decoded.pts, 6)) s · \(decoded.width)×\(decoded.height) px \(caps.graphics.rawValue) · decode \(fixed(Double(t1 - t0) / 1e6, 2)) ms (\(decoded.decodedFrames) frame\(decoded.decodedFrames == 1 ? "" : "s")) · render \(fixed(Double(t2 - t1) / 1e6, 2)) ms · \(bytes.count) bytes\n")
            }
        }
    }

    /// What the terminal told the probe, for `--info`: "forced sixel · cell 6×13 px ·
    /// sixel at most 1000×650 px, 1024 colour registers", "kitty graphics query answered
    /// OK: kitty · cell 9×18 px".
    static func describe(_ caps: TerminalCapabilities) -> String {
        var parts = [caps.reason, "cell \(caps.cellWidth)×\(caps.cellHeight) px"]
        if caps.graphics == .kitty, caps.reason.hasPrefix("forced"), let answered = caps.kittyGraphics {
            parts.append(answered ? "the terminal answered the kitty graphics query" : "no answer to the kitty graphics query")
        }
        if let w = caps.sixelMaxWidth, let h = caps.sixelMaxHeight { parts.append("sixel at most \(w)×\(h) px") }
        if let registers = caps.sixelColorRegisters { parts.append("\(registers) colour registers") }
        return parts.joined(separator: " · ")
    }

    private func decodeFrame(_ decoder: VideoDecoder, index: Int, first: Bool, scale: FrameScale) throws -> DecodedFrame {
        do {
            if first { return try decoder.frame(at: index, scale: scale) }
            guard let next = try decoder.nextFrame(scale: scale) else {
                throw InputError("\(printableText(clip)): the clip ended before frame \(index)")
            }
            return next
        } catch let error as MediaError {
            throw InputError(error.description)
        }
    }
}

extension TerminalCapabilities.Graphics: ExpressibleByArgument {}
