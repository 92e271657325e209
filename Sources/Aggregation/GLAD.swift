/// GLAD (Whitehill et al. 2009), seeded. PLACEHOLDER until its owner replaces it (issue 19).
enum GLAD {
    static func aggregate(_ data: LabelData, options: AggregationOptions) -> AggregationOutcome {
        .undefined(reason: "glad is not built yet")
    }
}
