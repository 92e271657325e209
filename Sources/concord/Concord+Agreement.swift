import Agreement
import ArgumentParser
import Interchange
import Printable
import Reports

/// `concord agreement FILE.csv`: every agreement statistic of a reliability CSV.
struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inter-rater agreement of a reliability CSV (unit,rater,value).",
        discussion: """
        Computes Krippendorff's alpha (nominal, ordinal, interval, ratio), Fleiss' kappa, \
        Cohen's kappa, weighted kappa (linear, quadratic), Scott's pi, percent agreement and \
        Gwet's AC1. A statistic that does not apply to the data is reported as undefined \
        with the reason. Metric names: \(Metric.allCases.map(\.rawValue).joined(separator: ", ")).
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Reliability CSV with columns unit,rater,value; - reads standard input.",
                                 valueName: "FILE.csv"))
    var file: String?

    @Option(help: "Agreement of a batch's current labels in the project, per criterion (instead of FILE.csv).")
    var batch: String?

    @Option(help: "With --batch: only this criterion.")
    var criterion: String?

    @Flag(name: .customLong("include-models"), help: "With --batch: count model raters' labels too (by default agreement is among people).")
    var includeModels = false

    @Option(help: "Output format: text, json or csv.")
    var format: AgreementFormat = .text

    @Option(name: .customLong("metric"),
            help: ArgumentHelp("Report only this metric (repeatable); text output then prints one value per line.",
                               valueName: "M"))
    var metricNames: [String] = []

    @Option(help: ArgumentHelp("Category order, low to high, comma-separated: fixes ordinal distances and the category set of Gwet's AC1; every value must be in it.",
                               valueName: "a,b,c"))
    var order: String?

    @Option(help: ArgumentHelp("Percentile bootstrap confidence intervals from B resamples of the units.", valueName: "B"))
    var bootstrap: Int?

    @Option(help: ArgumentHelp("Seed of the bootstrap's random generator (same seed, same interval).", valueName: "S"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Confidence level of the bootstrap interval.", valueName: "C"))
    var confidence: Double = 0.95

    @Option(help: ArgumentHelp("Also break the statistics down by category (one-vs-rest), rater-pair, or rater (leave that rater out); with --batch, criterion (the default) too.",
                               valueName: "criterion|category|rater-pair|rater"))
    var by: BreakdownKind?

    @Flag(name: .customLong("over-time"), help: "With --batch: alpha (with its bootstrap interval) and gold accuracy per time window, rubric version markers and a drift warning (docs/statistics.md).")
    var overTime = false

    @Option(help: ArgumentHelp("With --over-time: day, week (ISO, UTC) or N items per window.", valueName: "day|week|N"))
    var window: String?

    func validate() throws {
        if (file == nil) == (batch == nil) {
            throw ValidationError(file == nil ? "give a reliability CSV file (or - for standard input), or --batch NAME"
                                              : "give either a CSV file or --batch NAME, not both")
        }
        if batch == nil && (criterion != nil || includeModels) {
            throw ValidationError("--criterion and --include-models apply to --batch")
        }
        if batch != nil && order != nil {
            throw ValidationError("--order applies to a CSV file; a batch uses its rubric's option order")
        }
        if by == .criterion && batch == nil { throw ValidationError("--by criterion applies to --batch") }
        try validateOverTime()
        if by == .gold && batch == nil { throw ValidationError("--by gold applies to --batch: gold answers live in a project") }
        if let bootstrap, !(1...1_000_000).contains(bootstrap) {
            throw ValidationError("--bootstrap must be between 1 and 1000000 resamples; got \(bootstrap)")
        }
        if seed != nil && bootstrap == nil {
            throw ValidationError("--seed only applies with --bootstrap B")
        }
        if !(confidence > 0 && confidence < 1) {
            throw ValidationError("--confidence must be between 0 and 1 (e.g. 0.95); got \(confidence)")
        }
    }

    func run() throws {
        let metrics = try requestedMetrics()
        if let batch {
            if by == .gold { return try runGold(batch) }
            if overTime { return try runOverTime(batch) }
            return try runBatch(batch, metrics: metrics)
        }
        let file = self.file!
        let explicitOrder = try parsedOrder()
        let name = file == "-" ? "<stdin>" : file
        let bytes = try readInput(file)
        let csv = try bytes.withUnsafeBufferPointer { try ReliabilityCSV.parse($0, name: name) }
        let data = try csv.reliabilityData(order: explicitOrder, name: name)
        try csv.checkValues(of: data, for: metrics ?? [], name: name)

        let shown = metrics ?? Metric.allCases
        let summary = AgreementSummary(data)
        var intervals: [Metric: Result<BootstrapInterval, UndefinedInterval>]?
        if let bootstrap {
            intervals = Bootstrap.intervals(data, metrics: shown, resamples: bootstrap, seed: seed ?? 1,
                                            confidence: confidence)
        }
        let report = AgreementReport(source: name, data: data, summary: summary, shown: shown,
                                     listOnly: metrics != nil, intervals: intervals,
                                     bootstrap: bootstrap.map { ($0, seed ?? 1, confidence) },
                                     breakdown: by.map { BreakdownReport(kind: $0, data: data, metrics: shown) })
        FileDescriptorOutput.standardOutput.write(report.render(format))
    }

    /// Bootstrap settings as the report shows them.
    var bootstrapSettings: (Int, UInt64, Double)? { bootstrap.map { ($0, seed ?? 1, confidence) } }

    /// The metrics asked for with --metric, or nil for all; unknown names are errors.
    private func requestedMetrics() throws -> [Metric]? {
        guard !metricNames.isEmpty else { return nil }
        var metrics: [Metric] = []
        for name in metricNames {
            guard let metric = Metric(rawValue: name) else {
                throw InputError("unknown metric \(quoted(name)); choose from: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !metrics.contains(metric) { metrics.append(metric) }
        }
        return metrics
    }

    private func parsedOrder() throws -> CategorySet? {
        guard let order else { return nil }
        let labels = order.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmedForOption() }
        if labels.contains(where: \.isEmpty) {
            throw InputError("--order has an empty category in \(quoted(order)); write the categories low to high, separated by commas")
        }
        // "1" and "1.0" are one category, so naming both is naming one twice.
        for (i, label) in labels.enumerated() {
            let number = CategorySet.number(from: label)
            if labels[..<i].contains(where: { $0 == label || (number != nil && CategorySet.number(from: $0) == number) }) {
                throw InputError("--order names the category \(quoted(label)) twice")
            }
        }
        let set = CategorySet(ordered: labels)
        return set
    }
}

extension AgreementFormat: ExpressibleByArgument {}
extension BreakdownKind: ExpressibleByArgument {}

extension String {
    func trimmedForOption() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
