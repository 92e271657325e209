import Aggregation
import ArgumentParser
import Printable
import Reports

/// `concord aggregate FILE|-` and `concord aggregate --batch B --criterion C`: the consensus
/// label per item with its posterior, and each rater's skill, by majority vote, Dawid–Skene,
/// one-coin Dawid–Skene, MACE or GLAD (docs/aggregation.md). Parses and prints only: the
/// numbers are Aggregation's; the file path is in Concord+AggregateFile.swift, the batch
/// path in Concord+AggregateBatch.swift.
struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Consensus labels of a reliability CSV (unit,rater,value) or a batch's criterion: label and posterior per item, skill per rater.",
        discussion: """
        Methods: \(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", ")). \
        mv reports ties as ties; ds and one-coin are crowd-kit 1.4.2's EM; mace and glad start \
        from --seed. A method that is undefined on the data exits 1 with the reason.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Reliability CSV with columns unit,rater,value; - reads standard input.", valueName: "FILE.csv"))
    var file: String?

    @Option(help: "Consensus of a batch's current labels in the project (instead of FILE.csv); needs --criterion.")
    var batch: String?

    @Option(help: "With --batch: the nominal or ordinal criterion.")
    var criterion: String?

    @Flag(name: .customLong("include-models"), help: "With --batch: count model raters' labels too (by default the consensus is people's).")
    var includeModels = false

    @Option(help: ArgumentHelp("The method: \(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "M"))
    var method: String = AggregationMethod.ds.rawValue

    @Option(help: "Output format: text, json or csv.")
    var format: AgreementFormat = .text

    @Option(help: "The seed of mace and glad's random start (same seed, same result).")
    var seed: UInt64 = 0

    func validate() throws {
        if (file == nil) == (batch == nil) {
            throw ValidationError(file == nil ? "give a reliability CSV file (or - for standard input), or --batch NAME --criterion C"
                                              : "give either a CSV file or --batch NAME, not both")
        }
        if batch == nil && (criterion != nil || includeModels) {
            throw ValidationError("--criterion and --include-models apply to --batch")
        }
        if batch != nil && criterion == nil { throw ValidationError("--batch needs --criterion C (the consensus is per criterion)") }
    }

    func run() throws {
        guard let method = AggregationMethod(rawValue: method) else {
            throw InputError("unknown method \(quoted(self.method)); choose from: \(AggregationMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let options = AggregationOptions(seed: seed)
        if let batch { return try runBatch(batch, criterion: criterion!, method: method, options: options) }
        try runFile(file!, method: method, options: options)
    }
}
