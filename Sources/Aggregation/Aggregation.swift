/// The one entry point: labels + method → consensus or the reason there is none. Commands,
/// reports, the golden set and the queue all call this, so a method means the same everywhere.
public enum Aggregation {
    public static func aggregate(_ data: LabelData, method: AggregationMethod,
                                 options: AggregationOptions = AggregationOptions()) -> AggregationOutcome {
        if data.labelCount == 0 { return .undefined(reason: "there are no labels to aggregate") }
        switch method {
        case .mv: return MajorityVote.aggregate(data)
        case .ds: return DawidSkene.aggregate(data, options: options, oneCoin: false)
        case .oneCoin: return DawidSkene.aggregate(data, options: options, oneCoin: true)
        case .mace: return MACE.aggregate(data, options: options)
        case .glad: return GLAD.aggregate(data, options: options)
        }
    }
}
