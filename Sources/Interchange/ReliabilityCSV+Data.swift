import Agreement
import Printable

extension ReliabilityCSV {
    /// The data with categories from `order` (each value must be in it) or observed.
    public func reliabilityData(order: CategorySet?, name: String) throws -> ReliabilityData {
        let categories: CategorySet
        let categoryOfLabel: [Int32]
        if let order {
            switch order.indices(of: valueLabels) {
            case .success(let indices):
                categories = order
                categoryOfLabel = indices
            case .failure(let missing):
                throw InputError(file: name, line: Int(firstLineOfLabel[missing.labelIndex]),
                                 "the value \(quoted(missing.label)) is not in --order (\(order.labels.map { printableCut($0) }.joined(separator: ","))); add it to --order or correct the row")
            }
        } else {
            (categories, categoryOfLabel) = CategorySet.observed(valueLabels)
        }
        var mapped = ratings
        for i in mapped.indices { mapped[i].category = categoryOfLabel[Int(mapped[i].category)] }
        do {
            return try ReliabilityData(unitNames: unitNames, raterNames: raterNames, categories: categories,
                                       ratings: mapped, emptyCells: emptyCells)
        } catch let duplicate as ReliabilityData.DuplicateRating {
            func line(_ position: Int) -> Int {
                Int(position < ratings.count ? ratingLines[position] : emptyCellLines[position - ratings.count])
            }
            func cell(_ position: Int) -> (Int32, Int32) {
                position < ratings.count ? (ratings[position].unit, ratings[position].rater)
                    : emptyCells[position - ratings.count]
            }
            let (unit, rater) = cell(duplicate.second)
            let (first, second) = (min(line(duplicate.first), line(duplicate.second)),
                                   max(line(duplicate.first), line(duplicate.second)))
            throw InputError(file: name, line: second,
                             "unit \(quoted(unitNames[Int(unit)])) is rated twice by rater \(quoted(raterNames[Int(rater)])) (first at line \(first)); keep one row per unit and rater")
        }
    }

    /// Values that an explicitly requested metric cannot take are input errors (exit 2),
    /// named by line: interval and ratio alpha need numbers, ratio alpha non-negative ones.
    /// (Without --metric these metrics are simply reported as undefined with the reason.)
    public func checkValues(of data: ReliabilityData, for metrics: [Metric], name: String) throws {
        for metric in metrics where metric == .krippendorffAlphaInterval || metric == .krippendorffAlphaRatio {
            for (label, line) in zip(valueLabels, firstLineOfLabel) {
                guard let number = CategorySet.number(from: label) else {
                    throw InputError(file: name, line: Int(line),
                                     "the value \(quoted(label)) is not a number, and \(metric.rawValue) needs numbers; choose a nominal or ordinal metric, or correct the row")
                }
                if metric == .krippendorffAlphaRatio && number < 0 {
                    throw InputError(file: name, line: Int(line),
                                     "the value \(quoted(label)) is negative, and \(metric.rawValue) needs values of 0 or more; use krippendorff_alpha_interval, or correct the row")
                }
            }
        }
    }
}
