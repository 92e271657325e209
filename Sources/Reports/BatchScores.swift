import Agreement
import OpinionScores
import Rubric
import Store

/// A batch's current labels on one criterion as numbers — the one bridge between the project
/// and `OpinionScores`, used by `concord mos --batch`, the gate, the quality rules, "how many
/// more?" and the report's Scores section, so they all score the same clips, raters and
/// numbers (docs/mos.md).
public struct BatchScores: Sendable {
    public struct Rating: Sendable, Equatable {
        /// Index into `items`.
        public let item: Int
        /// Index into `raters`.
        public let rater: Int
        public let score: Double
    }

    public let batch: String
    public let criterion: Criterion
    /// Every item of the batch in its order (rated or not), with its clip's name.
    public let items: [Int64]
    public let clipNames: [String]
    /// The raters with a current label on the criterion, in the project's order.
    public let raters: [String]
    /// One per current label, in the store's order.
    public let ratings: [Rating]
    /// Units are named `ITEM:CLIP`; false: by item number only, for readers who may not
    /// see clip names (auditors, docs/security.md).
    public let namingClips: Bool

    /// Why opinion scores cannot use `criterion`, in words a person can act on; nil when
    /// they can (ordinal, interval, ratio).
    public static func refusal(_ criterion: Criterion) -> String? {
        if criterion.isPairwise {
            return "\(quoted(criterion.id)) is a pairwise criterion: its answers compare two clips, so they are scaled by Bradley–Terry (concord pairwise --batch, the report's Preferences section), not averaged"
        }
        switch criterion.scale {
        case .nominal:
            return "\(quoted(criterion.id)) is a nominal criterion: its options are not ordered, so they have no mean opinion score; choose an ordinal or numeric criterion"
        case .text:
            return "\(quoted(criterion.id)) is a text criterion: notes have no score"
        default: return nil
        }
    }

    /// The number each stored value stands for. Numeric scales store the number itself.
    /// An ordinal criterion's options are its scale: their values when every one is a
    /// number (an ACR scale's "1"…"5"), otherwise their ranks 1, 2, … in the rubric's order.
    static func numbers(for criterion: Criterion) -> [String: Double]? {
        guard criterion.scale == .ordinal else { return nil }
        let values = criterion.options.map { CategorySet.number(from: $0.value) }
        let numeric = values.allSatisfy { $0 != nil }
        var out: [String: Double] = [:]
        for (rank, option) in criterion.options.enumerated() { out[option.value] = numeric ? values[rank]! : Double(rank + 1) }
        return out
    }

    /// Models' labels are left out unless `includeModels`, as agreement leaves them out: the
    /// scores are people's opinions. Throws for a nominal or text criterion (`refusal`).
    public init(_ labels: BatchLabels, criterion: Criterion, includeModels: Bool = false, namingClips: Bool = true) throws {
        if let refusal = Self.refusal(criterion) { throw StoreError(.input, refusal) }
        let options = Self.numbers(for: criterion)
        var raterColumn = [Int](repeating: -1, count: labels.raters.count)
        var ratings: [Rating] = []
        for i in 0..<labels.criterion.count where labels.criterion[i] == criterion.id {
            let r = Int(labels.raterIndex[i])
            if !includeModels && labels.roles[r] == .model { continue }
            let text = labels.value[i]
            guard let value = options.map({ $0[text] }) ?? CategorySet.number(from: text) else {
                throw StoreError(.input, "batch \(labels.batch): the current label \(quoted(text)) of \(criterion.id) is not \(options == nil ? "a number" : "an option of the rubric"); the project file is inconsistent — run concord audit verify")
            }
            raterColumn[r] = 0
            ratings.append(Rating(item: Int(labels.itemIndex[i]), rater: r, score: value))
        }
        // Raters in the project's order (the order labels come in is the store's).
        var raters: [String] = []
        for r in labels.raters.indices where raterColumn[r] == 0 { raterColumn[r] = raters.count; raters.append(labels.raters[r]) }
        self.batch = labels.batch
        self.criterion = criterion
        self.items = labels.items
        self.clipNames = labels.clipNames
        self.raters = raters
        self.namingClips = namingClips
        self.ratings = ratings.map { Rating(item: $0.item, rater: raterColumn[$0.rater], score: $0.score) }
    }

    /// The unit name of item `i`: `ITEM:CLIP`, as agreement names a batch's units (`ITEM`
    /// alone when not `namingClips`).
    public func unitName(_ i: Int) -> String { namingClips ? "\(items[i]):\(clipNames[i])" : "\(items[i])" }

    /// Opinion data: units are the items with at least one rating (batch order), raters
    /// those with one, less `excluding` (a rejection rule applied before scoring). Every
    /// clip is its own content: a project does not record the sources clips were made from.
    public func data(excluding: Set<String> = []) throws -> OpinionData {
        let keptRater = raters.map { !excluding.contains($0) }
        var rated = [Bool](repeating: false, count: items.count), raterUsed = [Bool](repeating: false, count: raters.count)
        for r in ratings where keptRater[r.rater] { rated[r.item] = true; raterUsed[r.rater] = true }
        var row = [Int](repeating: -1, count: items.count), column = [Int](repeating: -1, count: raters.count)
        var unitNames: [String] = [], raterNames: [String] = []
        for i in items.indices where rated[i] { row[i] = unitNames.count; unitNames.append(unitName(i)) }
        for r in raters.indices where raterUsed[r] { column[r] = raterNames.count; raterNames.append(raters[r]) }
        var scores = [Double](repeating: .nan, count: unitNames.count * raterNames.count)
        for r in ratings where keptRater[r.rater] { scores[row[r.item] * raterNames.count + column[r.rater]] = r.score }
        return try OpinionData(unitNames: unitNames, raterNames: raterNames, scores: scores)
    }

    /// The data and the method's outcome. Fewer than two raters is an outcome, not an
    /// error: a batch in progress may not have them yet, and the report says so.
    public func score(method: OpinionMethod, excluding: Set<String> = []) throws -> (data: OpinionData, outcome: OpinionOutcome) {
        let data = try data(excluding: excluding)
        guard data.raterCount >= 2 else {
            return (data, .undefined(reason: data.raterCount == 0
                ? "no rater has labelled \(criterion.id) yet"
                : "needs ratings from at least 2 raters; only \(quoted(data.raterNames[0])) has labelled \(criterion.id)"))
        }
        return (data, OpinionScores.score(data, method: method))
    }

    /// `BatchScores(labels, criterion:includeModels:).score(method:excluding:)` in one call.
    public static func score(_ labels: BatchLabels, criterion: Criterion, method: OpinionMethod, includeModels: Bool,
                             excluding: Set<String> = [], namingClips: Bool = true) throws -> (data: OpinionData, outcome: OpinionOutcome) {
        try BatchScores(labels, criterion: criterion, includeModels: includeModels, namingClips: namingClips)
            .score(method: method, excluding: excluding)
    }
}
