@testable import Aggregation

/// Random label data with a known truth, shaped like a crowd batch, for the comparisons with
/// crowd-kit: every item has a true option; good raters are right with their own accuracy
/// and err towards a favourite wrong option, spammers answer at random, adversarial raters
/// mostly give the option after the truth, biased raters give option 0 half the time; each
/// item is labelled by a random subset of raters (the rest are missing labels).
enum DawidSkeneTestData {
    /// SplitMix64: the same seed gives the same data on every machine, so a failing
    /// comparison can be rerun exactly.
    struct Generator: RandomNumberGenerator {
        private var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Shape: CustomStringConvertible {
        var items: Int
        var raters: Int
        var classes: Int
        /// Labels per item (at most `raters`); each item draws that many raters.
        var perItem: ClosedRange<Int>
        var spammers = 0
        var adversaries = 0
        var biased = 0
        /// Options beyond `classes` that nobody gives (a rubric's unused options), listed second.
        var unusedOptions = 0
        var seed: UInt64
        var description: String {
            "\(items) items × \(raters) raters, \(classes) options (+\(unusedOptions) unused), \(perItem) per item, "
                + "\(spammers) spammers, \(adversaries) adversaries, \(biased) biased, seed \(seed)"
        }
    }

    /// The data and each item's true option (as an index of `classes`, before the unused ones are inserted).
    static func random(_ shape: Shape) -> (data: LabelData, truth: [Int]) {
        var g = Generator(seed: shape.seed)
        let k = shape.classes
        let truth = (0..<shape.items).map { _ in Int.random(in: 0..<k, using: &g) }
        enum Kind { case good(accuracy: Double, favourite: Int), spammer, adversary, biased }
        let kinds: [Kind] = (0..<shape.raters).map { r in
            if r < shape.spammers { return .spammer }
            if r < shape.spammers + shape.adversaries { return .adversary }
            if r < shape.spammers + shape.adversaries + shape.biased { return .biased }
            return .good(accuracy: Double.random(in: 0.55...0.95, using: &g), favourite: Int.random(in: 0..<k, using: &g))
        }
        var item: [Int32] = [], rater: [Int32] = [], label: [Int32] = []
        for i in 0..<shape.items {
            let m = min(shape.raters, Int.random(in: shape.perItem, using: &g))
            var chosen = Array(0..<shape.raters)
            chosen.shuffle(using: &g)
            for r in chosen.prefix(m).sorted() {
                let t = truth[i]
                let given: Int
                switch kinds[r] {
                case .good(let accuracy, let favourite):
                    if Double.random(in: 0..<1, using: &g) < accuracy { given = t }
                    else if favourite != t && Double.random(in: 0..<1, using: &g) < 0.6 { given = favourite }
                    else { given = Int.random(in: 0..<k, using: &g) }
                case .spammer: given = Int.random(in: 0..<k, using: &g)
                case .adversary: given = Double.random(in: 0..<1, using: &g) < 0.7 ? (t + 1) % k : t
                case .biased: given = Double.random(in: 0..<1, using: &g) < 0.5 ? 0 : t
                }
                // Unused options sit between option 0 and the rest, so the mapping back is tested.
                item.append(Int32(i)); rater.append(Int32(r)); label.append(Int32(given == 0 ? 0 : given + shape.unusedOptions))
            }
        }
        // Labels in a shuffled order, as a CSV might list them.
        var order = Array(0..<label.count)
        order.shuffle(using: &g)
        let data = try! LabelData(itemNames: (0..<shape.items).map { "i\($0)" }, raterNames: (0..<shape.raters).map { "r\($0)" },
                                  classNames: (0..<(k + shape.unusedOptions)).map { "c\($0)" },
                                  item: order.map { item[$0] }, rater: order.map { rater[$0] }, label: order.map { label[$0] })
        return (data, truth)
    }
}
