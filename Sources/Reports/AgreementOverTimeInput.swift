import Agreement
import Rubric
import Store

/// One criterion's human labels and gold answers with their times and rubric versions, and
/// how they fall into windows (AgreementOverTime's placement rule). The live sparkline keeps
/// one of these current label by label (`set`), the command builds it once.
struct OverTimeInput: Sendable {
    struct Rating: Sendable {
        var rater: Int32
        var value: String
        var at: String
        var version: String
    }

    struct GoldAnswer: Sendable {
        let rater: String
        let at: String
        let correct: Bool
    }

    struct Group: Sendable {
        let name: String
        let units: [Int]
        let gold: [GoldAnswer]
    }

    let criterion: Criterion
    /// Unit (the batch's item index) names, as BatchReliability names them.
    let unitNames: [String]
    private(set) var raterNames: [String] = []
    private var raterIndex: [String: Int32] = [:]
    /// Current ratings of each unit (no entry: no rating).
    private(set) var ratings: [[Rating]]
    /// Each unit's placement time: its latest current label's ("" when it has none).
    private(set) var placement: [String]
    var gold: [GoldAnswer]

    init(criterion: Criterion, unitNames: [String], gold: [GoldAnswer] = []) {
        self.criterion = criterion
        self.unitNames = unitNames
        ratings = Array(repeating: [], count: unitNames.count)
        placement = Array(repeating: "", count: unitNames.count)
        self.gold = gold
    }

    init(labels: BatchLabels, versions: LabelRubricVersions, gold answers: [Store.GoldAnswer], criterion: Criterion) {
        self.init(criterion: criterion, unitNames: zip(labels.items, labels.clipNames).map { "\($0.0):\($0.1)" },
                  gold: Self.gold(answers, criterion: criterion.id))
        // Current labels are one per (item, rater): appended without `set`'s search (a
        // batch of a million labels has 250 raters on an item), placements taken once.
        var raterOf = [Int32](repeating: -1, count: labels.raters.count)
        for i in 0..<labels.criterion.count where labels.criterion[i] == criterion.id {
            let r = Int(labels.raterIndex[i])
            guard labels.roles[r] != .model else { continue }
            if raterOf[r] < 0 {
                raterOf[r] = Int32(raterNames.count); raterIndex[labels.raters[r]] = raterOf[r]; raterNames.append(labels.raters[r])
            }
            let u = Int(labels.itemIndex[i])
            ratings[u].append(Rating(rater: raterOf[r], value: labels.value[i], at: labels.submittedAt[i],
                                     version: versions.version(item: labels.items[u], rater: labels.raters[r], criterion: criterion.id)))
        }
        for u in ratings.indices { placement[u] = ratings[u].map(\.at).max() ?? "" }
    }

    /// Human raters' counted gold answers on `criterion` (training items and revisions left
    /// out, as GoldAccuracy counts them).
    static func gold(_ answers: [Store.GoldAnswer], criterion: String) -> [GoldAnswer] {
        answers.filter { $0.criterion == criterion && !$0.training }.flatMap { question in
            question.responses.filter { $0.role != .model }.map { GoldAnswer(rater: $0.rater, at: $0.at, correct: $0.value == question.value) }
        }
    }

    /// Sets (or, with an empty value, withdraws) a rater's current label on a unit.
    mutating func set(unit u: Int, rater name: String, value: String, at: String, version: String) {
        let r: Int32
        if let known = raterIndex[name] { r = known } else {
            r = Int32(raterNames.count); raterIndex[name] = r; raterNames.append(name)
        }
        if let slot = ratings[u].firstIndex(where: { $0.rater == r }) {
            if value.isEmpty { ratings[u].remove(at: slot) } else { ratings[u][slot] = Rating(rater: r, value: value, at: at, version: version) }
        } else if !value.isEmpty {
            ratings[u].append(Rating(rater: r, value: value, at: at, version: version))
        }
        placement[u] = ratings[u].map(\.at).max() ?? ""
    }

    /// The window groups in time order.
    func windows(_ window: OverTimeWindow) -> [Group] {
        // Units in order of placement (ties by batch position), in every kind of window.
        let rated = placement.indices.filter { !ratings[$0].isEmpty }.sorted { (placement[$0], $0) < (placement[$1], $1) }
        switch window {
        case .day, .week:
            var units: [String: [Int]] = [:], answers: [String: [GoldAnswer]] = [:]
            for u in rated { units[window.calendarKey(placement[u]) ?? placement[u], default: []].append(u) }
            for a in gold { answers[window.calendarKey(a.at) ?? a.at, default: []].append(a) }
            return Set(units.keys).union(answers.keys).sorted().map { Group(name: $0, units: units[$0] ?? [], gold: answers[$0] ?? []) }
        case .items(let n):
            let ordered = rated
            let starts = stride(from: 0, to: ordered.count, by: n).map { $0 }
            var answers = [[GoldAnswer]](repeating: [], count: starts.count)
            for a in gold where !starts.isEmpty {
                // The last window that had begun by the answer's time (the first for earlier ones).
                let k = starts.lastIndex { placement[ordered[$0]] <= a.at } ?? 0
                answers[k].append(a)
            }
            return starts.enumerated().map { k, start in
                let end = min(start + n, ordered.count)
                return Group(name: "items \(start + 1)–\(end)", units: Array(ordered[start..<end]), gold: answers[k])
            }
        }
    }

    /// The window's labels as reliability data: its units in order, every rater of the
    /// criterion, the rubric's options (nominal, ordinal) or the values observed in the
    /// window (interval, ratio) — as BatchReliability builds a whole batch's.
    func data(units: [Int]) throws -> ReliabilityData {
        var valueIndex: [String: Int32] = [:], values: [String] = []
        var out: [ReliabilityData.Rating] = []
        for (k, u) in units.enumerated() {
            for rating in ratings[u] {
                let v: Int32
                if let known = valueIndex[rating.value] { v = known } else { v = Int32(values.count); valueIndex[rating.value] = v; values.append(rating.value) }
                out.append(.init(unit: Int32(k), rater: rating.rater, category: v))
            }
        }
        let categories: CategorySet, map: [Int32]
        if criterion.scale == .nominal || criterion.scale == .ordinal {
            categories = CategorySet(ordered: criterion.options.map(\.value))
            switch categories.indices(of: values) {
            case .success(let indices): map = indices
            case .failure(let missing):
                throw StoreError(.input, "the current label \(quoted(missing.label)) of \(criterion.id) is not an option of the rubric; the project file is inconsistent — run concord audit verify")
            }
        } else {
            (categories, map) = CategorySet.observed(values)
        }
        for i in out.indices { out[i].category = map[Int(out[i].category)] }
        return try ReliabilityData(unitNames: units.map { unitNames[$0] }, raterNames: raterNames, categories: categories, ratings: out)
    }

    /// The rubric versions of the units' labels, in order of first appearance.
    func versions(of units: [Int]) -> [String] {
        var seen: Set<String> = [], out: [String] = []
        for u in units { for r in ratings[u] where seen.insert(r.version).inserted { out.append(r.version) } }
        return out
    }
}
