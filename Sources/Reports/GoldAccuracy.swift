import Store

/// How often each rater's answers to gold questions match the known answer, and whether
/// that is drifting: the first half of their gold answers (in submission order) against
/// the second. A rater below the batch's gold threshold is flagged for the lead.
public struct GoldAccuracy: Sendable {
    public struct Row: Sendable, Equatable {
        public let rater: String
        public let role: Role
        /// Gold questions answered, and answered correctly.
        public let answered: Int
        public let correct: Int
        /// Accuracy of the earlier and the later half of their gold answers (nil under 4).
        public let earlier: Double?
        public let later: Double?
        /// Below the batch's threshold.
        public let flagged: Bool
        /// Each gold answer in submission order: when, and whether it was right.
        public let timeline: [(at: String, correct: Bool)]

        public var accuracy: Double? { answered > 0 ? Double(correct) / Double(answered) : nil }
        /// later − earlier: negative when the rater is getting worse.
        public var drift: Double? { earlier.flatMap { e in later.map { $0 - e } } }

        public static func == (a: Row, b: Row) -> Bool {
            a.rater == b.rater && a.answered == b.answered && a.correct == b.correct && a.flagged == b.flagged
        }
    }

    public let threshold: Double?
    public let goldQuestions: Int
    public let rows: [Row]

    public init(_ context: AdjudicationContext) {
        self.init(labels: context.labels, gold: context.gold, threshold: context.goldThreshold)
    }

    public init(labels: BatchLabels, gold answers: [GoldAnswer], threshold: Double?) {
        self.threshold = threshold
        var gold: [ItemCriterion: String] = [:]
        for g in answers { gold[ItemCriterion(item: g.item, criterion: g.criterion)] = g.value }
        goldQuestions = gold.count
        var answers: [Int: [(at: String, correct: Bool)]] = [:]
        for i in 0..<labels.value.count {
            let key = ItemCriterion(item: labels.items[Int(labels.itemIndex[i])], criterion: labels.criterion[i])
            guard let truth = gold[key] else { continue }
            let at = i < labels.submittedAt.count ? labels.submittedAt[i] : ""
            answers[Int(labels.raterIndex[i]), default: []].append((at, labels.value[i] == truth))
        }
        rows = answers.map { r, list in
            let timeline = list.sorted { $0.at < $1.at }
            let correct = timeline.filter(\.correct).count
            let half = timeline.count / 2
            func share(_ part: ArraySlice<(at: String, correct: Bool)>) -> Double {
                Double(part.filter(\.correct).count) / Double(part.count)
            }
            let accuracy = Double(correct) / Double(timeline.count)
            return Row(rater: labels.raters[r], role: labels.roles[r], answered: timeline.count, correct: correct,
                       earlier: timeline.count >= 4 ? share(timeline[..<half]) : nil,
                       later: timeline.count >= 4 ? share(timeline[half...]) : nil,
                       flagged: threshold.map { accuracy < $0 } ?? false, timeline: timeline)
        }.sorted { $0.rater < $1.rater }
    }
}
