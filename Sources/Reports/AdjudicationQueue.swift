import Agreement
import Rubric
import Store

/// The lead's adjudication queue of a batch: every (item, criterion) whose human votes
/// disagree (DisagreementRanking's rule, with the batch's spread threshold for ordinal and
/// numeric criteria) or that a rater flagged, and that no decision has settled since the
/// votes last changed — in the order resolving them matters most.
///
/// Model raters' predictions are left out: judges are scored against the golden set, they
/// do not vote in it.
public struct AdjudicationQueue: Sendable {
    public struct Entry: Sendable, Equatable {
        public let item: Int64
        public let clip: String
        public let criterion: String
        public let scale: Scale
        /// (rater, value), by rater name.
        public let votes: [Vote]
        public let spread: Double
        public let magnitude: Double
        public let alphaGain: Double?
        /// magnitude + max(0, alpha gain): the order of the queue.
        public let priority: Double
        public let flags: [String]
        /// A resolution older than the votes (the votes changed since): re-opened.
        public let reopened: Bool

        public struct Vote: Sendable, Equatable {
            public let rater: String
            public let value: String
        }
    }

    public let batch: String
    public let entries: [Entry]

    public init(_ context: AdjudicationContext) throws {
        let labels = context.labels
        batch = labels.batch
        let resolutions = context.resolutions
        // The time of the newest vote per resolved (item, criterion), to tell settled from
        // re-opened (only resolved ones are asked: no key is hashed for a batch without).
        var newestVote: [ItemCriterion: String] = [:]
        let resolvedItems = Set(resolutions.keys.map(\.item))
        for i in 0..<labels.value.count where !resolvedItems.isEmpty && labels.roles[Int(labels.raterIndex[i])] != .model {
            let item = labels.items[Int(labels.itemIndex[i])]
            guard resolvedItems.contains(item) else { continue }
            let key = ItemCriterion(item: item, criterion: labels.criterion[i])
            if i < labels.submittedAt.count, labels.submittedAt[i] > newestVote[key, default: ""] { newestVote[key] = labels.submittedAt[i] }
        }
        let flaggedItems = Set(context.flags.keys)
        var all: [(Entry, position: Int)] = []
        for criterion in labels.rubric.criteria where criterion.isPartOfAgreement {
            guard let level = BatchReliability.level(for: criterion.scale) else { continue }
            let data = try BatchReliability.data(labels, criterion: criterion, includeModels: false)
            let flaggedUnits = Set(labels.items.indices.filter { flaggedItems.contains(labels.items[$0]) })
            let width = criterion.range.map { $0.upperBound - $0.lowerBound }
            let threshold = criterion.scale == .nominal ? 0 : context.spreadThreshold
            for e in DisagreementRanking.rank(data, level: level, threshold: threshold, flagged: flaggedUnits, scaleWidth: width) {
                let item = labels.items[e.unit]
                let key = ItemCriterion(item: item, criterion: criterion.id)
                var reopened = false
                if let decision = resolutions[key] {
                    guard let newest = newestVote[key], newest > decision.at else { continue }   // settled
                    reopened = true
                }
                let votes = data.ratings(ofUnit: e.unit).map {
                    Entry.Vote(rater: data.raterNames[$0.rater], value: data.categories.labels[$0.category])
                }.sorted { $0.rater < $1.rater }
                all.append((Entry(item: item, clip: labels.clipNames[e.unit], criterion: criterion.id, scale: criterion.scale,
                                  votes: votes, spread: e.spread, magnitude: e.magnitude, alphaGain: e.alphaGain, priority: e.priority,
                                  flags: context.flags[item]?.map { "\($0.rater): \($0.note)" } ?? [], reopened: reopened),
                            e.unit))
            }
        }
        // One order across criteria (DisagreementRanking's): priority, alpha gain, batch
        // position, then the rubric's criterion order.
        entries = all.enumerated().sorted { a, b in
            let x = a.element.0, y = b.element.0
            if x.priority != y.priority { return x.priority > y.priority }
            let gx = x.alphaGain ?? -.infinity, gy = y.alphaGain ?? -.infinity
            if gx != gy { return gx > gy }
            if a.element.position != b.element.position { return a.element.position < b.element.position }
            return a.offset < b.offset
        }.map(\.element.0)
    }
}
