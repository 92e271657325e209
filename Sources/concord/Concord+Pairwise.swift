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
    var file: String

    @Option(help: ArgumentHelp("The model: bt or thurstone.", valueName: "M"))
    var model: String = PairwiseModel.bt.rawValue

    @Option(help: ArgumentHelp("Bradley–Terry ties: davidson or half-win (sureal's).", valueName: "T"))
    var ties: String = TieModel.davidson.rawValue

    @Option(help: "Output format: text, json or csv.")
    var format: AgreementFormat = .text

    func run() throws {
        guard let model = PairwiseModel(rawValue: model) else {
            throw InputError("unknown model \(quoted(self.model)); choose from: \(PairwiseModel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let ties = TieModel(rawValue: ties) else {
            throw InputError("unknown tie model \(quoted(self.ties)); choose from: \(TieModel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let name = file == "-" ? "<stdin>" : file
        let data = try withInputBytes(file) { try ComparisonsCSV.parse($0, name: name) }
        let result = Pairwise.fit(data, options: PairwiseOptions(model: model, ties: ties))
        let report = PairwiseReport(source: name, data: data, result: result)
        FileDescriptorOutput.standardOutput.write(format == .json ? report.jsonBytes() : Array(report.render(format).utf8))
    }
}
