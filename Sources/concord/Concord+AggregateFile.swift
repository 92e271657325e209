import Aggregation

/// `concord aggregate FILE|-`. PLACEHOLDER until its owner builds it (issue 19).
extension AggregateCommand {
    func runFile(_ file: String, method: AggregationMethod, options: AggregationOptions) throws {
        throw InputError("aggregate FILE is not built yet")
    }
}
