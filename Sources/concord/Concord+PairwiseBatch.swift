import Pairwise
import Printable
import Reports
import Store

/// `concord pairwise --batch B --criterion C [--by item|system]`: a pairwise batch's current
/// answers, read through the Store API (SQLite and PostgreSQL alike), docs/pairwise.md.
extension PairwiseCommand {
    func runBatch(_ batch: String, criterion: String, options: PairwiseOptions) throws {
        throw InputError("pairwise --batch is not built yet")
    }
}
