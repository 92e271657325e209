/// Categorical labels to aggregate: who gave which option to which item, one entry per
/// label, missing labels simply absent.
///
/// Sparse (three parallel arrays) rather than items × raters: a crowd batch has 100,000
/// items and 200 raters of whom ten label each item, and every method here sweeps the
/// labels, not the empty cells. Indices are `Int32` to halve the memory of a million labels.
/// At most one label per (item, rater): the reliability CSV and a project's current labels
/// hold one value per pair (a repeated pair is the reader's error to report, not ours).
public struct LabelData: Sendable {
    public let itemNames: [String]
    public let raterNames: [String]
    /// The options, in the order posteriors and confusion matrices list them. Readers give
    /// the rubric's option order on a project and sorted values for a CSV (crowd-kit's order,
    /// so ties and posteriors line up with it; docs/aggregation.md).
    public let classNames: [String]
    public let item: [Int32]
    public let rater: [Int32]
    public let label: [Int32]

    public var itemCount: Int { itemNames.count }
    public var raterCount: Int { raterNames.count }
    public var classCount: Int { classNames.count }
    public var labelCount: Int { label.count }

    public struct ShapeError: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Checks that the three arrays line up, that every index is in range, and that no
    /// (item, rater) pair repeats.
    public init(itemNames: [String], raterNames: [String], classNames: [String],
                item: [Int32], rater: [Int32], label: [Int32]) throws {
        guard item.count == rater.count, rater.count == label.count else {
            throw ShapeError(description: "item, rater and label must have one entry per label (got \(item.count), \(rater.count), \(label.count))")
        }
        for k in 0..<label.count {
            guard item[k] >= 0, Int(item[k]) < itemNames.count else { throw ShapeError(description: "label \(k): item \(item[k]) is out of range") }
            guard rater[k] >= 0, Int(rater[k]) < raterNames.count else { throw ShapeError(description: "label \(k): rater \(rater[k]) is out of range") }
            guard label[k] >= 0, Int(label[k]) < classNames.count else { throw ShapeError(description: "label \(k): option \(label[k]) is out of range") }
        }
        // One bit per (item, rater) when the table is small enough (a crowd batch's
        // 100,000 × 200 is 2.5 MB; a set of a million pairs took a tenth of a second), else a set.
        let cells = itemNames.count * raterNames.count
        var bits = cells <= 1 << 28 ? [UInt64](repeating: 0, count: (cells + 63) / 64) : []
        var seen = Set<Int>()
        for k in 0..<label.count {
            let cell = Int(item[k]) * raterNames.count + Int(rater[k])
            let fresh: Bool
            if bits.isEmpty { fresh = seen.insert(cell).inserted } else {
                let bit = UInt64(1) << UInt64(cell & 63)
                fresh = bits[cell >> 6] & bit == 0
                bits[cell >> 6] |= bit
            }
            if !fresh { throw ShapeError(description: "rater \(raterNames[Int(rater[k])]) labelled item \(itemNames[Int(item[k])]) twice") }
        }
        self.itemNames = itemNames; self.raterNames = raterNames; self.classNames = classNames
        self.item = item; self.rater = rater; self.label = label
    }
}
