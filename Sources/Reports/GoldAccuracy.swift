import Store

/// How often each rater's answers to gold questions match the known answer, and whether
/// that is drifting: the first half of their gold answers (in submission order) against
/// the second. A rater below the batch's gold threshold is flagged for the lead.
///
/// Each gold question counts the rater's first submitted answer only: a revision may have
/// been made after seeing the gold answer, so it never improves accuracy (it is counted as
/// `revised`). Training items (`gold add --training`), whose answers training mode shows,
/// never count at all.
public struct GoldAccuracy: Sendable {
    public struct Row: Sendable, Equatable {
        public let rater: String
        public let role: Role
        /// Gold questions answered, and answered correctly (first answers only).
        public let answered: Int
        public let correct: Int
        /// Of those, how many the rater changed after their first answer (not counted).
        public let revised: Int
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
            a.rater == b.rater && a.answered == b.answered && a.correct == b.correct && a.revised == b.revised && a.flagged == b.flagged
        }
    }

    public let threshold: Double?
    /// Gold questions that count (training items left out), and training items' questions.
    public let goldQuestions: Int
    public let trainingQuestions: Int
    public let rows: [Row]

    public init(_ context: AdjudicationContext) {
        self.init(labels: context.labels, gold: context.gold, threshold: context.goldThreshold)
    }

    /// `labels` decides whose answers count (its raters; a caller may leave some out);
    /// the answers themselves are each rater's first, from `gold`.
    public init(labels: BatchLabels, gold answers: [GoldAnswer], threshold: Double?) {
        self.threshold = threshold
        let counted = answers.filter { !$0.training }
        goldQuestions = counted.count
        trainingQuestions = answers.count - counted.count
        var raterIndex: [String: Int] = [:]
        for (i, name) in labels.raters.enumerated() { raterIndex[name] = i }
        var answers: [Int: [(at: String, correct: Bool, revised: Bool)]] = [:]
        for question in counted {
            for response in question.responses {
                guard let r = raterIndex[response.rater] else { continue }
                answers[r, default: []].append((response.at, response.value == question.value, response.revised))
            }
        }
        rows = answers.map { r, list in
            let ordered = list.sorted { $0.at < $1.at }
            let timeline = ordered.map { (at: $0.at, correct: $0.correct) }
            let correct = timeline.filter(\.correct).count
            let half = timeline.count / 2
            func share(_ part: ArraySlice<(at: String, correct: Bool)>) -> Double {
                Double(part.filter(\.correct).count) / Double(part.count)
            }
            let accuracy = Double(correct) / Double(timeline.count)
            return Row(rater: labels.raters[r], role: labels.roles[r], answered: timeline.count, correct: correct,
                       revised: ordered.filter(\.revised).count,
                       earlier: timeline.count >= 4 ? share(timeline[..<half]) : nil,
                       later: timeline.count >= 4 ? share(timeline[half...]) : nil,
                       flagged: threshold.map { accuracy < $0 } ?? false, timeline: timeline)
        }.sorted { $0.rater < $1.rater }
    }
}
