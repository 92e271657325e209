import Aggregation
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
            // aggregate FILE's renderer, so the two paths print the same shapes.
            let source = "batch \(batch) · \(criterion.id) (\(criterion.scale.rawValue))\(includeModels ? "" : "; model raters excluded")"
            FileDescriptorOutput.standardOutput.write(AggregationReport(source: source, data: consensus.data, result: result).render(format))
        }
    }
}
