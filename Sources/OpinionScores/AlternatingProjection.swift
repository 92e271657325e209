// PLACEHOLDER (issue 18 in progress): replaced by the real method before the issue closes.
enum AlternatingProjection {
    static func score(_ data: OpinionData) -> OpinionOutcome {
        .undefined(reason: "not implemented yet")
    }
}
