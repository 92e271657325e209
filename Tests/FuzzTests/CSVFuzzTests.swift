import Foundation
import Interchange
import Testing

/// The two CSV parsers (Interchange), fed mutated reliability and labels files.
///
/// A parse either succeeds, and then its result must be internally consistent and survive
/// a round trip through a fully quoted rewrite (which checks the tokenizer's handling of
/// quotes, CR, commas and line breaks inside fields against itself), or it throws the
/// command line's `InputError`, whose message names the file and line on one line.
/// A trap or a hang fails the run (the watchdog ends the process on a hang).
@Suite(.serialized) struct CSVFuzzTests {
    static let name = "fuzz.csv"

    @Test func reliabilityCSV() throws {
        try fuzzCSV(kind: "reliability-csv") { bytes, describe in
            let parsed: ReliabilityCSV
            do {
                parsed = try bytes.withUnsafeBufferPointer { try ReliabilityCSV.parse($0, name: Self.name) }
            } catch let error as InputError {
                return checkMessage(error.message, describe) ? .rejected : .failed
            }
            guard checkConsistent(parsed, describe) else { return .failed }
            // Round trip: every rating and empty cell, quoted, parses back to the same data.
            var text = "\"unit\",\"rater\",\"value\"\n"
            for r in parsed.ratings {
                text += [parsed.unitNames[Int(r.unit)], parsed.raterNames[Int(r.rater)], parsed.valueLabels[Int(r.category)]]
                    .map(quoted).joined(separator: ",") + "\n"
            }
            for e in parsed.emptyCells {
                text += quoted(parsed.unitNames[Int(e.unit)]) + "," + quoted(parsed.raterNames[Int(e.rater)]) + ",\n"
            }
            let again: ReliabilityCSV
            do {
                again = try Array(text.utf8).withUnsafeBufferPointer { try ReliabilityCSV.parse($0, name: Self.name) }
            } catch {
                Issue.record("the quoted rewrite of \(describe()) does not parse: \(error)")
                return .failed
            }
            let before = triples(parsed), after = triples(again)
            #expect(before == after, "round trip changed the ratings of \(describe())")
            #expect(emptyPairs(parsed) == emptyPairs(again), "round trip changed the empty cells of \(describe())")
            return before == after && emptyPairs(parsed) == emptyPairs(again) ? .parsed : .failed
        }
    }

    @Test func labelsCSV() throws {
        try fuzzCSV(kind: "labels-csv") { bytes, describe in
            let rows: [ImportedLabel]
            do {
                rows = try bytes.withUnsafeBufferPointer { try LabelsCSV.parse($0, name: Self.name) }
            } catch let error as InputError {
                return checkMessage(error.message, describe) ? .rejected : .failed
            }
            var ok = true
            var previousLine = 1
            for row in rows {
                if row.clip.isEmpty || row.rater.isEmpty || row.criterion.isEmpty || row.value.isEmpty
                    || (row.frame ?? 0) < 0 || row.line <= previousLine || row.submittedAt == "" || row.batch == "" {
                    Issue.record("inconsistent row \(row) from \(describe())")
                    ok = false
                }
                previousLine = row.line
            }
            // Round trip through concord's own CSV writer (`label export` writes fields this
            // way), with every optional column: what the parser accepted, the writer must be
            // able to write so that the parser reads it back unchanged.
            var text = "clip,rater,criterion,value,frame,submitted_at,batch\n"
            for row in rows {
                text += [row.clip, row.rater, row.criterion, row.value, row.frame.map(String.init) ?? "",
                         row.submittedAt ?? "", row.batch ?? ""].map(CSVField.escape).joined(separator: ",") + "\n"
            }
            let again: [ImportedLabel]
            do {
                again = try Array(text.utf8).withUnsafeBufferPointer { try LabelsCSV.parse($0, name: Self.name) }
            } catch {
                Issue.record("CSVField.escape's rewrite of \(describe()) does not parse: \(error)")
                return .failed
            }
            let strip = { (r: ImportedLabel) in [r.clip, r.rater, r.criterion, r.value, "\(r.frame ?? -1)", r.submittedAt ?? "", r.batch ?? ""] }
            if rows.map(strip) != again.map(strip) {
                Issue.record("round trip changed the rows of \(describe())")
                ok = false
            }
            return ok ? .parsed : .failed
        }
    }

    /// The loop both parsers share: seeds first (as they are), then mutations of them.
    private enum Outcome { case parsed, rejected, failed }

    private func fuzzCSV(kind: String, _ check: ([UInt8], () -> String) throws -> Outcome) throws {
        let seeds = try Fuzz.corpus(kind)
        let mutator = Mutator(dictionary: Mutator.csv)
        let count = Fuzz.iterations(share: 1)
        let watchdog = Watchdog(kind: kind, limit: 20)
        let current = CurrentInput(kind: kind)
        defer { watchdog.stop() }
        var rng = SeededRandom(seed: Fuzz.seed ^ UInt64(kind.utf8.count))
        var failures = 0, slowest = 0.0, parsed = 0
        let t0 = Date()
        for i in 0..<(seeds.count + count) {
            let (input, origin) = mutator.input(i, of: seeds, rng: &rng)
            current.set(input)
            let describe = { "\(origin) (seed \(Fuzz.seed)): \(String(decoding: input.prefix(200), as: UTF8.self).debugDescription)" }
            let (result, seconds) = try watchdog.run(describe()) { try check(input, describe) }
            let passed = result != .failed
            if result == .parsed { parsed += 1 }
            slowest = max(slowest, seconds)
            if seconds > 2 { Issue.record("\(kind): \(seconds) s for one input: \(describe())") }
            if !passed {
                failures += 1
                FuzzRecord.save(kind: kind, name: "failure", bytes: input)
            }
        }
        current.clear(kind: kind)
        FuzzRecord.report(kind: kind, executions: seeds.count + count, seconds: Date().timeIntervalSince(t0),
                          failures: failures, slowest: slowest, note: "\(parsed) parsed without error")
        #expect(failures == 0)
    }

    /// An error names the file and a line, says something, and stays on one line without
    /// control characters (the command line prints it after `concord: ` as the whole of
    /// standard error, to a terminal: an echoed CR or ESC would garble or restyle it).
    private func checkMessage(_ message: String, _ describe: () -> String) -> Bool {
        let ok = message.hasPrefix(Self.name + ":") && message.count > Self.name.count + 10
            && !message.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
        if !ok { Issue.record("unclear error \(message.debugDescription) for \(describe())") }
        return ok
    }

    private func checkConsistent(_ p: ReliabilityCSV, _ describe: () -> String) -> Bool {
        var problems: [String] = []
        if p.ratings.count != p.ratingLines.count { problems.append("ratings and their lines differ in count") }
        if p.emptyCells.count != p.emptyCellLines.count { problems.append("empty cells and their lines differ in count") }
        if p.firstLineOfLabel.count != p.valueLabels.count { problems.append("a value label without its first line") }
        if Set(p.unitNames).count != p.unitNames.count || Set(p.raterNames).count != p.raterNames.count
            || Set(p.valueLabels).count != p.valueLabels.count { problems.append("a name interned twice") }
        if p.unitNames.contains("") || p.raterNames.contains("") || p.valueLabels.contains("") { problems.append("an empty name") }
        for r in p.ratings where !(Int(r.unit) < p.unitNames.count && Int(r.rater) < p.raterNames.count
                                   && Int(r.category) < p.valueLabels.count) {
            problems.append("a rating indexes past its names: \(r)")
            break
        }
        if p.ratingLines != p.ratingLines.sorted() { problems.append("rating lines out of order") }
        if !problems.isEmpty { Issue.record("\(problems.joined(separator: "; ")) for \(describe())") }
        return problems.isEmpty
    }

    private func triples(_ p: ReliabilityCSV) -> [String] {
        p.ratings.map { "\(p.unitNames[Int($0.unit)])\u{1}\(p.raterNames[Int($0.rater)])\u{1}\(p.valueLabels[Int($0.category)])" }
    }

    private func emptyPairs(_ p: ReliabilityCSV) -> [String] {
        p.emptyCells.map { "\(p.unitNames[Int($0.unit)])\u{1}\(p.raterNames[Int($0.rater)])" }
    }
}

/// RFC 4180 quoting of any text, scalar by scalar (a quote followed by a combining mark is
/// one Character, so Character-wise replacement would leave it undoubled).
func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
    }
    return out + "\""
}
