import Aggregation
import Interchange
import JSONWriter
import Printable
import Reports
import Store

/// `concord aggregate --batch B --criterion C`: the method on one nominal or ordinal
/// criterion of the batch's current labels (`BatchConsensus`), read through the Store API
/// as `mos --batch` reads them, so SQLite and PostgreSQL projects alike; models' labels left
/// out unless `--include-models`; an auditor's items by number (docs/security.md).
extension AggregateCommand {
    func runBatch(_ batch: String, criterion name: String, method: AggregationMethod, options: AggregationOptions) throws {
        let session = try global.session()
        let labels = try session.labelsForAgreement(batch: batch)
        guard let criterion = labels.rubric.criterion(name) else {
            let usable = BatchConsensus.criteria(labels.rubric).map(\.id)
            throw InputError("the rubric \(quoted(labels.rubric.name)) has no criterion \(quoted(name)); nominal and ordinal criteria: \(usable.isEmpty ? "none" : usable.joined(separator: ", "))")
        }
        if let refusal = BatchConsensus.refusal(criterion) { throw InputError(refusal) }
        let consensus = try BatchConsensus(labels, criterion: criterion, includeModels: includeModels,
                                           namingClips: session.allows(.adjudicate))
        switch consensus.aggregate(method: method, options: options) {
        case .undefined(let reason):
            throw CheckFailed(message: "\(method.rawValue) is undefined on batch \(batch) · \(criterion.id): \(reason)")
        case .aggregated(let result):
            let source = "batch \(batch) · \(criterion.id) (\(criterion.scale.rawValue))\(includeModels ? "" : "; model raters excluded")"
            FileDescriptorOutput.standardOutput.write(BatchAggregateOutput(source: source, data: consensus.data, result: result)
                .render(format, batch: batch, criterion: criterion.id, includeModels: includeModels))
        }
    }
}

/// The text, JSON and CSV of one aggregation, in `concord aggregate FILE`'s shape: JSON
/// `{"method", "units": [{"unit", "label", "posterior": {OPTION: p}}], "raters": [{"rater",
/// "accuracy", "confusion": {TRUE: {GIVEN: p}}}]}` (docs/aggregation.md), plus the batch and
/// criterion it came from.
struct BatchAggregateOutput {
    let source: String
    let data: LabelData
    let result: AggregationResult

    func render(_ format: AgreementFormat, batch: String, criterion: String, includeModels: Bool) -> String {
        switch format {
        case .json: return json(batch: batch, criterion: criterion, includeModels: includeModels)
        case .csv: return csv()
        case .text: return text()
        }
    }

    func labelText(_ c: ItemConsensus) -> String {
        c.label.map { data.classNames[$0] } ?? "tie (\(c.tiedLabels.map { data.classNames[$0] }.joined(separator: ", ")))"
    }

    func text() -> String {
        let r = result
        var out = "concord aggregate: \(source) · \(r.method.rawValue)\n"
        out += "\(plural(data.itemCount, "item")) · \(plural(data.raterCount, "rater")) · \(plural(data.labelCount, "label"))"
        if let iterations = r.iterations { out += " · \(plural(iterations, "iteration"))\(r.converged == false ? " (did not converge)" : "")" }
        if let seed = r.seed { out += " · seed \(seed)" }
        let ties = r.items.filter { $0.label == nil }.count
        out += ties > 0 ? " · \(plural(ties, "tie"))\n\n" : "\n\n"
        var rows = [["unit", "label", "posterior", "n"]]
        for c in r.items {
            let top = c.posterior.max() ?? 0
            rows.append([data.itemNames[c.item], labelText(c), fixed(top, 3), String(c.n)])
        }
        out += table(rows) + "\n"
        var raters = [["rater", "accuracy", "n"]]
        for s in r.raters { raters.append([data.raterNames[s.rater], s.accuracy.map { fixed($0, 3) } ?? "—", String(s.n)]) }
        return out + table(raters)
    }

    func json(batch: String, criterion: String, includeModels: Bool) -> String {
        let options = data.classNames
        let units = result.items.map { c -> String in
            var fields: [(String, String)] = [("unit", JSON.string(data.itemNames[c.item])),
                                              ("label", c.label.map { JSON.string(options[$0]) } ?? JSON.null)]
            if c.label == nil { fields.append(("tied", JSON.array(c.tiedLabels.map { JSON.string(options[$0]) }))) }
            fields.append(("posterior", JSON.object(zip(options, c.posterior).map { ($0, JSON.number($1)) })))
            fields.append(("n", String(c.n)))
            return JSON.object(fields)
        }
        let raters = result.raters.map { s -> String in
            var fields: [(String, String)] = [("rater", JSON.string(data.raterNames[s.rater])),
                                              ("accuracy", s.accuracy.map(JSON.number) ?? JSON.null)]
            if let m = s.confusion {
                fields.append(("confusion", JSON.object(zip(options, m).map { truth, row in
                    (truth, JSON.object(zip(options, row).map { ($0, JSON.number($1)) }))
                })))
            }
            fields.append(("n", String(s.n)))
            return JSON.object(fields)
        }
        var top: [(String, String)] = [("batch", JSON.string(batch)), ("criterion", JSON.string(criterion)),
                                       ("include_models", JSON.bool(includeModels)), ("method", JSON.string(result.method.rawValue)),
                                       ("options", JSON.array(options.map(JSON.string)))]
        if let iterations = result.iterations { top.append(("iterations", String(iterations))) }
        if let converged = result.converged { top.append(("converged", JSON.bool(converged))) }
        if let seed = result.seed { top.append(("seed", String(seed))) }
        top += [("units", "[\n    " + units.joined(separator: ",\n    ") + "\n  ]"),
                ("raters", "[\n    " + raters.joined(separator: ",\n    ") + "\n  ]")]
        return JSON.object(top, indent: "") + "\n"
    }

    /// One row per unit: its label (`tie` when tied) and each option's posterior.
    func csv() -> String {
        func line(_ fields: [String]) -> String { fields.map(CSVField.escape).joined(separator: ",") + "\n" }
        var out = line(["unit", "label", "n"] + data.classNames.map { "posterior:" + $0 })
        for c in result.items {
            out += line([data.itemNames[c.item], c.label.map { data.classNames[$0] } ?? "tie", String(c.n)] + c.posterior.map { "\($0)" })
        }
        return out
    }
}
