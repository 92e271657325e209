/// The categories of one criterion: their labels, their numeric values when they have
/// them, and whether their index order is a meaningful order.
///
/// Conventions (docs/statistics.md "Data"):
/// - labels that parse as the same number ("2", "2.0") are one category;
/// - with an explicit order (`--order`, a rubric's option order) the categories are those
///   of the order, in that order, whether observed or not;
/// - without one, when every label is a number, the order is ascending numeric order;
/// - otherwise the categories keep first-seen order and `isOrdered` is false, so ordinal
///   alpha and weighted kappa are undefined rather than silently alphabetical.
public struct CategorySet: Sendable, Equatable {
    /// Display label of each category, by index.
    public let labels: [String]
    /// The number each label denotes, when every label is a number; else nil.
    public let numericValues: [Double]?
    /// True when index order is the category order (explicit, or numeric).
    public let isOrdered: Bool
    /// True when the category set came from an explicit list (so it also fixes `q`, the
    /// number of categories Gwet's AC1 divides by, unobserved ones included).
    public let isExplicit: Bool

    public var count: Int { labels.count }

    /// A category set given explicitly, in order (unobserved categories included).
    /// Precondition: labels are distinct (callers validate user input first).
    public init(ordered labels: [String]) {
        self.labels = labels
        let numbers = labels.map(CategorySet.number(from:))
        self.numericValues = numbers.allSatisfy { $0 != nil } ? numbers.map { $0! } : nil
        self.isOrdered = true
        self.isExplicit = true
    }

    private init(labels: [String], numericValues: [Double]?, isOrdered: Bool) {
        self.labels = labels
        self.numericValues = numericValues
        self.isOrdered = isOrdered
        self.isExplicit = false
    }

    /// The number a label denotes, if any: a finite decimal, surrounding spaces allowed.
    public static func number(from label: String) -> Double? {
        let trimmed = label.trimmingSpaces()
        guard !trimmed.isEmpty, let v = Double(trimmed), v.isFinite else { return nil }
        return v
    }

    /// Builds the category set of observed labels (first-seen order), merging labels that
    /// denote the same number and sorting numerically when all are numbers.
    /// Returns the set and, for each input label index, its category index.
    public static func observed(_ labels: [String]) -> (CategorySet, [Int32]) {
        let numbers = labels.map(number(from:))
        guard !labels.isEmpty, numbers.allSatisfy({ $0 != nil }) else {
            // Not all numeric: each distinct label is its own category, unordered.
            return (CategorySet(labels: labels, numericValues: nil, isOrdered: false),
                    (0..<labels.count).map { Int32($0) })
        }
        var firstLabelOfValue: [Double: String] = [:]
        for (label, v) in zip(labels, numbers) where firstLabelOfValue[v!] == nil {
            firstLabelOfValue[v!] = label
        }
        let sortedValues = firstLabelOfValue.keys.sorted()
        var indexOfValue: [Double: Int32] = [:]
        for (i, v) in sortedValues.enumerated() { indexOfValue[v] = Int32(i) }
        let set = CategorySet(labels: sortedValues.map { firstLabelOfValue[$0]! },
                              numericValues: sortedValues, isOrdered: true)
        return (set, numbers.map { indexOfValue[$0!]! })
    }

    /// Maps observed labels onto an explicit order. Returns, for each input label, its
    /// category index, or the index of the first label not in the order.
    public func indices(of observedLabels: [String]) -> Result<[Int32], LabelNotInOrder> {
        var exact: [String: Int32] = [:]
        var numeric: [Double: Int32] = [:]
        for (i, label) in labels.enumerated() {
            exact[label.trimmingSpaces()] = Int32(i)
            if let v = CategorySet.number(from: label), numeric[v] == nil { numeric[v] = Int32(i) }
        }
        var result: [Int32] = []
        result.reserveCapacity(observedLabels.count)
        for (i, label) in observedLabels.enumerated() {
            if let c = exact[label.trimmingSpaces()] {
                result.append(c)
            } else if let v = CategorySet.number(from: label), let c = numeric[v] {
                result.append(c)
            } else {
                return .failure(LabelNotInOrder(labelIndex: i, label: label))
            }
        }
        return .success(result)
    }

    /// Two categories, "c" and "not c", for one-vs-rest breakdowns (nominal only).
    static func oneVsRest(_ label: String) -> CategorySet {
        CategorySet(labels: [label, "not \(label)"], numericValues: nil, isOrdered: false)
    }
}

/// An observed label that an explicit category order does not contain.
public struct LabelNotInOrder: Error, Equatable, Sendable {
    /// Index of the label in the list passed to `indices(of:)`.
    public let labelIndex: Int
    public let label: String
}

extension String {
    /// The string without leading and trailing spaces and tabs (Foundation-free).
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}
