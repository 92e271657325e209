@testable import Aggregation

/// Random label data with a known truth for MACE's and GLAD's comparisons with crowd-kit:
/// good raters right with their own accuracy (errors spread over the wrong options),
/// spammers answering uniformly at random, spammers always giving the same option,
/// adversarial raters mostly giving the option after the truth; each item labelled by a
/// random subset of raters (the rest are missing labels), the labels in shuffled order.
/// Drawn from Aggregation's own seeded xoshiro256**, so a failing data set can be rerun.
enum MACEGLADTestData {
    struct Shape: CustomStringConvertible {
        var items: Int
        var raters: Int
        var classes: Int
        var perItem: ClosedRange<Int>
        var uniformSpammers = 0
        var constantSpammers = 0
        var adversaries = 0
        var seed: UInt64
        var description: String {
            "\(items) items × \(raters) raters, \(classes) options, \(perItem) per item, \(uniformSpammers) uniform spammers, "
                + "\(constantSpammers) one-option spammers, \(adversaries) adversaries, seed \(seed)"
        }
    }

    /// The shapes both methods are compared on: 2–6 options, 300 to about 20,000 labels.
    static let shapes: [Shape] = [
        Shape(items: 150, raters: 6, classes: 2, perItem: 2...3, uniformSpammers: 1, constantSpammers: 1, seed: 1),
        Shape(items: 200, raters: 10, classes: 2, perItem: 3...4, uniformSpammers: 2, constantSpammers: 1, adversaries: 1, seed: 2),
        Shape(items: 500, raters: 20, classes: 3, perItem: 3...7, uniformSpammers: 6, constantSpammers: 2, adversaries: 2, seed: 3),
        Shape(items: 1000, raters: 30, classes: 4, perItem: 2...6, uniformSpammers: 9, constantSpammers: 6, adversaries: 3, seed: 4),
        Shape(items: 300, raters: 8, classes: 5, perItem: 4...8, uniformSpammers: 2, constantSpammers: 2, adversaries: 1, seed: 5),
        Shape(items: 800, raters: 40, classes: 6, perItem: 3...6, uniformSpammers: 8, constantSpammers: 8, adversaries: 4, seed: 6),
        Shape(items: 2000, raters: 100, classes: 3, perItem: 8...12, uniformSpammers: 40, constantSpammers: 10, adversaries: 10, seed: 7),
    ]

    static func random(_ shape: Shape) -> (data: LabelData, truth: [Int]) {
        var g = Xoshiro256StarStar(seed: shape.seed)
        func below(_ n: Int) -> Int { Int(g.next() % UInt64(n)) }
        let k = shape.classes
        let truth = (0..<shape.items).map { _ in below(k) }
        let accuracy = (0..<shape.raters).map { _ in 0.55 + 0.4 * g.unit() }
        let spamUntil = shape.uniformSpammers, constantUntil = spamUntil + shape.constantSpammers
        let adversaryUntil = constantUntil + shape.adversaries
        var item: [Int32] = [], rater: [Int32] = [], label: [Int32] = []
        for i in 0..<shape.items {
            let m = min(shape.raters, shape.perItem.lowerBound + below(shape.perItem.count))
            var chosen = Array(0..<shape.raters)
            for j in 0..<m { chosen.swapAt(j, j + below(shape.raters - j)) }
            for r in chosen.prefix(m) {
                let t = truth[i]
                let given: Int
                if r < spamUntil { given = below(k) }
                else if r < constantUntil { given = r % k }
                else if r < adversaryUntil { given = g.unit() < 0.8 ? (t + 1) % k : below(k) }
                else { given = g.unit() < accuracy[r] ? t : (t + 1 + below(k - 1)) % k }
                item.append(Int32(i)); rater.append(Int32(r)); label.append(Int32(given))
            }
        }
        var order = Array(0..<label.count)
        for j in order.indices.dropLast() { order.swapAt(j, j + below(order.count - j)) }
        let data = try! LabelData(itemNames: (0..<shape.items).map { "i\($0)" }, raterNames: (0..<shape.raters).map { "r\($0)" },
                                  classNames: (0..<k).map { "c\($0)" },
                                  item: order.map { item[$0] }, rater: order.map { rater[$0] }, label: order.map { label[$0] })
        return (data, truth)
    }

    /// Share of items whose label is the truth; a tie (no label) counts as wrong.
    static func accuracy(_ labels: [Int?], _ truth: [Int]) -> Double {
        Double(zip(labels, truth).filter { $0.0 == $0.1 }.count) / Double(truth.count)
    }
}
