import Aggregation
import Store

extension GoldenSet {
    /// The consensus `golden export --consensus M` fills the golden set with: per nominal and
    /// ordinal criterion, the method's label and posterior of every item, from people's
    /// current labels (models never vote in the golden set). Computed before the set so that
    /// building the set cannot fail; a criterion the method is undefined on is listed with
    /// the reason, and its units get no consensus entry.
    public struct Consensus: Sendable {
        public let method: AggregationMethod
        /// Criterion id → its options (posterior order) and each item's consensus.
        let criteria: [String: (options: [String], items: [Int64: ItemConsensus])]
        /// Criteria the method is undefined on, in the rubric's order, with the reason.
        public let undefined: [(criterion: String, reason: String)]

        public init(_ context: AdjudicationContext, method: AggregationMethod, options: AggregationOptions = AggregationOptions()) throws {
            self.method = method
            var criteria: [String: (options: [String], items: [Int64: ItemConsensus])] = [:], undefined: [(String, String)] = []
            for criterion in BatchConsensus.criteria(context.labels.rubric) {
                let consensus = try BatchConsensus(context.labels, criterion: criterion)
                guard consensus.data.labelCount > 0 else { continue }   // no units: nothing to fill, nothing to say
                switch consensus.aggregate(method: method, options: options) {
                case .aggregated(let result): criteria[criterion.id] = (consensus.data.classNames, consensus.byItem(result))
                case .undefined(let reason): undefined.append((criterion.id, reason))
                }
            }
            self.criteria = criteria
            self.undefined = undefined
        }

        /// The entry's source: "consensus:ds".
        public var source: String { "consensus:" + method.rawValue }
    }

    /// A unit the consensus left tied: not exported (a tie is never broken silently).
    public struct Tie: Sendable, Equatable {
        public let item: Int64
        public let criterion: String
        /// The options sharing the top posterior, in the rubric's order.
        public let options: [String]
    }

    /// A posterior as the golden set writes it: every option with its probability rounded to
    /// six decimals, so the version (a hash of the text) does not turn on the last bits of
    /// floating-point arithmetic, which may differ between machines.
    static func rounded(_ posterior: [Double], options: [String]) -> [(value: String, p: Double)] {
        zip(options, posterior).map { ($0, ($1 * 1e6).rounded() / 1e6) }
    }
}
