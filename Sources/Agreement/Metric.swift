/// Every agreement statistic concord reports, under the names of docs/statistics.md's
/// table "Statistics" (the JSON keys, `--metric` values and report columns).
public enum Metric: String, CaseIterable, Sendable, Codable, Comparable {
    case krippendorffAlphaNominal = "krippendorff_alpha_nominal"
    case krippendorffAlphaOrdinal = "krippendorff_alpha_ordinal"
    case krippendorffAlphaInterval = "krippendorff_alpha_interval"
    case krippendorffAlphaRatio = "krippendorff_alpha_ratio"
    case fleissKappa = "fleiss_kappa"
    case cohenKappa = "cohen_kappa"
    case weightedKappaLinear = "weighted_kappa_linear"
    case weightedKappaQuadratic = "weighted_kappa_quadratic"
    case scottsPi = "scotts_pi"
    case percentAgreement = "percent_agreement"
    case gwetAC1 = "gwet_ac1"

    /// The name a person reads in a table.
    public var title: String {
        switch self {
        case .krippendorffAlphaNominal: return "Krippendorff's alpha (nominal)"
        case .krippendorffAlphaOrdinal: return "Krippendorff's alpha (ordinal)"
        case .krippendorffAlphaInterval: return "Krippendorff's alpha (interval)"
        case .krippendorffAlphaRatio: return "Krippendorff's alpha (ratio)"
        case .fleissKappa: return "Fleiss' kappa"
        case .cohenKappa: return "Cohen's kappa"
        case .weightedKappaLinear: return "Weighted kappa (linear)"
        case .weightedKappaQuadratic: return "Weighted kappa (quadratic)"
        case .scottsPi: return "Scott's pi"
        case .percentAgreement: return "Percent agreement"
        case .gwetAC1: return "Gwet's AC1"
        }
    }

    /// Statistics defined only for exactly two raters (listwise deletion of the other units).
    public var needsTwoRaters: Bool {
        switch self {
        case .cohenKappa, .weightedKappaLinear, .weightedKappaQuadratic, .scottsPi: return true
        default: return false
        }
    }

    /// The level of measurement of a Krippendorff's alpha metric.
    public var alphaLevel: AlphaLevel? {
        switch self {
        case .krippendorffAlphaNominal: return .nominal
        case .krippendorffAlphaOrdinal: return .ordinal
        case .krippendorffAlphaInterval: return .interval
        case .krippendorffAlphaRatio: return .ratio
        default: return nil
        }
    }

    public static func < (a: Metric, b: Metric) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Krippendorff's levels of measurement, each with its difference function δ².
public enum AlphaLevel: String, Sendable, CaseIterable {
    case nominal, ordinal, interval, ratio
}

/// Disagreement weights of Cohen's (1968) weighted kappa on category positions.
public enum KappaWeights: Sendable {
    /// |i − j|
    case linear
    /// (i − j)²
    case quadratic
}
