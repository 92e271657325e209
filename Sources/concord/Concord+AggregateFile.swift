import Aggregation
import Interchange
import Reports

/// `concord aggregate FILE|-`: the reliability CSV read as categorical labels (Interchange),
/// aggregated (Aggregation), rendered (Reports' `AggregationReport`). A bad file is one line
/// and exit 2 before anything is computed; a method undefined on the data exits 1 with its
/// reason (docs/aggregation.md).
extension AggregateCommand {
    func runFile(_ file: String, method: AggregationMethod, options: AggregationOptions) throws {
        let name = file == "-" ? "<stdin>" : file
        let (data, leftOut) = try withInputBytes(file) { try ReliabilityCSV.parse($0, name: name).labelData(name: name) }
        switch Aggregation.aggregate(data, method: method, options: options) {
        case .undefined(let reason):
            throw CheckFailed(message: "\(method.rawValue) is undefined on \(name): \(reason)")
        case .aggregated(let result):
            let report = AggregationReport(source: name, data: data, result: result, leftOut: leftOut)
            FileDescriptorOutput.standardOutput.write(format == .json ? report.jsonBytes() : Array(report.render(format).utf8))
        }
    }
}
