import ArgumentParser
import Interchange
import Pairwise
import Printable
import Reports

/// `concord pairwise FILE|-`: side-by-side preferences (a CSV rater,a,b,winner) scaled by
/// Bradley–Terry or Thurstone Case V with 95% intervals, and per-rater figures
/// (docs/pairwise.md). Parses and prints only: the numbers are Pairwise's.
struct PairwiseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairwise",
        abstract: "Scores from side-by-side preferences (CSV rater,a,b,winner): Bradley–Terry or Thurstone, with 95% intervals.",
        discussion: """
        winner repeats the winning item's name from a or b, or is empty for a tie. An item that \
        never loses or never wins (or a group that is not strongly connected) has no \
        maximum-likelihood score: it is listed with the reason and a regularised score.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Comparisons CSV with columns rater,a,b,winner (optional left); - reads standard input.", valueName: "FILE.csv"))
    var file: String?

    @Option(help: "Scores from a pairwise batch's current answers in the project (instead of FILE.csv); needs --criterion.")
    var batch: String?

    @Option(help: "With --batch: the pairwise criterion.")
    var criterion: String?

    @Option(help: ArgumentHelp("With --batch: score clips (item) or systems, a leaderboard over groups (system).", valueName: "item|system"))
    var by: String = "item"

    @Option(help: ArgumentHelp("The model: bt or thurstone.", valueName: "M"))
    var model: String = PairwiseModel.bt.rawValue

    @Option(help: ArgumentHelp("Bradley–Terry ties: davidson or half-win (sureal's).", valueName: "T"))
    var ties: String = TieModel.davidson.rawValue

    @Option(help: ArgumentHelp("Also 95% intervals from N bootstrap resamples of raters.", valueName: "N"))
    var bootstrap: Int?

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("include-models"), help: "With --batch: count model raters' answers too (left out by default).")
    var includeModels = false

    @Option(help: "Output format: text, json or csv.")
    var format: AgreementFormat = .text

    func run() throws {
        guard let model = PairwiseModel(rawValue: model) else {
            throw InputError("unknown model \(quoted(self.model)); choose from: \(PairwiseModel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let ties = TieModel(rawValue: ties) else {
            throw InputError("unknown tie model \(quoted(self.ties)); choose from: \(TieModel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let options = PairwiseOptions(model: model, ties: ties)
        switch (file, batch) {
        case (let file?, nil):
            if criterion != nil { throw InputError("--criterion goes with --batch, not with a file") }
            if by != "item" { throw InputError("--by goes with --batch: a comparisons file names no systems") }
            if includeModels { throw InputError("--include-models goes with --batch: a comparisons file has no rater roles") }
            try runFile(file, options: options)
        case (nil, let batch?):
            guard let criterion else { throw InputError("--batch needs --criterion NAME: the pairwise criterion to score") }
            try runBatch(batch, criterion: criterion, options: options)
        case (.some, .some):
            throw InputError("give a comparisons file or --batch, not both")
        case (nil, nil):
            throw InputError("give a comparisons CSV (rater,a,b,winner) or --batch B --criterion C")
        }
    }
}
