import Dispatch
import Foundation
import Testing
@testable import OpinionScores

/// Many fits at once from several threads, as `report` (criteria side by side) and the
/// dashboard (LiveScores' own thread) run them: each must equal the same fit run alone. The
/// data sets hit the sweeps' edges — 1 to 9 raters (the SIMD4 loops' tails of 1, 2 and 3),
/// 1 to 40 units (fewer units than blocks), missing cells, several units per content, units
/// or raters with no rating at all (the threaded blocks are IterativeModelTests'
/// resultsDoNotDependOnThreadScheduling). Built with `--sanitize=address`
/// or `--sanitize=thread`, this is also the check that the unsafe sweeps read and write only
/// their own memory.
@Suite struct ConcurrentFitTests {
    static func dataSets() -> [OpinionData] {
        var rng = SeededGenerator(seed: 18_019)
        var sets: [OpinionData] = []
        for raters in 1...9 {
            for units in [1, 3, 5, 17, 40] {
                let missing = [0, 0.1, 0.4][(raters + units) % 3]
                let shape = SurealReferenceData.Shape(units: units, raters: raters, missing: missing,
                                                      unitsPerContent: 1 + units % 4, everyoneRated: units % 5 != 0)
                sets.append(SurealReferenceData.random(shape, &rng))
            }
        }
        return sets
    }

    @Test func fitsFromSeveralThreadsEqualFitsRunAlone() throws {
        let sets = Self.dataSets()
        let jobs = sets.indices.flatMap { d in OpinionMethod.allCases.map { (d, $0) } }
        let alone = jobs.map { OpinionScores.score(sets[$0.0], method: $0.1) }
        // Both kinds of outcome are exercised, so equality is not the trivial one.
        #expect(alone.contains { $0.result != nil } && alone.contains { $0.undefinedReason != nil })
        let together = Outcomes(jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            together.set(j, OpinionScores.score(sets[jobs[j].0], method: jobs[j].1))
        }
        for (j, outcome) in together.all.enumerated() {
            #expect(outcome == alone[j], "data set \(jobs[j].0), \(jobs[j].1.rawValue)")
        }
    }
}

/// The outcomes written from the worker threads, under a lock.
private final class Outcomes: @unchecked Sendable {
    private var slots: [OpinionOutcome?]
    private let lock = NSLock()
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ o: OpinionOutcome) { lock.lock(); slots[i] = o; lock.unlock() }
    var all: [OpinionOutcome?] { lock.lock(); defer { lock.unlock() }; return slots }
}
