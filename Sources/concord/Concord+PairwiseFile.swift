import Interchange
import Pairwise
import Printable
import Reports

/// `concord pairwise FILE|-`: the comparisons CSV path (docs/pairwise.md).
extension PairwiseCommand {
    func runFile(_ file: String, options: PairwiseOptions) throws {
        let name = file == "-" ? "<stdin>" : file
        let data = try withInputBytes(file) { try ComparisonsCSV.parse($0, name: name) }
        let result = Pairwise.fit(data, options: options)
        let report = PairwiseReport(source: name, data: data, result: result)
        FileDescriptorOutput.standardOutput.write(format == .json ? report.jsonBytes() : Array(report.render(format).utf8))
    }
}
