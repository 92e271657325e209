import ArgumentParser
import Interchange
import JSONWriter
import OpinionScores
import Printable
import Reports
import struct Rubric.Criterion
import Store

/// `concord mos FILE|-` and `concord mos --batch B`: opinion scores per clip with 95%
/// intervals, rater screening and rater figures, by one of sureal's methods (docs/mos.md).
/// Parses and prints only: the reading is Interchange's, the numbers OpinionScores', the
/// batch bridge and the renderers Reports'.
struct MosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mos",
        abstract: "Opinion scores of a reliability CSV (unit,rater,value) or a batch: score and 95% interval per clip, rater screening, rater bias.",
        discussion: """
        Methods (Netflix sureal 0.9.0's): \(OpinionMethod.allCases.map(\.rawValue).joined(separator: ", ")). \
        Values must be numbers; an empty value is a missing rating; an optional content column \
        names the source each unit was made from (mle models its ambiguity). A method that is \
        undefined on the data exits 1 with the reason.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Reliability CSV with columns unit,rater,value (and optionally content); - reads standard input.",
                                 valueName: "FILE.csv"))
    var file: String?

    @Option(help: "Scores of a batch's current labels in the project, per ordinal or numeric criterion (instead of FILE.csv).")
    var batch: String?

    @Option(help: "With --batch: only this criterion.")
    var criterion: String?

    @Flag(name: .customLong("include-models"), help: "With --batch: count model raters' labels too (by default the scores are people's).")
    var includeModels = false

    @Option(help: ArgumentHelp("The method: \(OpinionMethod.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "M"))
    var method: String

    @Option(help: "Output format: text, json or csv.")
    var format: AgreementFormat = .text

    @Flag(help: "With --format csv: one row per rater instead of one per unit.")
    var raters = false

    @Option(help: ArgumentHelp("With --batch: quality — leave out the raters who broke a quality rule (docs/quality-rules.md) before scoring; they are listed as rejected with the rule.",
                               valueName: "quality"))
    var reject: RejectRule?

    @OptionGroup var quality: QualityOptions

    func validate() throws {
        if (file == nil) == (batch == nil) {
            throw ValidationError(file == nil ? "give a reliability CSV file (or - for standard input), or --batch NAME"
                                              : "give either a CSV file or --batch NAME, not both")
        }
        if batch == nil && (criterion != nil || includeModels) {
            throw ValidationError("--criterion and --include-models apply to --batch")
        }
        if raters && format != .csv { throw ValidationError("--raters applies to --format csv (text and JSON list the raters anyway)") }
        if reject != nil && batch == nil {
            throw ValidationError("--reject quality applies to --batch: the quality rules read what the workbench recorded")
        }
        if reject == nil && quality.isSet { throw ValidationError("the quality-rule thresholds apply with --reject quality") }
    }

    func run() throws {
        guard let method = OpinionMethod(rawValue: method) else {
            throw InputError("unknown method \(quoted(self.method)); choose from: \(OpinionMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let batch { return try runBatch(batch, method: method) }
        let file = self.file!
        let name = file == "-" ? "<stdin>" : file
        let (data, leftOut) = try withInputBytes(file) { try ReliabilityCSV.opinionData($0, name: name) }
        switch OpinionScores.score(data, method: method) {
        case .undefined(let reason):
            throw CheckFailed(message: "\(method.rawValue) is undefined on \(name): \(reason)")
        case .scored(let result):
            let report = OpinionReport(source: name, data: data, result: result, leftOut: leftOut)
            // JSON, the format programs read (and the benchmark's), is written as bytes.
            FileDescriptorOutput.standardOutput.write(format == .json ? report.jsonBytes() : Array(report.render(format, ratersCSV: raters).utf8))
        }
    }
}

/// `concord mos --batch B`: the method on each ordinal or numeric criterion of the batch's
/// current labels (`BatchScores`), read through the Store API, so SQLite and PostgreSQL
/// projects alike; models' labels left out unless `--include-models`.
extension MosCommand {
    func runBatch(_ batch: String, method: OpinionMethod) throws {
        let session = try global.session()
        let labels = try session.labelsForAgreement(batch: batch)
        let viewing = reject == nil ? nil : try session.viewing(batch: batch)
        let thresholds = try quality.thresholds()
        var criteria = labels.rubric.criteria.filter { BatchScores.refusal($0) == nil }
        if let criterion {
            guard let c = labels.rubric.criterion(criterion) else {
                throw InputError("the rubric \(quoted(labels.rubric.name)) has no criterion \(quoted(criterion)); criteria: \(labels.rubric.criteria.map(\.id).joined(separator: ", "))")
            }
            if let refusal = BatchScores.refusal(c) { throw InputError(refusal) }
            criteria = [c]
        }
        guard !criteria.isEmpty else {
            throw InputError("the rubric \(quoted(labels.rubric.name)) has no ordinal or numeric criterion, and opinion scores need one (nominal options have no order)")
        }
        var scored: [(criterion: Criterion, outcome: Result<OpinionReport, Undefined>)] = []
        for criterion in criteria {
            let left = try viewing.map {
                try BatchScores.qualityRejections(labels: labels, viewing: $0, criterion: criterion, thresholds: thresholds)
            } ?? []
            // Auditors read aggregates without clip names (docs/security.md): items by number.
            let (data, outcome) = try BatchScores(labels, criterion: criterion, includeModels: includeModels,
                                                  namingClips: session.allows(.adjudicate))
                .score(method: method, excluding: Set(left.map(\.rater)))
            switch outcome {
            case .scored(let result):
                let source = "batch \(batch) · \(criterion.id) (\(criterion.scale.rawValue))" + (left.isEmpty ? "" : " after quality rules")
                let excluded = left.map { OpinionReport.Excluded(rater: $0.rater, reason: $0.reason) }
                scored.append((criterion, .success(OpinionReport(source: source, data: data, result: result, excluded: excluded))))
            case .undefined(let reason): scored.append((criterion, .failure(Undefined(reason: reason))))
            }
        }
        if scored.allSatisfy({ if case .failure = $0.outcome { true } else { false } }) {
            let reasons = scored.map { entry -> String in
                if case .failure(let why) = entry.outcome { return scored.count == 1 ? why.reason : "\(entry.criterion.id): \(why.reason)" }
                return ""
            }
            throw CheckFailed(message: "\(method.rawValue) is undefined on batch \(batch)\(scored.count == 1 ? " · \(scored[0].criterion.id)" : "'s every criterion"): \(reasons.joined(separator: "; "))")
        }
        FileDescriptorOutput.standardOutput.write(render(scored, labels: labels, method: method))
    }

    struct Undefined: Error { let reason: String }

    private func render(_ scored: [(criterion: Criterion, outcome: Result<OpinionReport, Undefined>)], labels: BatchLabels,
                        method: OpinionMethod) -> String {
        switch format {
        case .text:
            var out = "batch \(labels.batch): rubric \(labels.rubric.name) (\(labels.rubricHash.prefix(12))), \(plural(labels.items.count, "item"))\(includeModels ? "" : "; model raters excluded")\n"
            for (criterion, outcome) in scored {
                switch outcome {
                case .success(let report): out += "\n" + report.render(.text)
                case .failure(let why): out += "\nconcord mos: batch \(labels.batch) · \(criterion.id): \(method.rawValue) undefined: \(safeLine(why.reason))\n"
                }
            }
            return out
        case .json:
            let criteria = scored.map { criterion, outcome -> (String, String) in
                switch outcome {
                case .success(let report): return (criterion.id, report.jsonValue().replacingAll("\n", with: "\n    "))
                case .failure(let why):
                    return (criterion.id, JSON.object([("method", JSON.string(method.rawValue)), ("undefined", JSON.string(why.reason))]))
                }
            }
            return JSON.object([("batch", JSON.string(labels.batch)), ("rubric", JSON.string(labels.rubric.name)),
                                ("rubric_hash", JSON.string(labels.rubricHash)), ("items", "\(labels.items.count)"),
                                ("include_models", JSON.bool(includeModels)), ("method", JSON.string(method.rawValue)),
                                ("criteria", JSON.object(criteria, indent: "  "))], indent: "") + "\n"
        case .csv:
            // One table: the criterion first; a criterion the method is undefined on has no
            // rows (text and JSON give the reason).
            var out = ""
            for (criterion, outcome) in scored {
                guard case .success(let report) = outcome else { continue }
                let lines = report.render(.csv, ratersCSV: raters).split(separator: "\n").map(String.init)
                if out.isEmpty { out += "criterion," + lines[0] + "\n" }
                for line in lines.dropFirst() { out += CSVField.escape(criterion.id) + "," + line + "\n" }
            }
            return out
        }
    }
}

/// `--reject`: the rejection rules applied before scoring.
enum RejectRule: String, ExpressibleByArgument, CaseIterable {
    case quality
}

extension QualityOptions {
    /// Some quality-rule threshold was given.
    var isSet: Bool {
        minWatchedShare != nil || maxViewingFactor != nil || straightLiningVariance != nil || straightLiningMinScores != nil
            || outlierZ != nil || outlierMinOthers != nil
    }
}
