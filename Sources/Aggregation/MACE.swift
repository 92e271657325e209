/// MACE (Hovy et al. 2013), seeded. PLACEHOLDER until its owner replaces it (issue 19).
enum MACE {
    static func aggregate(_ data: LabelData, options: AggregationOptions) -> AggregationOutcome {
        .undefined(reason: "mace is not built yet")
    }
}
