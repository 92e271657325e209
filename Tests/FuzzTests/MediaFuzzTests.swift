import Foundation
@testable import Media
import Testing

/// Clip opening on mutated and truncated video files: the in-process probe `clip add` runs
/// (`ClipProbe`), then the decoder the workbench plays with (`VideoDecoder`): playback from
/// the start, exact seeks to random frames and times (NaN, negative, huge included), and
/// scaling to random sizes down to 1×1.
///
/// Seeds are tiny clips of fuzz/corpus/video (64×48, 10 frames; H.264 with and without
/// B-frames in MP4, Matroska and MPEG-TS, VP9 in WebM at an odd size, MPEG-4 Part 2 in AVI,
/// MJPEG in QuickTime, H.264 with an audio track). Mutations aim at containers: bit flips
/// anywhere or in the header, 32-bit fields set to extremes (box sizes, counts,
/// timestamps), truncation, zeroed ranges, duplicated chunks, and splices of two files.
///
/// Each call must return or throw `MediaError` with a message; what it returns must be
/// consistent (sizes, RGB byte counts, frame numbers in range). A crash ends the test
/// process; a hang ends it through the watchdog.
@Suite(.serialized) struct MediaFuzzTests {
    @Test func openAndDecodeMutatedClips() throws {
        let kind = "video"
        let seeds = try Fuzz.corpus(kind)
        let count = Fuzz.iterations(share: 0.05, minimum: 20)
        let watchdog = Watchdog(kind: kind, limit: 60)
        let current = CurrentInput(kind: kind)
        defer { watchdog.stop() }
        let dir = try Fuzz.scratch("video")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededRandom(seed: Fuzz.seed ^ 0xC1_1B)
        var failures = 0, slowest = 0.0, probed = 0, decoded = 0
        let t0 = Date()
        for i in 0..<(seeds.count + count) {
            let seed = seeds[i < seeds.count ? i : rng.below(seeds.count)]
            let input = i < seeds.count ? seed.bytes : VideoMutator.mutate(seed.bytes, others: seeds.map(\.bytes), rng: &rng)
            let origin = i < seeds.count ? seed.name : "mutation \(i) of \(seed.name)"
            current.set(input)
            let path = dir + "/clip-\(i % 4)." + (seed.name.split(separator: ".").last.map(String.init) ?? "mp4")
            _ = FileManager.default.createFile(atPath: path, contents: Data(input))
            let describe = "\(origin) (seed \(Fuzz.seed))"
            var callRNG = SeededRandom(seed: rng.next())
            let (problems, seconds) = watchdog.run(describe) {
                Self.exercise(path: path, rng: &callRNG, probed: &probed, decoded: &decoded)
            }
            slowest = max(slowest, seconds)
            if seconds > 20 { Issue.record("video: \(seconds) s for \(describe)") }
            if !problems.isEmpty {
                failures += 1
                let saved = FuzzRecord.save(kind: kind, name: "failure", bytes: input)
                Issue.record("video \(describe): \(problems.joined(separator: "; ")) (input saved to \(saved))")
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        current.clear(kind: kind)
        FuzzRecord.report(kind: kind, executions: seeds.count + count, seconds: Date().timeIntervalSince(t0),
                          failures: failures, slowest: slowest, note: "\(probed) probed, \(decoded) opened for decoding")
        #expect(failures == 0)
        // Every seed is a valid clip: the success paths were checked too.
        #expect(probed >= seeds.count && decoded >= seeds.count)
    }

    /// Probe, open, play, seek and scale; returns what was wrong.
    static func exercise(path: String, rng: inout SeededRandom, probed: inout Int, decoded: inout Int) -> [String] {
        var problems: [String] = []
        func expectMediaError(_ what: String, _ body: () throws -> Void) {
            do { try body() } catch let error as MediaError {
                if error.message.trimmingCharacters(in: .whitespaces).isEmpty || error.path != path {
                    problems.append("\(what): unclear MediaError \(error)")
                }
            } catch {
                problems.append("\(what): threw \(type(of: error)) instead of MediaError: \(error)")
            }
        }
        expectMediaError("probe") {
            let info = try ClipProbe.probe(path: path)
            probed += 1
            if info.frameCount <= 0 || info.width <= 0 || info.height <= 0 || !info.duration.isFinite || info.duration < 0
                || !info.frameRate.isFinite || info.frameRate < 0 || ![0, 90, 180, 270].contains(info.rotation) {
                problems.append("probe gave \(info)")
            }
        }
        expectMediaError("decoder") {
            let decoder = try VideoDecoder(path: path)
            let n = decoder.frameCount
            if decoder.width <= 0 || decoder.height <= 0 || decoder.frameTimes.count != n || !decoder.displayAspect.isFinite {
                problems.append("decoder opened as \(decoder.width)×\(decoder.height), \(n) frames, \(decoder.frameTimes.count) times")
                return
            }
            func check(_ frame: DecodedFrame, _ scale: FrameScale, _ what: String) {
                let size = decoder.outputSize(for: scale)
                if frame.index < 0 || frame.index >= n || frame.width != size.width || frame.height != size.height
                    || frame.rgb.count != frame.width * frame.height * 3 {
                    problems.append("\(what): frame \(frame.index) \(frame.width)×\(frame.height) with \(frame.rgb.count) bytes")
                }
            }
            // Playback from the start, a few frames past the end.
            var played = 0
            expectMediaError("playback") {
                while played <= n + 2, let frame = try decoder.nextFrame() {
                    check(frame, .native, "playback")
                    played += 1
                }
            }
            if played > n { problems.append("playback gave \(played) frames of \(n)") }
            // Seeks: random frames, the ends, just outside them; random times; random scales.
            let scales: [FrameScale] = [.native, .scaledTo(width: 1, height: 1),
                                        .scaledTo(width: 1 + rng.below(200), height: 1 + rng.below(200))]
            var indices = [0, n - 1, -1, n, Int.max, Int.min]
            for _ in 0..<3 { indices.append(rng.below(max(1, n))) }
            for index in indices {
                let scale = scales[rng.below(scales.count)]
                expectMediaError("frame(at: \(index))") {
                    let frame = try decoder.frame(at: index, scale: scale)
                    if frame.index != index { problems.append("frame(at: \(index)) returned frame \(frame.index)") }
                    check(frame, scale, "frame(at: \(index))")
                }
            }
            for seconds in [Double.nan, -1, 0, .infinity, -.infinity, 1e300, 9.2e18, Double(rng.below(2000)) / 1000] {
                expectMediaError("frame(atSeconds: \(seconds))") {
                    let frame = try decoder.frame(atSeconds: seconds)
                    check(frame, .native, "frame(atSeconds: \(seconds))")
                }
            }
            decoded += 1
        }
        return problems
    }
}

/// Container-aware byte mutations for video files.
enum VideoMutator {
    static func mutate(_ input: [UInt8], others: [[UInt8]], rng: inout SeededRandom) -> [UInt8] {
        var out = input
        for _ in 0...rng.below(3) where !out.isEmpty {
            switch rng.below(9) {
            case 0:  // a few bit flips anywhere
                for _ in 0...rng.below(16) { let i = rng.below(out.count); out[i] ^= UInt8(1) << UInt8(rng.below(8)) }
            case 1:  // bit flips in the first 1 KiB (ftyp/moov of faststart MP4, EBML, RIFF headers)
                for _ in 0...rng.below(4) { let i = rng.below(min(1024, out.count)); out[i] ^= UInt8(1) << UInt8(rng.below(8)) }
            case 2:  // a 32-bit field set to an extreme (box sizes, sample counts, timestamps)
                guard out.count >= 4 else { break }
                let i = rng.below(out.count - 3)
                let v: UInt32 = [0, 1, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 8, 0xFFFF][rng.below(7)]
                for k in 0..<4 { out[i + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(3 - k))) }
            case 3:  // truncation
                out.removeSubrange(rng.below(out.count)..<out.count)
            case 4:  // a zeroed range
                let i = rng.below(out.count), n = min(out.count - i, 1 + rng.below(256))
                for k in i..<(i + n) { out[k] = 0 }
            case 5:  // a duplicated chunk
                let i = rng.below(out.count), n = min(out.count - i, 1 + rng.below(512))
                out.insert(contentsOf: out[i..<(i + n)], at: rng.below(out.count + 1))
            case 6:  // a deleted chunk
                let i = rng.below(out.count)
                out.removeSubrange(i..<min(out.count, i + 1 + rng.below(512)))
            case 7:  // a splice with another clip
                let other = others[rng.below(others.count)]
                out = Array(out[0..<rng.below(out.count + 1)]) + Array(other[rng.below(other.count + 1)...])
            default:  // random bytes overwritten
                let i = rng.below(out.count)
                for k in i..<min(out.count, i + 1 + rng.below(32)) { out[k] = UInt8(truncatingIfNeeded: rng.next()) }
            }
        }
        return out
    }
}
