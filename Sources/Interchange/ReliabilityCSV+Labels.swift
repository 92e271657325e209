import Aggregation
import Agreement
import Printable

extension ReliabilityCSV {
    /// The reliability CSV as categorical labels for `concord aggregate` (docs/aggregation.md):
    /// each non-empty value is a label, an empty value a missing one, at most one row per
    /// (unit, rater) — a repeated pair is the error `concord mos` gives, naming both lines, so
    /// the command prints one line and exits 2 before computing anything.
    ///
    /// The options are the values that occur, sorted as crowd-kit sorts them once pandas has
    /// read the file: numerically when every value is a number (values that denote the same
    /// number, "1" and "1.0", are one option, named as first written), else by Unicode code
    /// point, Python's string order. Units and raters with no label (every value empty) are
    /// left out; `leftOut` counts them for the command's summary.
    public func labelData(name: String) throws -> (data: LabelData, leftOut: (units: Int, raters: Int)) {
        if ratings.isEmpty {
            throw InputError(emptyCells.isEmpty
                ? "\(printableText(name)): only a header, no labels; add one row per label (unit,rater,value) under it"
                : "\(printableText(name)): every value is empty, so there is no label to aggregate; fill in the value column")
        }
        try checkOneRowPerPair(name: name)
        let (classNames, optionOfValue) = Self.optionOrder(valueLabels)
        var unitIndex = [Int32](repeating: -1, count: unitNames.count), raterIndex = [Int32](repeating: -1, count: raterNames.count)
        var items: [String] = [], raters: [String] = []
        var item = [Int32](repeating: 0, count: ratings.count), rater = item, label = item
        for (k, rating) in ratings.enumerated() {
            let u = Int(rating.unit), r = Int(rating.rater)
            if unitIndex[u] < 0 { unitIndex[u] = Int32(items.count); items.append(unitNames[u]) }
            if raterIndex[r] < 0 { raterIndex[r] = Int32(raters.count); raters.append(raterNames[r]) }
            item[k] = unitIndex[u]; rater[k] = raterIndex[r]; label[k] = optionOfValue[Int(rating.category)]
        }
        // Units and raters in order of their first label (the reader's first appearance,
        // less those with only empty values).
        let data = try LabelData(itemNames: items, raterNames: raters, classNames: classNames, item: item, rater: rater, label: label)
        return (data, (unitNames.count - items.count, raterNames.count - raters.count))
    }

    /// crowd-kit's option order for these value texts, and each text's option.
    static func optionOrder(_ values: [String]) -> (names: [String], optionOf: [Int32]) {
        let numbers = values.map(CategorySet.number(from:))
        if !values.isEmpty, numbers.allSatisfy({ $0 != nil }) {
            var firstName: [Double: String] = [:]
            for (text, v) in zip(values, numbers) where firstName[v!] == nil { firstName[v!] = text }
            let sorted = firstName.keys.sorted()
            var option: [Double: Int32] = [:]
            for (i, v) in sorted.enumerated() { option[v] = Int32(i) }
            return (sorted.map { firstName[$0]! }, numbers.map { option[$0!]! })
        }
        let order = values.indices.sorted { values[$0].unicodeScalars.lexicographicallyPrecedes(values[$1].unicodeScalars) }
        var optionOf = [Int32](repeating: 0, count: values.count)
        for (rank, v) in order.enumerated() { optionOf[v] = Int32(rank) }
        return (order.map { values[$0] }, optionOf)
    }

    /// Every (unit, rater) at most once, labelled or empty, checked in file order so the
    /// message names the later line: one bit per cell when the units × raters table is small
    /// enough (a crowd batch's 100,000 × 200 is 2.5 MB), else a set of the pairs.
    private func checkOneRowPerPair(name: String) throws {
        let raterCount = raterNames.count, cells = unitNames.count * raterCount
        var bits = cells <= 1 << 28 ? [UInt64](repeating: 0, count: (cells + 63) / 64) : []
        var seen = Set<Int>()
        func claim(_ unit: Int32, _ rater: Int32, line: Int32) throws {
            let cell = Int(unit) * raterCount + Int(rater)
            let fresh: Bool
            if bits.isEmpty { fresh = seen.insert(cell).inserted } else {
                let bit = UInt64(1) << UInt64(cell & 63)
                fresh = bits[cell >> 6] & bit == 0
                bits[cell >> 6] |= bit
            }
            guard !fresh else { return }
            let first = firstLineOfPair(unit: unit, rater: rater)
            throw InputError(file: name, line: Int(line),
                             "unit \(quoted(unitNames[Int(unit)])) is rated twice by rater \(quoted(raterNames[Int(rater)])) (first at line \(first)); keep one row per unit and rater")
        }
        var r = 0, e = 0
        while r < ratings.count || e < emptyCells.count {
            if e >= emptyCells.count || (r < ratings.count && ratingLines[r] < emptyCellLines[e]) {
                try claim(ratings[r].unit, ratings[r].rater, line: ratingLines[r]); r += 1
            } else {
                try claim(emptyCells[e].unit, emptyCells[e].rater, line: emptyCellLines[e]); e += 1
            }
        }
    }

    /// The first line with a row for (unit, rater), labelled or empty.
    private func firstLineOfPair(unit: Int32, rater: Int32) -> Int32 {
        let labelled = zip(ratings, ratingLines).first { $0.0.unit == unit && $0.0.rater == rater }?.1
        let empty = zip(emptyCells, emptyCellLines).first { $0.0.unit == unit && $0.0.rater == rater }?.1
        return min(labelled ?? .max, empty ?? .max)
    }
}
