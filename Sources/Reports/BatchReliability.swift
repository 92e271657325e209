import Agreement
import Rubric
import Store

/// A batch's current labels as reliability data, one criterion at a time — the one bridge
/// between the project file and the statistics, used by `concord agreement --batch`, the
/// adjudication queue, the lead's dashboard and the reports, so they all count the same
/// units, raters and categories.
public enum BatchReliability {
    /// Units are the batch's items (every item, rated or not); raters those with a current
    /// label on this criterion; categories the rubric's options in order (nominal,
    /// ordinal) or the observed numbers (interval, ratio).
    public static func data(_ labels: BatchLabels, criterion: Criterion, includeModels: Bool) throws -> ReliabilityData {
        var raterIndex = [Int32](repeating: -1, count: labels.raters.count)
        var raterNames: [String] = []
        var valueIndex: [String: Int32] = [:]
        var valueLabels: [String] = []
        var ratings: [ReliabilityData.Rating] = []
        for i in 0..<labels.criterion.count where labels.criterion[i] == criterion.id {
            let r = Int(labels.raterIndex[i])
            if !includeModels && labels.roles[r] == .model { continue }
            if raterIndex[r] < 0 { raterIndex[r] = Int32(raterNames.count); raterNames.append(labels.raters[r]) }
            let value = labels.value[i]
            let v: Int32
            if let known = valueIndex[value] { v = known } else {
                v = Int32(valueLabels.count); valueIndex[value] = v; valueLabels.append(value)
            }
            ratings.append(.init(unit: labels.itemIndex[i], rater: raterIndex[r], category: v))
        }
        let categories: CategorySet, map: [Int32]
        if criterion.scale == .nominal || criterion.scale == .ordinal {
            categories = CategorySet(ordered: criterion.options.map(\.value))
            switch categories.indices(of: valueLabels) {
            case .success(let indices): map = indices
            case .failure(let missing):
                throw StoreError(.input, "batch \(labels.batch): the current label \(quoted(missing.label)) of \(criterion.id) is not an option of the rubric; the project file is inconsistent — run concord audit verify")
            }
        } else {
            (categories, map) = CategorySet.observed(valueLabels)
        }
        for i in ratings.indices { ratings[i].category = map[Int(ratings[i].category)] }
        let unitNames = zip(labels.items, labels.clipNames).map { "\($0.0):\($0.1)" }
        return try ReliabilityData(unitNames: unitNames, raterNames: raterNames, categories: categories, ratings: ratings)
    }
}
