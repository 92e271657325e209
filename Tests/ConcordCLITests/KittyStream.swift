import Foundation
import Testing

/// Kitty graphics read back from what concord wrote (a file, or script(1)'s record of a
/// terminal session) by a decoder in Python's standard library (base64, zlib), written
/// from the protocol's text and sharing nothing with the encoder under test.
enum KittyStream {
    struct Image {
        /// The first chunk's keys, e.g. ["a": "T", "f": "24", "i": "4410948", …].
        var keys: [String: String]
        /// Each chunk's base64 payload length and its `m` key ("" when absent).
        var chunkSizes: [Int]
        var mFlags: [String]
        /// Where the image's first command begins in the stream.
        var offset: Int
        var width: Int
        var height: Int
        var rgb: [UInt8]
    }

    /// Every graphics command: its offset and its control keys (deletes included).
    struct Command {
        var offset: Int
        var keys: [String: String]
    }

    /// Decodes `stream` (saved under `dir`): every command, and every transmitted image.
    static func decode(_ stream: Data, dir: String) throws -> (commands: [Command], images: [Image]) {
        let input = dir + "/kitty-stream.bin"
        try stream.write(to: URL(fileURLWithPath: input))
        let python = ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"] ?? "/usr/bin/python3"
        let result = try Tool.run(FileManager.default.isExecutableFile(atPath: python) ? python : "/usr/bin/python3",
                                  ["-c", script, input, dir])
        try #require(result.status == 0, "kitty decoder: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let commands = (json["commands"] as? [[String: Any]] ?? []).map {
            Command(offset: $0["offset"] as? Int ?? -1, keys: $0["keys"] as? [String: String] ?? [:])
        }
        var images: [Image] = []
        for (k, entry) in (json["images"] as? [[String: Any]] ?? []).enumerated() {
            let rgb = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/kitty-\(k).rgb")))
            images.append(Image(keys: entry["keys"] as? [String: String] ?? [:], chunkSizes: entry["sizes"] as? [Int] ?? [],
                                mFlags: entry["m"] as? [String] ?? [], offset: entry["offset"] as? Int ?? -1,
                                width: entry["width"] as? Int ?? 0, height: entry["height"] as? Int ?? 0, rgb: rgb))
        }
        return (commands, images)
    }

    /// PSNR in dB of two RGB buffers of one size (99 when identical).
    static func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var sum = 0.0
        for i in 0..<a.count { let d = Double(a[i]) - Double(b[i]); sum += d * d }
        let mse = sum / Double(a.count)
        return mse == 0 ? 99 : 10 * log10(255 * 255 / mse)
    }

    /// The rectangle `width`×`height` at the top left of an RGB picture `stride` pixels wide.
    static func crop(_ rgb: [UInt8], stride: Int, width: Int, height: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(width * height * 3)
        for y in 0..<height { out += rgb[(y * stride * 3)..<(y * stride * 3 + width * 3)] }
        return out
    }

    /// ffmpeg's own frame `index` of `clip` at `width`×`height`, as RGB. Scaled with the
    /// filter concord's decoder uses (Media: area down, bilinear up), so what is compared is the
    /// colour, not two choices of filter (bicubic against area alone costs 3–4 dB on
    /// testsrc2's sharp edges at half size).
    static func ffmpegFrame(_ clip: String, index: Int, width: Int, height: Int, dir: String, flags: String = "area") throws -> [UInt8] {
        let out = dir + "/ffmpeg-\(index)-\(width)x\(height).rgb"
        let result = try Tool.run("/usr/bin/ffmpeg", ["-loglevel", "error", "-y", "-i", clip,
                                                      "-vf", "select=eq(n\\,\(index)),scale=\(width):\(height):flags=\(flags)",
                                                      "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", out])
        try #require(result.status == 0, "ffmpeg: \(result.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    static let script = #"""
import base64, json, sys, zlib
data = open(sys.argv[1], 'rb').read()
out = sys.argv[2]
commands, images, current, i = [], [], None, 0
while True:
    i = data.find(b'\x1b_G', i)
    if i < 0: break
    end = data.find(b'\x1b\\', i)
    assert end > 0, 'a graphics command without ESC \\ at %d' % i
    body = data[i + 3:end]
    control, _, payload = body.partition(b';')
    keys = dict(kv.split('=', 1) for kv in control.decode('ascii').split(',') if kv)
    commands.append({'offset': i, 'keys': keys})
    if current is None and keys.get('a') in ('T', 't'):
        current = {'offset': i, 'keys': keys, 'sizes': [], 'm': [], 'payload': b''}
    if current is not None:
        current['sizes'].append(len(payload)); current['m'].append(keys.get('m', ''))
        current['payload'] += payload
        if keys.get('m') != '1':
            k = current['keys']
            raw = base64.b64decode(current['payload'], validate=True)
            if k.get('o') == 'z': raw = zlib.decompress(raw)
            w, h = int(k['s']), int(k['v'])
            assert k['f'] == '24' and len(raw) == w * h * 3, (k, len(raw))
            open('%s/kitty-%d.rgb' % (out, len(images)), 'wb').write(raw)
            images.append({'offset': current['offset'], 'keys': k, 'sizes': current['sizes'], 'm': current['m'],
                           'width': w, 'height': h})
            current = None
    i = end + 2
assert current is None, 'the last image ends with m=1'
print(json.dumps({'commands': commands, 'images': images}))
"""#
}
