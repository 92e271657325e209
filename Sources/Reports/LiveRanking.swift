import Foundation
import Rubric
import Store

/// The live rankings of a batch's pairwise criteria for the lead's dashboard
/// (`PairwiseRanking`), kept current as `LiveScores` keeps the Scores panel: a model fit is
/// not updated one answer at a time, so `refresh` reads each pairwise criterion's current
/// answers (`ProjectSession.comparisons`) on the caller's thread and fits them on a thread
/// of its own (`LatestOnlyWorker`); `collect` picks the result up. The workbench calls
/// `refresh` when the dashboard opens and whenever `LiveAgreement.refreshSlow` recomputed
/// (something changed, at most every `LiveAgreement.slowInterval` seconds). A batch without
/// a pairwise criterion reads and fits nothing.
public final class LiveRanking: @unchecked Sendable {
    public let batch: String
    private let session: ProjectSession
    private let criteria: [Criterion]
    /// By criterion id, as of the last collected result.
    public private(set) var rankings: [String: PairwiseRanking] = [:]
    /// Why the last refresh has no rankings, in words for the panel.
    public private(set) var problem: String?
    /// Refreshes asked (for tests).
    public private(set) var refreshes = 0
    private let worker = LatestOnlyWorker<[BatchPairwise], [PairwiseRanking]> { $0.map(PairwiseRanking.init) }

    public init(session: ProjectSession, batch: String, rubric: Rubric) {
        self.session = session
        self.batch = batch
        criteria = BatchPairwise.criteria(rubric)
    }

    /// Whether the batch has a pairwise criterion (else there is nothing to rank).
    public var isEmpty: Bool { criteria.isEmpty }

    /// Reads the answers again and has them fitted. A failed read keeps no stale numbers.
    public func refresh() {
        guard !criteria.isEmpty else { return }
        refreshes += 1
        do {
            let read = try criteria.compactMap { Self.input(try session.comparisons(batch: batch, criterion: $0.id), criterion: $0) }
            worker.submit(read)
        } catch {
            worker.dropWaiting()
            rankings = [:]
            problem = "ranking: \(error)"
        }
    }

    /// Whether fitting is under way (the panel marks its numbers as being updated).
    public var isUpdating: Bool { worker.isBusy }

    /// Takes a finished fit, if any; true when `rankings` changed.
    @discardableResult
    public func collect() -> Bool {
        guard let result = worker.take() else { return false }
        rankings = Dictionary(uniqueKeysWithValues: result.map { ($0.criterion, $0) })
        problem = nil
        return true
    }

    /// Blocks until nothing is being fitted, then collects (for tests).
    public func finish() {
        worker.wait()
        collect()
    }

    /// What is ranked: the answers of human raters only — model raters (imported judges) are
    /// scored against the people, they do not vote, as in live agreement — with clips named
    /// `ITEM:CLIP`, as `concord pairwise --batch` keeps and names them for a lead
    /// (`PairwiseBatchInput`, one rule for both).
    public static func input(_ stored: BatchComparisons, criterion: Criterion) -> BatchPairwise? {
        PairwiseBatchInput(stored, criterion: criterion, includeModels: false, namingClips: true)?.pairwise
    }
}
