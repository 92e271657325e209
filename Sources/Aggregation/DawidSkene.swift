/// Dawid–Skene (full confusion matrices) and one-coin Dawid–Skene, as crowd-kit 1.4.2 does
/// them. PLACEHOLDER until its owner replaces it (issue 19).
enum DawidSkene {
    static func aggregate(_ data: LabelData, options: AggregationOptions, oneCoin: Bool) -> AggregationOutcome {
        .undefined(reason: "\(oneCoin ? "one-coin" : "ds") is not built yet")
    }
}
