import Foundation
import Rubric
import Testing

/// The rubric loader (UTF-8 check, Yams/libyaml, the validator) on mutated rubric files,
/// with YAML's sharp edges in the dictionary: anchors and aliases (and a billion-laughs
/// seed), merge keys, tags, directives, deep flow and block nesting, documents markers.
///
/// Each input either loads, and then its canonical JSON must load again to the same version
/// (the Store keeps rubrics that way), or fails with `RubricErrors`: at least one problem,
/// each naming the file with a non-empty message and a position that is 0:0 or inside the
/// text. Anything else thrown, a trap or a hang is a failure.
@Suite(.serialized) struct RubricFuzzTests {
    static let file = "fuzz.yaml"

    @Test func rubricLoader() throws {
        let kind = "rubric"
        let seeds = try Fuzz.corpus(kind)
        let mutator = Mutator(dictionary: Mutator.yaml)
        let count = Fuzz.iterations(share: 0.25)
        let watchdog = Watchdog(kind: kind, limit: 30)
        let current = CurrentInput(kind: kind)
        defer { watchdog.stop() }
        let dir = try Fuzz.scratch("rubric")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededRandom(seed: Fuzz.seed ^ 0x7AB)
        var failures = 0, slowest = 0.0, loaded = 0
        let t0 = Date()
        for i in 0..<(seeds.count + count) {
            let (input, origin) = mutator.input(i, of: seeds, rng: &rng)
            current.set(input)
            let describe = "\(origin) (seed \(Fuzz.seed))"
            // Through a file, as `rubric add` reads it: the byte-level UTF-8 check included.
            let path = dir + "/" + Self.file
            _ = FileManager.default.createFile(atPath: path, contents: Data(input))
            let (problem, seconds): (String?, Double) = watchdog.run(describe) {
                do {
                    let rubric = try Rubric.load(path: path)
                    loaded += 1
                    let again = try Rubric.fromCanonicalJSON(rubric.canonicalJSON)
                    if again.contentHash != rubric.contentHash || again != rubric {
                        return "its canonical JSON loads as another version"
                    }
                    return nil
                } catch let errors as RubricErrors {
                    // libyaml also breaks lines at CR, NEL, LS and PS: count generously.
                    let lineCount = input.reduce(1) { $0 + ([0x0A, 0x0D, 0x85, 0xA8, 0xA9].contains($1) ? 1 : 0) }
                    for p in errors.problems {
                        if p.message.trimmingCharacters(in: .whitespaces).isEmpty { return "an empty problem message" }
                        if !(p.file == path || p.file == "<canonical JSON>") { return "a problem naming \(p.file)" }
                        if p.line < 0 || p.line > lineCount + 1 || p.column < 0 || (p.line == 0) != (p.column == 0) {
                            return "a problem at \(p.line):\(p.column) outside a \(lineCount)-line file: \(p)"
                        }
                    }
                    return nil
                } catch {
                    return "threw \(type(of: error)) instead of RubricErrors: \(error)"
                }
            }
            slowest = max(slowest, seconds)
            if seconds > 5 { Issue.record("rubric: \(seconds) s for \(describe)") }
            if let problem {
                failures += 1
                let saved = FuzzRecord.save(kind: kind, name: "failure", bytes: input)
                Issue.record("rubric \(describe): \(problem) (input saved to \(saved))")
            }
        }
        current.clear(kind: kind)
        FuzzRecord.report(kind: kind, executions: seeds.count + count, seconds: Date().timeIntervalSince(t0),
                          failures: failures, slowest: slowest, note: "\(loaded) loaded as a valid rubric")
        #expect(failures == 0)
        // The valid seeds load: the loop checked the success path, not only errors.
        #expect(loaded >= 4)
    }
}
