import struct Agreement.SplitMix64
import Foundation
import Testing

/// What every fuzzer of this target shares: the seeded generator, the byte mutator, the
/// corpus on disk, the iteration budget, the hang watchdog and the figures `make fuzz`
/// writes to fuzz/RESULTS.md.
///
/// Property/mutation fuzzing rather than coverage-guided: it runs inside `swift test` with
/// no special build, and every failure replays from its seed. (`make fuzz` also runs the
/// libFuzzer harnesses of fuzz/libfuzzer for the parsers and encoders.)
enum Fuzz {
    /// The package root, from this file's path (Tests/FuzzTests/FuzzSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `CONCORD_FUZZ_ITERATIONS` (default 6000, about 15 s of `make test`): inputs for a fast
    /// pure parser. Slower kinds
    /// take a fixed share of it (`iterations(share:)`), so one number scales the whole suite.
    static let baseIterations: Int = {
        if let text = ProcessInfo.processInfo.environment["CONCORD_FUZZ_ITERATIONS"], let n = Int(text), n > 0 { return n }
        return 6000
    }()

    static func iterations(share: Double, minimum: Int = 1) -> Int {
        max(minimum, Int((Double(baseIterations) * share).rounded()))
    }

    /// `CONCORD_FUZZ_SEED` replays a run; by default the seed is fixed, so `make test` is
    /// deterministic and a failure it reports reproduces.
    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["CONCORD_FUZZ_SEED"], let n = UInt64(text) { return n }
        return 0x00C0_4C04_D000_0009
    }()

    /// The seed inputs of one kind: every regular file of fuzz/corpus/KIND, sorted by name.
    static func corpus(_ kind: String) throws -> [(name: String, bytes: [UInt8])] {
        let dir = packageRoot.appendingPathComponent("fuzz/corpus/\(kind)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }.sorted()
        let files = try names.map { ($0, [UInt8](try Data(contentsOf: dir.appendingPathComponent($0)))) }
        try #require(!files.isEmpty, "fuzz/corpus/\(kind) has no seed inputs")
        return files
    }

    /// A fresh directory under TMPDIR for the files one fuzzer writes.
    static func scratch(_ label: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("concord-fuzz-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Agreement's SplitMix64 (the bootstrap's generator): tiny, fast, and the same sequence on
/// every platform, so a seed names an input. With the helpers the mutators use.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
    init(seed: UInt64) { self.init(state: seed) }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

/// Byte-level mutations in the style of libFuzzer's mutator, plus dictionaries of the tokens
/// each format is most sensitive to (quotes and line ends for CSV, anchors and nesting for
/// YAML), because random bytes alone rarely reach past a parser's first check.
struct Mutator {
    var dictionary: [[UInt8]]

    /// Input `i` of a run: the seeds as they are first, then mutations of random seeds,
    /// each with the origin a failure report names.
    func input(_ i: Int, of seeds: [(name: String, bytes: [UInt8])], rng: inout SeededRandom) -> (bytes: [UInt8], origin: String) {
        if i < seeds.count { return (seeds[i].bytes, seeds[i].name) }
        let s = seeds[rng.below(seeds.count)]
        return (mutate(s.bytes, others: seeds.map(\.bytes), rng: &rng), "mutation \(i) of \(s.name)")
    }

    /// Bytes any text parser should survive: quotes, CR, NUL, invalid and truncated UTF-8,
    /// a BOM in the middle, huge and odd numbers.
    static let common: [[UInt8]] = [
        [0x22], [0x22, 0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0x2C], [0x09], [0x20],
        [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBB, 0xBF],
        Array("99999999999999999999999999999".utf8), Array("-0".utf8), Array("1e309".utf8), Array("NaN".utf8),
        Array("-9223372036854775808".utf8), Array("0x7fffffff".utf8), Array("ü日本Ω".utf8), Array("\u{202E}".utf8),
    ]

    static let csv: [[UInt8]] = common + [
        Array("unit".utf8), Array("rater".utf8), Array("value".utf8), Array("clip".utf8), Array("criterion".utf8),
        Array("frame".utf8), Array("submitted_at".utf8), Array("batch".utf8), Array("a.mp4".utf8), Array("alice".utf8),
        Array("present".utf8), Array("ttc".utf8), Array("yes".utf8), Array("2026-03-04T05:06:07Z".utf8),
        Array(",,,,".utf8), Array("\"\"\"".utf8), Array(" \"x\" ".utf8), Array("\n\n\n".utf8),
    ]

    static let yaml: [[UInt8]] = common + [
        Array(": ".utf8), Array("- ".utf8), Array("&a ".utf8), Array("*a".utf8), Array("<<: ".utf8), Array("!!binary ".utf8),
        Array("!!str ".utf8), Array("? ".utf8), Array("|".utf8), Array(">-".utf8), Array("{".utf8), Array("}".utf8),
        Array("[".utf8), Array("]".utf8), Array("---\n".utf8), Array("...\n".utf8), Array("%YAML 1.1\n".utf8),
        Array("%TAG ! tag:x,2000:\n".utf8), Array("#".utf8), Array("'".utf8), Array("\\u0000".utf8), Array("\\x".utf8),
        Array(String(repeating: "[", count: 200).utf8), Array(String(repeating: "{a: ", count: 100).utf8),
        Array("    ".utf8), Array("\t".utf8), Array("id: ".utf8), Array("scale: ".utf8), Array("options: ".utf8),
        Array("range: [".utf8), Array("step: ".utf8), Array("when: {".utf8), Array("key: ".utf8), Array("nominal".utf8),
        Array("ordinal".utf8), Array("interval".utf8), Array("ratio".utf8), Array("text".utf8), Array("1e-400".utf8),
        Array(".inf".utf8), Array("-.nan".utf8), Array("~".utf8), Array("null".utf8), Array("true".utf8),
    ]

    /// Mutates `input` with 1–4 stacked mutations; `others` are the other seeds, for splicing.
    func mutate(_ input: [UInt8], others: [[UInt8]], rng: inout SeededRandom) -> [UInt8] {
        var out = input
        for _ in 0...rng.below(4) {
            switch rng.below(11) {
            case 0 where !out.isEmpty:  // flip one bit
                let i = rng.below(out.count)
                out[i] ^= UInt8(1) << UInt8(rng.below(8))
            case 1 where !out.isEmpty:  // replace a byte with a random one
                out[rng.below(out.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 2:  // insert random bytes
                let n = 1 + rng.below(8)
                out.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: rng.below(out.count + 1))
            case 3 where !out.isEmpty:  // delete a range
                let i = rng.below(out.count)
                out.removeSubrange(i..<min(out.count, i + 1 + rng.below(16)))
            case 4 where !out.isEmpty:  // duplicate a chunk (repeated rows, repeated keys)
                let i = rng.below(out.count), n = 1 + rng.below(min(64, out.count - i))
                let chunk = Array(out[i..<(i + n)])
                for _ in 0...rng.below(3) { out.insert(contentsOf: chunk, at: rng.below(out.count + 1)) }
            case 5 where !out.isEmpty:  // truncate
                out.removeSubrange(rng.below(out.count)..<out.count)
            case 6, 7, 8:  // insert a dictionary token (the most productive mutation)
                let token = dictionary[rng.below(dictionary.count)]
                out.insert(contentsOf: token, at: rng.below(out.count + 1))
            case 9 where !others.isEmpty:  // splice: a prefix of this, a suffix of another seed
                let other = others[rng.below(others.count)]
                out = Array(out[0..<rng.below(out.count + 1)]) + Array(other[rng.below(other.count + 1)...])
            case 10 where !out.isEmpty:  // overwrite with an interesting byte
                let specials: [UInt8] = [0x00, 0x0A, 0x0D, 0x22, 0x2C, 0x7F, 0x80, 0xFF, 0x3A, 0x2D, 0x26, 0x2A]
                out[rng.below(out.count)] = specials[rng.below(specials.count)]
            default:
                break
            }
        }
        return out
    }
}

/// Aborts the whole test process, naming the input, when one input runs longer than
/// `limit`: a hang must fail `make test` rather than stall it forever, and an input
/// stuck in a C library cannot be cancelled from Swift. Inputs finishing under the limit
/// but over `slow` are recorded as test issues by `check`.
final class Watchdog: @unchecked Sendable {
    let kind: String
    let limit: Double
    private let lock = NSLock()
    private var started: Double?
    private var current = ""
    private var stopped = false

    init(kind: String, limit: Double) {
        self.kind = kind
        self.limit = limit
        let thread = Thread { [weak self] in
            while let self, self.tick() { Thread.sleep(forTimeInterval: 0.25) }
        }
        thread.start()
    }

    /// Returns false once stopped, ending the watchdog thread.
    private func tick() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if stopped { return false }
        if let started, now() - started > limit {
            let path = FuzzRecord.save(kind: kind, name: "hang", bytes: Array(current.utf8))
            FileHandle.standardError.write(Data("FuzzTests: \(kind): an input ran over \(limit) s (a hang): \(current); saved to \(path)\n".utf8))
            exit(70)
        }
        return true
    }

    /// Runs `body` on one input, described by `input` (its seed and origin) for the report.
    func run<T>(_ input: @autoclosure () -> String, _ body: () throws -> T) rethrows -> (T, Double) {
        let t0 = now()
        lock.lock(); started = t0; current = input(); lock.unlock()
        defer { lock.lock(); started = nil; lock.unlock() }
        let value = try body()
        return (value, now() - t0)
    }

    func stop() { lock.lock(); stopped = true; lock.unlock() }

    func now() -> Double { Date().timeIntervalSinceReferenceDate }
}

/// The counts `make fuzz` turns into fuzz/RESULTS.md: when `CONCORD_FUZZ_RESULTS` names a
/// file, each fuzzer appends one tab-separated line (kind, executions, seconds, failures,
/// slowest input in ms, a note on how many inputs got past the first check).
enum FuzzRecord {
    static func report(kind: String, executions: Int, seconds: Double, failures: Int, slowest: Double, note: String = "") {
        guard let path = ProcessInfo.processInfo.environment["CONCORD_FUZZ_RESULTS"] else { return }
        let line = "\(kind)\t\(executions)\t\(String(format: "%.1f", seconds))\t\(failures)\t\(String(format: "%.1f", slowest * 1000))\t\(note)\n"
        // One O_APPEND write per line: the fuzz suites run at once, and a seek to the end then a
        // write could land two lines at one offset.
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Writes a failing input where a person can find it: `CONCORD_FUZZ_CRASH_DIR` (make fuzz
    /// sets fuzz/crashes) or TMPDIR. Copy it to fuzz/corpus/KIND/regress-* once fixed.
    @discardableResult
    static func save(kind: String, name: String, bytes: [UInt8]) -> String {
        let dir = ProcessInfo.processInfo.environment["CONCORD_FUZZ_CRASH_DIR"] ?? FileManager.default.temporaryDirectory.path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = "\(dir)/\(kind)-\(name)-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

/// Remembers the input being run in a file before running it, when `CONCORD_FUZZ_CRASH_DIR`
/// is set, so that an input that kills the process (a trap, a segfault in FFmpeg) is left
/// on disk as `KIND-current` for the person reading the crash. Off in `make test`: it costs
/// a write per input.
final class CurrentInput {
    private let fd: Int32

    init(kind: String) {
        if let dir = ProcessInfo.processInfo.environment["CONCORD_FUZZ_CRASH_DIR"] {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            fd = open("\(dir)/\(kind)-current", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            fd = -1
        }
    }

    func set(_ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        bytes.withUnsafeBytes { _ = pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The run survived: nothing to leave behind.
    func clear(kind: String) {
        guard fd >= 0 else { return }
        close(fd)
        if let dir = ProcessInfo.processInfo.environment["CONCORD_FUZZ_CRASH_DIR"] {
            unlink("\(dir)/\(kind)-current")
        }
    }
}
