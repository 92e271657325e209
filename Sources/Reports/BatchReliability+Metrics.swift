import Agreement
import Rubric

/// Which statistics each place shows for a criterion — `concord agreement --batch` and the
/// report (the headline), the gate (the alpha), the adjudication queue (the alpha level),
/// the lead's live dashboard (its line, pair and leave-one-out tables) — as one rule, built
/// from two choices a scale makes: its alpha (Krippendorff's, at the scale's level of
/// measurement) and, when exactly two raters rated, its kappa (Cohen's for nominal;
/// quadratic-weighted for ordinal, where distance matters as it does in alpha).
/// docs/statistics.md defines each statistic.
extension BatchReliability {
    /// The alpha level a scale's data is measured at.
    public static func level(for scale: Scale) -> AlphaLevel? {
        switch scale {
        case .nominal: return .nominal
        case .ordinal: return .ordinal
        case .interval: return .interval
        case .ratio: return .ratio
        case .text: return nil
        }
    }

    /// The headline alpha of a scale.
    public static func alpha(for scale: Scale) -> Metric? {
        switch level(for: scale) {
        case .nominal: return .krippendorffAlphaNominal
        case .ordinal: return .krippendorffAlphaOrdinal
        case .interval: return .krippendorffAlphaInterval
        case .ratio: return .krippendorffAlphaRatio
        case nil: return nil
        }
    }

    /// The kappa of two raters on a scale: nil for numeric and text scales.
    public static func twoRaterKappa(for scale: Scale) -> Metric? {
        switch scale {
        case .nominal: return .cohenKappa
        case .ordinal: return .weightedKappaQuadratic
        case .interval, .ratio, .text: return nil
        }
    }

    /// The headline metrics of `concord agreement --batch` and the report (every metric is
    /// still in the JSON): beside alpha, the scale's other standard statistics.
    public static func metrics(for scale: Scale, raters: Int) -> [Metric] {
        guard let alpha = alpha(for: scale) else { return [] }
        let two = raters == 2
        let kappa = two ? twoRaterKappa(for: scale).map { [$0] } ?? [] : []
        switch scale {
        case .nominal: return [alpha, .fleissKappa, .gwetAC1, .percentAgreement] + kappa + (two ? [.scottsPi] : [])
        case .ordinal: return [alpha, .krippendorffAlphaNominal] + kappa + (two ? [.weightedKappaLinear] : []) + [.percentAgreement]
        case .interval: return [alpha, .percentAgreement]
        case .ratio: return [alpha, .krippendorffAlphaInterval, .percentAgreement]
        case .text: return []
        }
    }

    /// The statistics a criterion's line on the lead's live dashboard shows:
    /// - the scale's alpha, always (any number of raters, missing data);
    /// - with exactly two raters, the scale's kappa;
    /// - for nominal and ordinal criteria whose most common category holds more than
    ///   `skewThreshold` of the ratings, Gwet's AC1 beside them: with skewed prevalence,
    ///   kappa and alpha drop towards 0 although raters almost always agree (the "kappa
    ///   paradox", Feinstein & Cicchetti 1990), and AC1's chance term does not collapse
    ///   that way.
    public static func dashboardMetrics(scale: Scale, raters: Int, topCategoryShare: Double?) -> [Metric] {
        guard let alpha = alpha(for: scale) else { return [] }
        var metrics = [alpha]
        if raters == 2, let kappa = twoRaterKappa(for: scale) { metrics.append(kappa) }
        if scale.hasOptions, let share = topCategoryShare, share > skewThreshold { metrics.append(.gwetAC1) }
        return metrics
    }

    /// Above this share of ratings in one category, the dashboard shows AC1 beside alpha
    /// and kappa.
    public static let skewThreshold = 0.8

    /// A rater pair's row (the dashboard's): percent agreement, the scale's alpha and its
    /// two-rater kappa.
    public static func pairMetrics(for scale: Scale) -> [Metric] {
        [.percentAgreement] + [alpha(for: scale), twoRaterKappa(for: scale)].compactMap { $0 }
    }

    /// A leave-one-rater-out row (the dashboard's): the scale's alpha.
    public static func leaveOneOutMetrics(for scale: Scale) -> [Metric] {
        alpha(for: scale).map { [$0] } ?? []
    }
}
