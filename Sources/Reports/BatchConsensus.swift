import Aggregation
import Rubric
import Store

/// A batch's current labels on one nominal or ordinal criterion as `LabelData` — the one
/// bridge between the project and `Aggregation`, used by `concord aggregate --batch`,
/// `golden export --consensus`, `queue --order posterior` and the report's consensus
/// section, so they all aggregate the same items, raters and options (docs/adjudication.md).
///
/// It reads what `concord mos --batch` reads (`labelsForAgreement`, the aggregate read
/// leads, auditors and admins may make) and leaves models out the same way: a consensus is
/// people's unless asked.
public struct BatchConsensus: Sendable {
    public let batch: String
    public let criterion: Criterion
    /// The labels to aggregate: items are the batch's items with at least one kept label
    /// (batch order), named `ITEM:CLIP` (`ITEM` alone when not `namingClips`); raters those
    /// with one (the project's order); options the rubric's, in its order.
    public let data: LabelData
    /// Item number of each `data` item.
    public let items: [Int64]

    /// Why a consensus label cannot be computed for `criterion`, in words a person can act
    /// on; nil for nominal and ordinal criteria (the ones with options).
    public static func refusal(_ criterion: Criterion) -> String? {
        switch criterion.scale {
        case .nominal, .ordinal: return nil
        case .interval, .ratio:
            return "\(quoted(criterion.id)) is a \(criterion.scale.rawValue) criterion: a consensus label is one of a criterion's options; choose a nominal or ordinal criterion (concord mos scores numbers)"
        case .text:
            return "\(quoted(criterion.id)) is a text criterion: notes have no consensus label"
        }
    }

    /// Models' labels are left out unless `includeModels`. Throws for a numeric or text
    /// criterion (`refusal`) and for a stored value that is not an option (a project file
    /// that does not match its rubric).
    public init(_ labels: BatchLabels, criterion: Criterion, includeModels: Bool = false, namingClips: Bool = true) throws {
        if let refusal = Self.refusal(criterion) { throw StoreError(.input, refusal) }
        var optionIndex: [String: Int32] = [:]
        for (i, option) in criterion.options.enumerated() { optionIndex[option.value] = Int32(i) }
        var row = [Int32](repeating: -1, count: labels.items.count)
        var column = [Int32](repeating: -1, count: labels.raters.count)
        var kept: [(item: Int32, rater: Int32, label: Int32)] = []
        for i in 0..<labels.criterion.count where labels.criterion[i] == criterion.id {
            let r = Int(labels.raterIndex[i])
            if !includeModels && labels.roles[r] == .model { continue }
            guard let option = optionIndex[labels.value[i]] else {
                throw StoreError(.input, "batch \(labels.batch): the current label \(quoted(labels.value[i])) of \(criterion.id) is not an option of the rubric; the project file is inconsistent — run concord audit verify")
            }
            row[Int(labels.itemIndex[i])] = 0
            column[r] = 0
            kept.append((labels.itemIndex[i], Int32(r), option))
        }
        var itemNames: [String] = [], items: [Int64] = [], raterNames: [String] = []
        for i in labels.items.indices where row[i] == 0 {
            row[i] = Int32(items.count)
            items.append(labels.items[i])
            itemNames.append(namingClips ? labels.unitName(i) : "\(labels.items[i])")
        }
        // Raters in the project's order (the order labels come in is the store's).
        for r in labels.raters.indices where column[r] == 0 { column[r] = Int32(raterNames.count); raterNames.append(labels.raters[r]) }
        batch = labels.batch
        self.criterion = criterion
        self.items = items
        data = try LabelData(itemNames: itemNames, raterNames: raterNames, classNames: criterion.options.map(\.value),
                             item: kept.map { row[Int($0.item)] }, rater: kept.map { column[Int($0.rater)] }, label: kept.map(\.label))
    }

    /// The method's outcome on `data`. No label at all is an outcome, not an error: a batch
    /// in progress may have none yet on a criterion, and the caller says so.
    public func aggregate(method: AggregationMethod, options: AggregationOptions = AggregationOptions()) -> AggregationOutcome {
        guard data.labelCount > 0 else { return .undefined(reason: "no rater has labelled \(criterion.id) yet") }
        return Aggregation.aggregate(data, method: method, options: options)
    }

    /// The consensus of each item (by item number) from a result computed on `data`.
    public func byItem(_ result: AggregationResult) -> [Int64: ItemConsensus] {
        var out: [Int64: ItemConsensus] = [:]
        for c in result.items { out[items[c.item]] = c }
        return out
    }

    /// The criteria a consensus can be computed for, in the rubric's order.
    public static func criteria(_ rubric: Rubric) -> [Criterion] {
        rubric.criteria.filter { refusal($0) == nil }
    }
}
