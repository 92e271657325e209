/// The result of an agreement statistic: a number, or the reason there is none.
///
/// Statistics are undefined in ordinary situations (one rater, one category, no unit rated
/// twice). concord reports those as undefined with a reason a person can act on, never as
/// NaN and never as 0 or 1 by accident, so every statistic returns an `Outcome`.
public enum Outcome: Equatable, Sendable, CustomStringConvertible {
    case value(Double)
    case undefined(reason: String)

    /// The number, or nil when undefined.
    public var value: Double? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// The reason, or nil when defined.
    public var undefinedReason: String? {
        if case .undefined(let reason) = self { return reason }
        return nil
    }

    public var description: String {
        switch self {
        case .value(let v): return "\(v)"
        case .undefined(let reason): return "undefined: \(reason)"
        }
    }

    /// `numerator / denominator`, undefined with `reason` when the denominator is 0 or the
    /// quotient is not finite. The one place a division can turn into an `Outcome`.
    static func ratio(_ numerator: Double, _ denominator: Double, undefinedBecause reason: String) -> Outcome {
        guard denominator != 0 else { return .undefined(reason: reason) }
        let q = numerator / denominator
        return q.isFinite ? .value(q) : .undefined(reason: reason)
    }
}

/// Undefined-case reasons shared by several statistics, worded once.
enum Reason {
    static let noPairableUnit = "no unit has two or more ratings"
    static let oneCategory = "every rating is in the same category, so chance agreement is 1"
    static func twoRatersNeeded(_ count: Int) -> String {
        "needs exactly 2 raters; the data has \(count)"
    }
    static let noJointUnit = "the two raters rated no unit in common"
    static let noOrder = "the categories have no order (values are not all numbers and no order was given)"
}
