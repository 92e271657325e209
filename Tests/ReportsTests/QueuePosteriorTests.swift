import Aggregation
import Foundation
@testable import Reports
import Store
import Testing

/// The queue by uncertainty: least certain consensus first, equal uncertainties in the
/// magnitude order, numeric criteria (no posterior) last; the same members as the magnitude
/// order, each showing its posterior.
@Suite struct QueuePosteriorTests {
    /// mv on the crafted labels: kind i4 (car, truck, bike) is 2/3 uncertain; kind i2, risk i2
    /// and risk i3 (two votes of three for one option) 1/3; gap i4 is numeric.
    @Test func majorityVoteUncertaintyFirstThenTheMagnitudeOrder() throws {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let context = try lead.adjudicationContext(batch: "b")
        let byMagnitude = try AdjudicationQueue(context)
        let byPosterior = try AdjudicationQueue(context, order: .posterior(.mv))
        let thirds = AdjudicationTests.keys(byMagnitude).filter { ["i2.mp4:kind", "i2.mp4:risk", "i3.mp4:risk"].contains($0) }
        #expect(thirds.count == 3)
        #expect(AdjudicationTests.keys(byPosterior) == ["i4.mp4:kind"] + thirds + ["i4.mp4:gap"])
        let i4 = try #require(byPosterior.entries.first?.consensus)
        #expect(i4.method == .mv && i4.label == nil && i4.posterior == [1.0 / 3, 1.0 / 3, 1.0 / 3])
        #expect(abs(i4.uncertainty - 2.0 / 3) < 1e-15 && i4.shown == "tie 0.333")
        let i2 = try #require(byPosterior.entries.first { $0.clip == "i2.mp4" && $0.criterion == "risk" }?.consensus)
        #expect(i2.label == "none" && i2.options == ["none", "low", "medium", "high", "extreme"] && i2.shown == "none 0.667")
        #expect(byPosterior.entries.last?.consensus == nil && byMagnitude.entries.allSatisfy { $0.consensus == nil })
        #expect(byPosterior.undefined.isEmpty && byPosterior.order == .posterior(.mv))
        // The same entries otherwise, field for field.
        #expect(Set(byPosterior.entries.map { "\($0.clip):\($0.criterion) \($0.priority) \($0.votes)" })
                == Set(byMagnitude.entries.map { "\($0.clip):\($0.criterion) \($0.priority) \($0.votes)" }))
    }

    /// ds (the command's default): each entry's posterior is `Aggregation.aggregate`'s on the
    /// criterion's labels, and the order is by 1 − its top, ties in the magnitude order.
    @Test func dawidSkeneOrderIsByOneMinusTheTopPosterior() throws {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let context = try lead.adjudicationContext(batch: "b")
        let queue = try AdjudicationQueue(context, order: .posterior(.ds))
        let magnitude = AdjudicationTests.keys(try AdjudicationQueue(context))
        var undefined: [String] = []
        for id in ["kind", "risk"] {
            let bridge = try BatchConsensus(context.labels, criterion: try #require(context.labels.rubric.criterion(id)))
            guard case .aggregated(let result) = Aggregation.aggregate(bridge.data, method: .ds) else { undefined.append(id); continue }
            let direct = bridge.byItem(result)
            for e in queue.entries where e.criterion == id {
                let c = try #require(e.consensus), d = try #require(direct[e.item])
                #expect(c.posterior == d.posterior && c.label == d.label.map { bridge.data.classNames[$0] })
                #expect(c.uncertainty == 1 - d.posterior.max()!)
            }
        }
        #expect(queue.undefined.map(\.criterion) == undefined && undefined.isEmpty)   // ds is defined on both
        // Sorted by uncertainty (entries without a posterior last), ties as the magnitude order.
        let keys = AdjudicationTests.keys(queue)
        for (a, b) in zip(queue.entries, queue.entries.dropFirst()) {
            let x = a.consensus.map { ($0.uncertainty * 1e9).rounded() } ?? -1, y = b.consensus.map { ($0.uncertainty * 1e9).rounded() } ?? -1
            #expect(x >= y)
            if x == y {
                #expect(magnitude.firstIndex(of: "\(a.clip):\(a.criterion)")! < magnitude.firstIndex(of: "\(b.clip):\(b.criterion)")!)
            }
        }
        #expect(Set(keys) == Set(magnitude))
    }
}
