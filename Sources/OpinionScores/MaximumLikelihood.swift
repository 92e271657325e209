// PLACEHOLDER (issue 18 in progress): replaced by the real method before the issue closes.
enum MaximumLikelihood {
    static func score(_ data: OpinionData, modelsContent: Bool) -> OpinionOutcome {
        .undefined(reason: "not implemented yet")
    }
}
