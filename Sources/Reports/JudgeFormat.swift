import JSONWriter

/// A judge score's cells and JSON, one way for `concord judge` and the report's judge
/// section, so the report's numbers are the command's by construction.
public enum JudgeFormat {
    /// "0.812 [0.701, 0.903]", or "—" when undefined.
    public static func cell(_ e: JudgeScore.Estimate) -> String {
        guard let v = e.value else { return "—" }
        return fixed(v, 3) + (e.lower.map { l in e.upper.map { " [\(fixed(l, 3)), \(fixed($0, 3))]" } ?? "" } ?? "")
    }

    public static func estimate(_ e: JudgeScore.Estimate) -> String {
        JSON.object([("value", e.value.map(JSON.number) ?? JSON.null), ("ci95_lower", e.lower.map(JSON.number) ?? JSON.null),
                     ("ci95_upper", e.upper.map(JSON.number) ?? JSON.null)] + (e.reason.map { [("undefined", JSON.string($0))] } ?? []))
    }

    public static func rater(_ r: JudgeScore.RaterScore) -> String {
        JSON.object([("rater", JSON.string(r.rater)), ("role", JSON.string(r.role.rawValue)), ("n", String(r.pairs)),
                     ("statistics", JSON.object(r.statistics.map { ($0.name, estimate($0.estimate)) })),
                     ("confusion", r.confusion.map { JSON.array($0.map { JSON.array($0.map(String.init)) }) } ?? JSON.null)])
    }
}
