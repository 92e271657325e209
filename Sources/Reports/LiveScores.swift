import Foundation
import Store

/// The numbers of the lead's Scores panel (the adjudicate dashboard): the report's Scores
/// section (`ScoresSection`) of the batch as it is now, so the panel and `concord report`
/// show the same method, scores, intervals, rejections and rule violations.
///
/// Unlike agreement, opinion scores are not kept up to date one label at a time (the
/// models are refitted as a whole). `refresh` reads the batch's labels
/// and viewing record on the caller's thread (the Store is the caller's) and scores them
/// on a thread of its own, since a fit on a large batch can take seconds (`mle` many) and the
/// dashboard must keep answering keys meanwhile; `collect` picks the result up. The
/// workbench calls `refresh` when the dashboard opens and whenever
/// `LiveAgreement.refreshSlow` recomputed (something changed, at most every
/// `LiveAgreement.slowInterval` seconds), and `collect` on every turn. A refresh asked
/// while one is scoring is scored after it, from the newer read only.
public final class LiveScores: @unchecked Sendable {
    public let batch: String
    private let session: ProjectSession
    /// The section as of the last collected result; nil before the first or after a failure.
    public private(set) var section: ScoresSection?
    /// Why the last collected result has no section, in words for the panel.
    public private(set) var problem: String?
    /// Refreshes asked (for tests).
    public private(set) var refreshes = 0

    /// Shared with the scoring thread, under `lock`.
    private let lock = NSCondition()
    private var scoring = false
    private var next: (BatchLabels, BatchViewing)?
    private var finished: Result<ScoresSection, Error>?

    public init(session: ProjectSession, batch: String) {
        self.session = session
        self.batch = batch
    }

    /// Reads the batch again and has it scored. A failed read keeps no stale numbers: the
    /// panel shows the problem instead (at once: there is nothing to score).
    public func refresh() {
        refreshes += 1
        let read: (BatchLabels, BatchViewing)
        do {
            read = (try session.labelsForAgreement(batch: batch), try session.viewing(batch: batch))
        } catch {
            lock.lock(); next = nil; lock.unlock()
            section = nil
            problem = "scores: \(error)"
            return
        }
        lock.lock()
        next = read
        let start = !scoring
        scoring = true
        lock.unlock()
        if start {
            let thread = Thread { [self] in scoreUntilDone() }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Whether scoring is under way (the panel marks its numbers as being updated).
    public var isUpdating: Bool {
        lock.lock(); defer { lock.unlock() }
        return scoring || finished != nil
    }

    /// Takes a finished result, if any; true when `section` or `problem` changed.
    @discardableResult
    public func collect() -> Bool {
        lock.lock()
        let result = finished
        finished = nil
        lock.unlock()
        guard let result else { return false }
        switch result {
        case .success(let s): section = s; problem = nil
        case .failure(let error): section = nil; problem = "scores: \(error)"
        }
        return true
    }

    /// Blocks until nothing is being scored, then collects (for tests, and for a caller
    /// that must have the numbers before it goes on).
    public func finish() {
        lock.lock()
        while scoring { lock.wait() }
        lock.unlock()
        collect()
    }

    /// The scoring thread: scores the newest read until no newer one is waiting.
    private func scoreUntilDone() {
        while true {
            lock.lock()
            guard let (labels, viewing) = next else {
                scoring = false
                lock.broadcast()
                lock.unlock()
                return
            }
            next = nil
            lock.unlock()
            let result = Result { try ScoresSection(labels: labels, viewing: viewing) }
            lock.lock()
            finished = result
            lock.unlock()
        }
    }
}
