import Aggregation
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
///
/// Two orders (docs/adjudication.md): by magnitude (the default: priority, alpha gain, batch
/// position, criterion order) or by posterior (the consensus posterior least certain first,
/// ties in the magnitude order; entries without a posterior after all those with one).
public struct AdjudicationQueue: Sendable {
    public enum Order: Sendable, Equatable {
        case magnitude
        /// By 1 − the top posterior of the method's consensus (ds by default).
        case posterior(AggregationMethod)
    }

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
        /// The unit's consensus posterior, in the posterior order (nil in the magnitude
        /// order, and for numeric criteria or a criterion the method is undefined on).
        public var consensus: EntryConsensus? = nil
        /// On a pair item (a pairwise batch): clip b; `clip` is clip a. nil otherwise.
        public var clipB: String? = nil

        /// What the queue calls the item: "a.mp4 vs b.mp4" for a pair, else its clip.
        public var title: String { clipB.map { "\(clip) vs \($0)" } ?? clip }

        public struct Vote: Sendable, Equatable {
            public let rater: String
            public let value: String
            /// On a pair item: whether the rater saw clip a on the left (nil: not recorded).
            public var leftIsA: Bool? = nil
        }
    }

    public let batch: String
    public let entries: [Entry]
    public let order: Order
    /// In the posterior order: the nominal and ordinal criteria the method is undefined on,
    /// with the reason (their entries have no posterior and come last).
    public let undefined: [(criterion: String, reason: String)]

    public init(_ context: AdjudicationContext, order: Order = .magnitude, options: AggregationOptions = AggregationOptions()) throws {
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
        var undefined: [(criterion: String, reason: String)] = []
        for criterion in labels.rubric.criteria where criterion.isPartOfAgreement {
            var posteriors: (options: [String], items: [Int64: ItemConsensus])?
            if case .posterior(let method) = order, BatchConsensus.refusal(criterion) == nil {
                let consensus = try BatchConsensus(labels, criterion: criterion)
                // No label: no unit of it is queued, and there is nothing to say.
                switch consensus.data.labelCount > 0 ? consensus.aggregate(method: method, options: options) : nil {
                case .aggregated(let result)?: posteriors = (consensus.data.classNames, consensus.byItem(result))
                case .undefined(let reason)?: undefined.append((criterion.id, reason))
                case nil: break
                }
            }
            guard var level = BatchReliability.level(for: criterion.scale) else { continue }
            let data = try BatchReliability.data(labels, criterion: criterion, includeModels: false)
            let flaggedUnits = Set(labels.items.indices.filter { flaggedItems.contains(labels.items[$0]) })
            let width = criterion.range.map { $0.upperBound - $0.lowerBound }
            var threshold = criterion.scale == .nominal ? 0 : context.spreadThreshold
            // A pairwise criterion disagrees on the winner only (AdjudicationQueue+Pairwise).
            var ranked = data
            if criterion.isPairwise { ranked = Self.winners(data, criterion: criterion); level = .nominal; threshold = 0 }
            for e in DisagreementRanking.rank(ranked, level: level, threshold: threshold, flagged: flaggedUnits, scaleWidth: width) {
                let item = labels.items[e.unit]
                let key = ItemCriterion(item: item, criterion: criterion.id)
                var reopened = false
                if let decision = resolutions[key] {
                    guard let newest = newestVote[key], newest > decision.at else { continue }   // settled
                    reopened = true
                }
                let pair = context.pairs[item]
                let votes = data.ratings(ofUnit: e.unit).map {
                    Entry.Vote(rater: data.raterNames[$0.rater], value: data.categories.labels[$0.category],
                               leftIsA: pair?.leftIsA[data.raterNames[$0.rater]])
                }.sorted { $0.rater < $1.rater }
                var entry = Entry(item: item, clip: labels.clipNames[e.unit], criterion: criterion.id, scale: criterion.scale,
                                  votes: votes, spread: e.spread, magnitude: e.magnitude, alphaGain: e.alphaGain, priority: e.priority,
                                  flags: context.flags[item]?.map { "\($0.rater): \($0.note)" } ?? [], reopened: reopened)
                entry.clipB = pair?.clipB.name
                if case .posterior(let method) = order, let (options, items) = posteriors, let c = items[item] {
                    entry.consensus = EntryConsensus(method: method, options: options, consensus: c)
                }
                all.append((entry, e.unit))
            }
        }
        // One order across criteria (DisagreementRanking's): priority, alpha gain, batch
        // position, then the rubric's criterion order.
        let byMagnitude = all.enumerated().sorted { a, b in
            let x = a.element.0, y = b.element.0
            if x.priority != y.priority { return x.priority > y.priority }
            let gx = x.alphaGain ?? -.infinity, gy = y.alphaGain ?? -.infinity
            if gx != gy { return gx > gy }
            if a.element.position != b.element.position { return a.element.position < b.element.position }
            return a.offset < b.offset
        }.map(\.element.0)
        self.order = order
        self.undefined = undefined
        guard case .posterior = order else { entries = byMagnitude; return }
        // Least certain first; equal uncertainties (to nine decimals) keep the magnitude
        // order, and so do the entries without a posterior, after all the others.
        entries = byMagnitude.enumerated().sorted { a, b in
            let x = a.element.consensus?.orderKey ?? -1, y = b.element.consensus?.orderKey ?? -1
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
    }
}

/// A queue entry's consensus: the method, each option's posterior and the label (nil on a tie).
public struct EntryConsensus: Sendable, Equatable {
    public let method: AggregationMethod
    /// Options in the rubric's order, and their posteriors.
    public let options: [String]
    public let posterior: [Double]
    public let label: String?
    /// 1 − the top posterior: 0 when the method is certain, up to 1 − 1/K for K options.
    public let uncertainty: Double

    init(method: AggregationMethod, options: [String], consensus c: ItemConsensus) {
        self.method = method; self.options = options; posterior = c.posterior
        label = c.label.map { options[$0] }
        uncertainty = 1 - (c.posterior.max() ?? 0)
    }

    /// The uncertainty in steps of 1e-9: posteriors equal but for floating-point rounding
    /// are a tie, broken by the magnitude order.
    var orderKey: Double { (uncertainty * 1e9).rounded() }

    /// The method as the command line names it ("ds").
    public var methodName: String { method.rawValue }

    /// The top option and its posterior, as the queue shows it: "car 0.912" ("tie 0.500").
    public var shown: String {
        "\(label ?? "tie") \(fixed(posterior.max() ?? 0, 3))"
    }
}
