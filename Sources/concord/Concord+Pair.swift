import ArgumentParser
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
            throw InputError("pair add is not built yet")
        }
    }
}
