/// The one entry point: data + method → result or the reason there is none. Commands,
/// reports and the dashboard all call this, so a method means the same everywhere.
public enum OpinionScores {
    public static func score(_ data: OpinionData, method: OpinionMethod) -> OpinionOutcome {
        switch method {
        case .mos: return MeanOpinionScore.score(data)
        case .bt500: return BT500Screening.score(data)
        case .p913: return P913BiasRemoval.score(data)
        case .mle: return MaximumLikelihood.score(data, modelsContent: true)
        case .mleCO: return MaximumLikelihood.score(data, modelsContent: false)
        case .p910: return AlternatingProjection.score(data)
        }
    }
}
