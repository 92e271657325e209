import Foundation
import ReferenceTestSupport
import Testing
@testable import Aggregation

/// MACE against crowd-kit 1.4.2's `MACE()` on data with a known truth: concord's share of
/// items labelled right is at least crowd-kit's on every data set, with the default seed
/// and with others (docs/aggregation.md, "MACE"). crowd-kit runs with `n_restarts=1`: it
/// seeds every restart with the same `random_state`, so its ten restarts are one start ten
/// times and one gives the same posteriors (checked on the first data set). From the same
/// start, concord's 50 iterations give crowd-kit's posteriors.
@Suite struct MACEReferenceTests {
    /// From one start drawn by concord, crowd-kit's MACE (its `_initialize` replaced by that
    /// start through crowdkit_reference.py) and concord's `MACE.fit` give the same posteriors.
    @Test func fromTheSameStartTheSamePosteriors() throws {
        guard ReferenceScript.pythonExists else { Issue.record("no Python for crowd-kit at \(ReferenceScript.python)"); return }
        let shapes = Array(MACEGLADTestData.shapes.prefix(6))
        var input = "", ours: [[ItemConsensus]] = []
        for shape in shapes {
            let (data, _) = MACEGLADTestData.random(shape)
            let layout = LabelsByItem(data)
            var rng = Xoshiro256StarStar(seed: shape.seed)
            let start = MACE.Parameters.random(raters: layout.raters, k: layout.k, using: &rng)
            ours.append(layout.consensus(MACE.fit(layout, from: start).expectation.posterior, classCount: data.classCount))
            let thetas = (0..<layout.raters).map { r in
                var row = [Double](repeating: 0, count: data.classCount)
                for c in 0..<layout.k { row[layout.options[c]] = start.strategy[r * layout.k + c] }
                return row
            }
            let request: [String: Any] = [
                "method": "mace", "classes": Array(0..<data.classCount), "items": Array(0..<data.itemCount),
                "raters": Array(0..<data.raterCount),
                "labels": (0..<data.labelCount).map { [Int(data.item[$0]), Int(data.rater[$0]), Int(data.label[$0])] },
                "start": ["spamming": (0..<layout.raters).map { [start.spam[$0], start.know[$0]] }, "thetas": thetas],
            ]
            input += String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self) + "\n"
        }
        let lines = try ReferenceScript.run("crowdkit_reference.py", input: input)
        try #require(lines.count == shapes.count)
        for ((shape, line), mine) in zip(zip(shapes, lines), ours) {
            let ck = CrowdKitReference.Result(fields: try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8)))
            if let error = ck.error { Issue.record("crowd-kit refused \(shape): \(error)"); continue }
            let theirs = try #require(ck.posteriors)
            var worst = 0.0
            for (item, p) in zip(mine, theirs) {
                for (a, b) in zip(item.posterior, try #require(p)) { worst = max(worst, abs(a - b)) }
            }
            print("mace \(shape): same start, max |concord − crowd-kit| posterior \(worst)")
            #expect(worst < 1e-12, "\(shape): \(worst)")
        }
    }

    @Test func atLeastCrowdKitsAccuracy() throws {
        let sets = MACEGLADTestData.shapes.map(MACEGLADTestData.random)
        let reference = try CrowdKitReference.run("mace", sets.map(\.data), kwargs: ["n_restarts": 1])
        guard reference.count == sets.count else { return }
        for ((shape, set), ck) in zip(zip(MACEGLADTestData.shapes, sets), reference) {
            if let error = ck.error { Issue.record("crowd-kit refused \(shape): \(error)"); continue }
            let theirs = MACEGLADTestData.accuracy(try #require(ck.labels), set.truth)
            for seed: UInt64 in [0, 1, 2, 3] {
                guard case .aggregated(let result) = Aggregation.aggregate(set.data, method: .mace, options: AggregationOptions(seed: seed)) else {
                    Issue.record("mace gave no result on \(shape)"); continue
                }
                let ours = MACEGLADTestData.accuracy(result.items.map(\.label), set.truth)
                print("mace \(shape), concord seed \(seed): concord \(ours), crowd-kit \(theirs) (\(set.data.labelCount) labels)")
                #expect(ours >= theirs, "\(shape), seed \(seed): concord \(ours) < crowd-kit \(theirs)")
            }
        }
    }

    @Test func crowdKitsRestartsAreOneStart() throws {
        let set = MACEGLADTestData.random(MACEGLADTestData.shapes[0])
        let one = try CrowdKitReference.run("mace", [set.data], kwargs: ["n_restarts": 1])
        let ten = try CrowdKitReference.run("mace", [set.data])
        guard let a = one.first?.posteriors, let b = ten.first?.posteriors else { Issue.record("crowd-kit gave no posteriors"); return }
        #expect(a.count == set.data.itemCount && a.elementsEqual(b, by: { $0 == $1 }))
    }
}
