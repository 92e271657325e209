import CZlib
import Foundation
import TerminalGraphics

/// Reads kitty graphics escape sequences back into pictures the way a terminal does: every
/// `ESC _ G keys ; payload ESC \` in a byte stream, chunks joined by their `m` flags, the
/// base64 decoded by Foundation and `o=z` payloads inflated by zlib's own `uncompress`, so
/// nothing of the encoder under test is reused.
enum KittyDecoding {
    /// One APC graphics command: its keys in the order written, its payload as sent.
    struct Command {
        var keys: [(key: String, value: String)]
        var payload: [UInt8]
        /// The command's start in the stream.
        var offset: Int

        subscript(key: String) -> String? { keys.first { $0.key == key }?.value }
    }

    /// One transmitted image: the commands (chunks) it took, the first one's keys, the pixels.
    struct Image {
        var chunks: [Command]
        var keys: [String: String]
        var image: RGBImage
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Every graphics command in `bytes`, in order; other bytes are skipped.
    static func commands(_ bytes: [UInt8]) throws -> [Command] {
        var out: [Command] = []
        var i = 0
        while i + 2 < bytes.count {
            guard bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "_"), bytes[i + 2] == UInt8(ascii: "G") else { i += 1; continue }
            var end = i + 3
            while end + 1 < bytes.count, !(bytes[end] == 0x1B && bytes[end + 1] == UInt8(ascii: "\\")) { end += 1 }
            guard end + 1 < bytes.count else { throw Failure("a graphics command at \(i) has no ESC \\") }
            let body = bytes[(i + 3)..<end]
            let semicolon = body.firstIndex(of: UInt8(ascii: ";")) ?? end
            let control = String(decoding: body[body.startIndex..<semicolon], as: UTF8.self)
            let keys = control.split(separator: ",").map { pair -> (key: String, value: String) in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            let payload = semicolon < end ? Array(bytes[(semicolon + 1)..<end]) : []
            out.append(Command(keys: keys, payload: payload, offset: i))
            i = end + 2
        }
        return out
    }

    /// The images transmitted in `bytes` (`a=T` or `a=t` and their continuation chunks),
    /// decoded to RGB. Delete and query commands are left out (see `commands`).
    static func images(_ bytes: [UInt8]) throws -> [Image] {
        var out: [Image] = []
        var current: [Command] = []
        for command in try commands(bytes) {
            if current.isEmpty {
                guard command["a"] == "T" || command["a"] == "t" else { continue }
            }
            current.append(command)
            if command["m"] != "1" {
                out.append(try decode(current))
                current = []
            }
        }
        guard current.isEmpty else { throw Failure("the last image's chunks end with m=1") }
        return out
    }

    static func decode(_ chunks: [Command]) throws -> Image {
        var keys: [String: String] = [:]
        for (k, v) in chunks[0].keys { keys[k] = v }
        guard keys["f"] == "24", let w = keys["s"].flatMap(Int.init), let h = keys["v"].flatMap(Int.init) else {
            throw Failure("expected f=24 with s and v; got \(chunks[0].keys)")
        }
        let base64 = chunks.flatMap(\.payload)
        guard let data = Data(base64Encoded: Data(base64)) else { throw Failure("the payload is not base64") }
        var pixels = Array(data)
        if keys["o"] == "z" {
            var size = uLongf(w * h * 3)
            var inflated = [UInt8](repeating: 0, count: w * h * 3)
            let status = inflated.withUnsafeMutableBufferPointer { dst in
                pixels.withUnsafeBufferPointer { uncompress(dst.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
            }
            guard status == Z_OK else { throw Failure("zlib's uncompress said \(status)") }
            pixels = Array(inflated.prefix(Int(size)))
        }
        guard pixels.count == w * h * 3 else { throw Failure("\(pixels.count) bytes for \(w)×\(h) RGB") }
        return Image(chunks: chunks, keys: keys, image: RGBImage(width: w, height: h, pixels: pixels))
    }
}
