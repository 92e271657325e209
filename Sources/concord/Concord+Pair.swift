import ArgumentParser
import Interchange
import Reports
import Store

/// `concord pair add`: the pairs of a pairwise batch from a CSV clip_a,clip_b[,group]
/// (docs/pairwise.md "Projects").
struct PairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pair", abstract: "Pairs of clips for side-by-side preference.",
                                                    subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add pairs (CSV clip_a,clip_b[,group]) to a pairwise batch (all or nothing).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The batch (created when new).") var batch: String
        @Option(help: "The batch's rubric (with a pairwise criterion), for a new batch.") var rubric: String?
        @Option(help: ArgumentHelp("Pairs CSV with columns clip_a,clip_b and optionally group; - reads standard input.", valueName: "FILE.csv"))
        var file: String

        func run() throws {
            let bytes = try readInput(file)
            let name = file == "-" ? "<stdin>" : file
            let rows = try bytes.withUnsafeBufferPointer { try PairsCSV.parse($0, name: name) }
            let session = try global.session()
            let added = try session.addPairs(rows.map { PairRequest(a: $0.a, b: $0.b, group: $0.group, source: "\(name):\($0.line)") },
                                             batch: batch, rubric: rubric)
            let new = added.filter(\.isNew)
            for pair in new { print("item \(pair.item): \(printableText(pair.a)) vs \(printableText(pair.b))") }
            let kept = added.count - new.count
            print("added \(plural(new.count, "pair")) to batch '\(batch)'" + (kept > 0 ? "; \(plural(kept, "pair")) already in it" : ""))
        }
    }
}
