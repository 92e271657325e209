import Agreement
import Rubric
import Store

/// `gate --judge M --as-good-as-humans` (docs/release-gate-and-judges.md): the rule by
/// which a team lets a model replace a human rater. Per criterion, on the golden-set
/// entries the judge answered: the lower 95% bound of alpha between the judge and the gold
/// values must be at least the lower bound of the human raters' own alpha on the same
/// items — both at the criterion's level, both bootstrapped over items as Agreement does
/// (seeded). Lower bounds, not estimates: a judge passes when even its pessimistic
/// agreement with the truth reaches what people manage among themselves, pessimistically.
extension ReleaseGate {
    /// One interval a check compares, printed beside it.
    public struct IntervalNote: Sendable, Equatable {
        public let name: String
        public let estimate: Double?
        public let lower: Double?
        public let upper: Double?
        public let units: Int
        public let raters: Int
    }

    public struct JudgeRule: Sendable {
        public let judge: String
        public let golden: GoldenSet
        public init(judge: String, golden: GoldenSet) { self.judge = judge; self.golden = golden }
    }

    static let asGoodAsHumans = "as_good_as_humans"

    static func judgeChecks(_ labels: BatchLabels, criteria: [Criterion], thresholds t: Thresholds) throws -> [Check] {
        guard let rule = t.asGoodAsHumans else { return [] }
        guard let judgeIndex = labels.raters.firstIndex(of: rule.judge) else {
            throw StoreError(.input, "\(quoted(rule.judge)) has no labels in batch \(labels.batch); import the judge's predictions first (concord label import)")
        }
        guard labels.roles[judgeIndex] == .model else {
            throw StoreError(.input, "\(quoted(rule.judge)) is \(labels.roles[judgeIndex].withArticle), not a model; --as-good-as-humans compares a rater of role model with the humans")
        }
        // item id → item index; (item index, criterion) → rater index → value.
        var itemIndex: [Int64: Int] = [:]
        for (i, item) in labels.items.enumerated() { itemIndex[item] = i }
        var values: [String: [Int: [Int: String]]] = [:]
        for i in 0..<labels.value.count {
            values[labels.criterion[i], default: [:]][Int(labels.itemIndex[i]), default: [:]][Int(labels.raterIndex[i])] = labels.value[i]
        }
        let humans = labels.raters.indices.filter { labels.roles[$0] != .model }
        return criteria.map { criterion in
            let answers = values[criterion.id] ?? [:]
            // The golden entries the judge answered, in the golden set's order.
            var judgeRows: [[String?]] = [], humanRows: [[String?]] = []
            for entry in rule.golden.entries where entry.criterion == criterion.id {
                guard let i = itemIndex[entry.item], let given = answers[i]?[judgeIndex] else { continue }
                judgeRows.append([entry.value, given])
                humanRows.append(humans.map { answers[i]?[$0] })
            }
            let judge = JudgeAgreement.alpha(judgeRows, raters: ["gold", rule.judge], criterion: criterion, resamples: t.resamples, seed: t.seed)
            let people = JudgeAgreement.alpha(humanRows, raters: humans.map { labels.raters[$0] }, criterion: criterion,
                                              resamples: t.resamples, seed: t.seed)
            let notes = [IntervalNote(name: "\(rule.judge) vs gold", estimate: judge.outcome.value, lower: judge.lower, upper: judge.upper,
                                      units: judgeRows.count, raters: 2),
                         IntervalNote(name: "humans", estimate: people.outcome.value, lower: people.lower, upper: people.upper,
                                      units: people.pairableUnits, raters: humanRows.map { $0.compactMap { $0 }.count }.max() ?? 0)]
            var note: String?
            if judgeRows.isEmpty {
                note = "\(rule.judge) answered no golden-set entry of \(criterion.id); import its predictions for the golden items"
            } else if let reason = judge.undefinedReason {
                note = "\(rule.judge) vs gold undefined: \(reason)"
            } else if let reason = people.undefinedReason {
                note = "humans undefined on the same items: \(reason)"
            }
            let passed = note == nil && judge.lower! >= people.lower!
            return Check(subject: "\(criterion.id) · \(rule.judge)", statistic: asGoodAsHumans, value: note == nil ? judge.lower : nil,
                         estimate: judge.outcome.value, threshold: note == nil ? people.lower! : people.lower ?? 0, passed: passed,
                         note: note, units: judge.pairableUnits, smallSample: judge.pairableUnits < t.minUnits, intervals: notes)
        }
    }
}
