import Aggregation

/// `concord aggregate --batch B --criterion C`. PLACEHOLDER until its owner builds it (issue 19).
extension AggregateCommand {
    func runBatch(_ batch: String, criterion: String, method: AggregationMethod, options: AggregationOptions) throws {
        throw InputError("aggregate --batch is not built yet")
    }
}
