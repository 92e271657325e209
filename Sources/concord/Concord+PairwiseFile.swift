import Interchange
import Pairwise
import Printable
import Reports

/// `concord pairwise FILE|-`: the comparisons CSV path (docs/pairwise.md).
extension PairwiseCommand {
    func runFile(_ file: String, options: PairwiseOptions) throws {
        // Checked before the file is read: a bad count is the same mistake whatever the data.
        if let bootstrap, !(1...100_000).contains(bootstrap) { throw InputError("--bootstrap must be between 1 and 100000; got \(bootstrap)") }
        let name = file == "-" ? "<stdin>" : file
        let data = try withInputBytes(file) { try ComparisonsCSV.parse($0, name: name) }
        let result = Pairwise.fit(data, options: options)
        let intervals = bootstrap.map { Pairwise.bootstrapIntervals(data, options: options, replicates: $0, seed: seed) }
        let report = PairwiseReport(source: name, data: data, result: result, bootstrap: intervals)
        FileDescriptorOutput.standardOutput.write(format == .json ? report.jsonBytes() : Array(report.render(format).utf8))
    }
}
