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
            abstract: "Write the golden set (unanimous and adjudicated answers) with its version, the SHA-256 of its content.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The batch (may be omitted when the project has one).") var batch: String?
        @Option(help: "jsonl or csv.") var format: Format = .jsonl
        @Option(help: "Write to FILE (atomically) instead of standard output.") var out: String?

        func run() throws {
            let session = try global.session()
            let batch = try self.batch ?? session.defaultBatch()
            let golden = GoldenSet(try session.adjudicationContext(batch: batch))
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
            let header = JSON.encode(["golden_set": g.batch, "version": g.version, "rubric_hash": g.rubricHash,
                                          "entries": g.entries.count, "hashed": "sha256 of the lines after this one"])
            return ([header] + g.entries.map(\.canonicalLine)).joined(separator: "\n") + "\n"
        }

        static func csv(_ g: GoldenSet) -> String {
            var out = "golden_version,item,clip,clip_sha256,criterion,value,source,votes,adjudicator,reason,rationale,rubric_hash\n"
            for e in g.entries {
                let fields = [g.version, String(e.item), e.clip, e.clipSHA256, e.criterion, e.value, e.source,
                              e.votes.map { "\($0.rater)=\($0.value)" }.joined(separator: ";"), e.adjudicator ?? "",
                              e.reason ?? "", e.rationale ?? "", e.rubricHash]
                out += SpreadsheetCell.line(fields)   // read in spreadsheets: no cell may be a formula there
            }
            return out
        }
    }
}
