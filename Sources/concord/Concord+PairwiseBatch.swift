import Pairwise
import Printable
import Reports
import Store

/// `concord pairwise --batch B --criterion C [--by item|system]`: a pairwise batch's current
/// answers, read through the Store API (SQLite and PostgreSQL alike), docs/pairwise.md —
/// clips scored as `pairwise FILE` scores items (`--by item`, named as `aggregate --batch`
/// names items: an auditor sees numbers), or the leaderboard of systems (`--by system`).
extension PairwiseCommand {
    func runBatch(_ batch: String, criterion name: String, options: PairwiseOptions) throws {
        guard by == "item" || by == "system" else { throw InputError("unknown --by \(quoted(by)); choose from: item, system") }
        if let bootstrap, !(1...100_000).contains(bootstrap) { throw InputError("--bootstrap must be between 1 and 100000; got \(bootstrap)") }
        let session = try global.session()
        let input = try PairwiseBatchInput.read(session, batch: batch, criterion: name, includeModels: includeModels)
        let data = input.pairwise.data
        guard data.count > 0 else {
            throw CheckFailed(message: "batch \(batch) · \(name) has no answers yet\(input.modelsLeftOut.isEmpty ? "" : " from people (model raters excluded; add --include-models)"): nothing to score; rate some pairs with concord rate")
        }
        let source = input.source(batch: batch)
        if by == "item" {
            let intervals = bootstrap.map { Pairwise.bootstrapIntervals(data, options: options, replicates: $0, seed: seed) }
            let report = PairwiseReport(source: source, data: data, result: Pairwise.fit(data, options: options), bootstrap: intervals)
            FileDescriptorOutput.standardOutput.write(format == .json ? report.jsonBytes() : Array(report.render(format).utf8))
            return
        }
        switch Leaderboard.make(data, system: input.pairwise.system, options: options) {
        case .failure(let why):
            throw InputError("batch \(batch) · \(name): \(why.reason); tag each clip with its system (concord clip add --system S), or score clips with --by item")
        case .success(let board):
            let intervals = bootstrap.map { Pairwise.bootstrapIntervals(board.data, options: options, replicates: $0, seed: seed) }
            let report = PairwiseLeaderboardReport(source: source, board: board, bootstrap: intervals)
            FileDescriptorOutput.standardOutput.write(format == .json ? report.jsonBytes() : Array(report.render(format).utf8))
        }
    }
}
