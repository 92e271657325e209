import Testing
@testable import Aggregation

/// `ds` and `one-coin` against crowd-kit 1.4.2's `DawidSkene` / `OneCoinDawidSkene`
/// (n_iter=100, tol=1e-5) on random data with a known truth: tiny to ~20,000 labels, 2–6
/// options, spammers, adversarial and biased raters, missing labels, options nobody gives,
/// items nobody labels. Equal posteriors, rater skills and confusion matrices to 1e-6, the
/// same number of iterations, the same label wherever there is no tie.
@Suite struct DawidSkeneReferenceTests {
    typealias Shape = DawidSkeneTestData.Shape

    static let shapes: [Shape] = [
        Shape(items: 3, raters: 2, classes: 2, perItem: 2...2, seed: 1),
        Shape(items: 5, raters: 3, classes: 2, perItem: 1...3, seed: 2),
        Shape(items: 12, raters: 4, classes: 3, perItem: 2...4, spammers: 1, seed: 3),
        Shape(items: 30, raters: 6, classes: 2, perItem: 3...5, adversaries: 1, seed: 4),
        Shape(items: 40, raters: 8, classes: 4, perItem: 0...4, spammers: 1, biased: 1, unusedOptions: 1, seed: 5),
        Shape(items: 100, raters: 10, classes: 5, perItem: 3...6, spammers: 2, adversaries: 1, seed: 6),
        Shape(items: 150, raters: 5, classes: 6, perItem: 5...5, seed: 7),
        Shape(items: 300, raters: 20, classes: 3, perItem: 2...7, spammers: 3, adversaries: 2, biased: 2, unusedOptions: 2, seed: 8),
        Shape(items: 500, raters: 40, classes: 2, perItem: 3...5, spammers: 10, adversaries: 5, seed: 9),
        Shape(items: 1000, raters: 30, classes: 5, perItem: 4...8, spammers: 4, adversaries: 2, biased: 3, seed: 10),
        Shape(items: 2000, raters: 60, classes: 6, perItem: 8...12, spammers: 6, adversaries: 3, biased: 3, seed: 11),
    ]

    @Test(arguments: ["ds", "one-coin"])
    func equalsCrowdKit(_ method: String) throws {
        let sets = Self.shapes.map(DawidSkeneTestData.random)
        let results = try CrowdKitReference.run(method, sets.map(\.data))
        var worst = 0.0
        for ((shape, (data, truth)), ck) in zip(zip(Self.shapes, sets), results) {
            try #require(ck.error == nil, "crowd-kit refused \(shape): \(ck.error ?? "")")
            guard case .aggregated(let result) = Aggregation.aggregate(data, method: AggregationMethod(rawValue: method)!) else {
                Issue.record("\(method) gave no result on \(shape)"); continue
            }
            #expect(result.iterations == ck.iterations, "\(shape)")
            let (error, correct) = try Self.compare(result, ck, data: data, truth: truth, oneCoin: method == "one-coin", shape: shape)
            worst = max(worst, error)
            print("\(method) \(shape): \(result.iterations ?? 0) iterations, max |concord − crowd-kit| \(error), \(correct) of \(truth.count) items right")
        }
        #expect(worst <= 1e-6)
    }

    /// The M step's two sweeps — by item into per-block tables (the usual one) and by rater
    /// (with very many raters) — give the same fit up to rounding, on every shape above.
    @Test(arguments: [false, true])
    func bothMStepSweepsAgree(_ oneCoin: Bool) throws {
        for shape in Self.shapes {
            let data = DawidSkeneTestData.random(shape).data
            guard case .aggregated(let byItem) = DawidSkene.aggregate(data, options: AggregationOptions(), oneCoin: oneCoin, mStepByItem: true),
                  case .aggregated(let byRater) = DawidSkene.aggregate(data, options: AggregationOptions(), oneCoin: oneCoin, mStepByItem: false)
            else { Issue.record("no fit on \(shape)"); continue }
            #expect(byItem.iterations == byRater.iterations, "\(shape)")
            for (a, b) in zip(byItem.items, byRater.items) {
                #expect(zip(a.posterior, b.posterior).allSatisfy { abs($0 - $1) < 1e-12 }, "\(shape) item \(a.item)")
            }
            for (a, b) in zip(byItem.raters, byRater.raters) {
                #expect(abs((a.accuracy ?? 0) - (b.accuracy ?? 0)) < 1e-12, "\(shape) rater \(a.rater)")
            }
        }
    }

    /// Threads change nothing: on 40,000+ labels (where the sweeps run on every core) the fit
    /// equals, bit for bit, the same fit on the calling thread alone.
    @Test(arguments: [false, true])
    func threadsGiveTheSameBits(_ oneCoin: Bool) throws {
        let shape = Shape(items: 5000, raters: 80, classes: 5, perItem: 7...9, spammers: 8, adversaries: 4, biased: 4, seed: 12)
        let data = DawidSkeneTestData.random(shape).data
        try #require(data.labelCount >= 1 << 15)
        let threaded = DawidSkene.aggregate(data, options: AggregationOptions(), oneCoin: oneCoin)
        let alone = DawidSkene.aggregate(data, options: AggregationOptions(), oneCoin: oneCoin, serial: true)
        guard case .aggregated(let a) = threaded, case .aggregated(let b) = alone else { Issue.record("no fit"); return }
        #expect(a == b)
        #expect(a.iterations ?? 0 > 1)
    }

    /// The largest difference from crowd-kit over posteriors, skills and confusion entries,
    /// with the per-item label check, and how many items concord labels with their truth.
    static func compare(_ result: AggregationResult, _ ck: CrowdKitReference.Result, data: LabelData, truth: [Int],
                        oneCoin: Bool, shape: Shape) throws -> (Double, Int) {
        let posteriors = try #require(ck.posteriors), labels = try #require(ck.labels)
        let confusion = try #require(ck.confusion), priors = try #require(ck.priors)
        var worst = 0.0, correct = 0
        func diff(_ a: Double, _ b: Double, _ what: @autoclosure () -> String) {
            let d = abs(a - b)
            worst = max(worst, d)
            if d > 1e-6 { Issue.record("\(shape): \(what()) concord \(a), crowd-kit \(b)") }
        }
        for item in result.items {
            guard let expected = posteriors[item.item] else {
                #expect(item.n == 0, "\(shape): crowd-kit never saw item \(item.item), which has labels")
                continue
            }
            for c in 0..<data.classCount { diff(item.posterior[c], expected[c], "item \(item.item) P(\(c))") }
            if let label = item.label {
                #expect(label == labels[item.item], "\(shape): item \(item.item)")
                // Truth is an index of the used options; option 0 stays, the others shift.
                if label == (truth[item.item] == 0 ? 0 : truth[item.item] + shape.unusedOptions) { correct += 1 }
            } else {
                #expect(item.tiedLabels.contains(labels[item.item] ?? -1), "\(shape): item \(item.item) tie \(item.tiedLabels)")
            }
        }
        let skills = oneCoin ? try #require(ck.skills) : []
        for rater in result.raters {
            let expected = confusion[rater.rater]
            guard rater.n > 0, let matrix = rater.confusion, let accuracy = rater.accuracy else {
                #expect(rater.n == 0 && rater.confusion == nil && rater.accuracy == nil, "\(shape): rater \(rater.rater)")
                continue
            }
            let used = Set((0..<data.labelCount).filter { Int(data.rater[$0]) == rater.rater }.map { Int(data.label[$0]) })
            for t in 0..<data.classCount {
                // crowd-kit has rows only for the options a rater gave; one-coin's model fills the rest.
                for g in 0..<data.classCount where !oneCoin || used.contains(g) {
                    diff(matrix[t][g], expected[t][g], "rater \(rater.rater) confusion[\(t)][\(g)]")
                }
            }
            if oneCoin {
                diff(accuracy, try #require(skills[rater.rater]), "rater \(rater.rater) skill")
            } else {
                let modelAccuracy = (0..<data.classCount).reduce(0.0) { $0 + priors[$1] * expected[$1][$1] }
                diff(accuracy, modelAccuracy, "rater \(rater.rater) accuracy Σ p·e[c][c]")
            }
        }
        return (worst, correct)
    }
}
