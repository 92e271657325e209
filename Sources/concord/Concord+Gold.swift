import Aggregation
import ArgumentParser
import Foundation
import JSONWriter
import Reports
import Store

/// `concord gold add` and `concord golden export`: known answers for gold questions, and
/// the versioned golden set leads build by adjudicating.
struct GoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gold", abstract: "Gold questions: items with known answers.",
                                                    subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Mark an item's known answer for a criterion (by hand, or --from-golden: every golden-set entry).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item number or its clip's name.") var item: String?
        @Option(help: "The criterion.") var criterion: String?
        @Option(help: "The known answer.") var value: String?
        @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
        @Flag(name: .customLong("from-golden"), help: "Add every entry of the batch's golden set as a gold answer.") var fromGolden = false
        @Flag(help: "A training item: rate --training shows its gold answer after a submit; it never counts toward gold accuracy.")
        var training = false

        func validate() throws {
            if fromGolden {
                if item != nil || criterion != nil || value != nil { throw ValidationError("--from-golden takes no ITEM, --criterion or --value") }
            } else if item == nil || criterion == nil || value == nil {
                throw ValidationError("give ITEM --criterion C --value V, or --from-golden")
            }
        }

        func run() throws {
            let session = try global.session()
            if fromGolden {
                let batch = try self.batch ?? session.defaultBatch()
                let golden = GoldenSet(try session.adjudicationContext(batch: batch))
                for entry in golden.entries {
                    try session.addGold(item: entry.item, criterion: entry.criterion, value: entry.value, fromGolden: true)
                }
                print("batch \(batch): \(plural(golden.entries.count, "gold answer")) added from golden set \(golden.version.prefix(12))")
                return
            }
            let id = try session.item(item!, batch: batch)
            try session.addGold(item: id, criterion: criterion!, value: value!, training: training)
            print("item \(id) \(criterion!): gold answer \(quoted(value!))\(training ? " (a training item: shown in rate --training, never counted)" : "")")
        }
    }
}

struct GoldenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "golden", abstract: "The golden set.", subcommands: [Export.self])

    enum Format: String, ExpressibleByArgument { case jsonl, csv }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the golden set (unanimous and adjudicated answers) with its version, the SHA-256 of its content.",
            discussion: """
            --consensus M adds, for every other unit of a nominal or ordinal criterion with human votes \
            and no decision, the method's consensus label, marked "consensus:M" with its posterior; \
            ties are left out and listed on standard error (docs/adjudication.md).
            """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
        @Option(help: "jsonl or csv.") var format: Format = .jsonl
        @Option(help: "Write to FILE (atomically) instead of standard output.") var out: String?
        @Option(help: ArgumentHelp("Fill the units neither unanimous nor adjudicated with this method's consensus label: \(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", ")).",
                                   valueName: "M"))
        var consensus: String?
        @Option(help: "The seed of mace and glad's random start, with --consensus.") var seed: UInt64 = 0

        func validate() throws {
            if let consensus, AggregationMethod(rawValue: consensus) == nil {
                throw ValidationError("--consensus must be one of \(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", ")); got \(quoted(consensus))")
            }
        }

        func run() throws {
            let session = try global.session()
            let batch = try self.batch ?? session.defaultBatch()
            let context = try session.adjudicationContext(batch: batch)
            let method = consensus.flatMap(AggregationMethod.init(rawValue:))
            let agreed = try method.map { try GoldenSet.Consensus(context, method: $0, options: AggregationOptions(seed: seed)) }
            let golden = GoldenSet(context, consensus: agreed)
            let err = FileDescriptorOutput.standardError
            for (criterion, reason) in agreed?.undefined ?? [] {
                err.write("golden set of batch \(batch): \(method!.rawValue) is undefined on \(printableText(criterion)): \(printableText(reason)); its units have no consensus entry\n")
            }
            if !golden.ties.isEmpty {
                let listed = golden.ties.map { "item \($0.item) \($0.criterion) (\($0.options.joined(separator: ", ")))" }
                err.write("golden set of batch \(batch): \(plural(golden.ties.count, "unit")) tied under \(method!.rawValue), not exported: \(printableText(listed.joined(separator: "; ")))\n")
            }
            let text = format == .jsonl ? Self.jsonl(golden) : Self.csv(golden)
            if let out, out != "-" {
                try global.writeOutput(text, to: out)
                FileDescriptorOutput.standardError.write("golden set of batch \(batch): \(plural(golden.entries.count, "entry")), version \(golden.version) → \(printableText(out))\n")
            } else if TerminalView.isTerminal(out: out) {
                // A person reads it: the canonical lines' C1 and bidi characters shown escaped.
                FileDescriptorOutput.standardOutput.write(format == .jsonl ? TerminalView.json(text) : safeLines(text))
            } else {
                FileDescriptorOutput.standardOutput.write(text)
            }
        }

        /// A header line naming the set and its version, then one canonical line per entry:
        /// the version is the SHA-256 of every line after the header.
        static func jsonl(_ g: GoldenSet) -> String {
            var fields: [String: Any] = ["golden_set": g.batch, "version": g.version, "rubric_hash": g.rubricHash,
                                         "entries": g.entries.count, "hashed": "sha256 of the lines after this one"]
            if let method = g.consensusMethod { fields["consensus"] = method.rawValue; fields["ties"] = g.ties.count }
            let header = JSON.encode(fields)
            return ([header] + g.entries.map(\.canonicalLine)).joined(separator: "\n") + "\n"
        }

        static func csv(_ g: GoldenSet) -> String {
            // With a consensus method, a posterior column ("car=0.9;truck=0.1"; empty for the
            // unanimous and adjudicated entries); without, the columns are as they always were.
            // A set with pair items adds clip_b and clip_b_sha256 (empty for one-clip items), as
            // `label export` adds clip_b.
            let posterior = g.consensusMethod != nil
            let pairs = g.entries.contains { $0.clipB != nil }
            var out = "golden_version,item,clip,\(pairs ? "clip_b," : "")clip_sha256,\(pairs ? "clip_b_sha256," : "")criterion,value,source,votes,adjudicator,reason,rationale,rubric_hash\(posterior ? ",posterior" : "")\n"
            for e in g.entries {
                let clip = [e.clip] + (pairs ? [e.clipB ?? ""] : []) + [e.clipSHA256] + (pairs ? [e.clipBSHA256 ?? ""] : [])
                let fields = [g.version, String(e.item)] + clip + [e.criterion, e.value, e.source,
                              e.votes.map { "\($0.rater)=\($0.value)" }.joined(separator: ";"), e.adjudicator ?? "",
                              e.reason ?? "", e.rationale ?? "", e.rubricHash]
                    + (posterior ? [e.posterior.map { $0.map { "\($0.value)=\(JSON.canonicalNumber($0.p))" }.joined(separator: ";") } ?? ""] : [])
                out += SpreadsheetCell.line(fields)   // read in spreadsheets: no cell may be a formula there
            }
            return out
        }
    }
}
