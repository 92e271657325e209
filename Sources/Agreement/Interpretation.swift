/// Conventional verbal readings of agreement values, so a table tells a reader what a
/// number means for their data.
///
/// Krippendorff (2004, Content Analysis, §11.4.4): rely on data with α ≥ .800, draw only
/// tentative conclusions for .667 ≤ α < .800, discard below. Landis & Koch (1977,
/// Biometrics 33:159–174) bands for kappa-type coefficients: < 0 poor, 0–.20 slight,
/// .21–.40 fair, .41–.60 moderate, .61–.80 substantial, .81–1 almost perfect.
public enum Interpretation {
    public static func of(_ metric: Metric, _ value: Double) -> String? {
        switch metric {
        case .krippendorffAlphaNominal, .krippendorffAlphaOrdinal,
             .krippendorffAlphaInterval, .krippendorffAlphaRatio:
            if value >= 0.800 { return "reliable (α ≥ 0.800)" }
            if value >= 0.667 { return "tentative (0.667 ≤ α < 0.800)" }
            return "unreliable (α < 0.667)"
        case .fleissKappa, .cohenKappa, .weightedKappaLinear, .weightedKappaQuadratic, .scottsPi, .gwetAC1:
            return landisKoch(value)
        case .percentAgreement:
            return nil
        }
    }

    /// Landis & Koch (1977); band edges belong to the lower band (0.20 is "slight").
    public static func landisKoch(_ value: Double) -> String {
        switch value {
        case ..<0: return "poor"
        case ...0.20: return "slight"
        case ...0.40: return "fair"
        case ...0.60: return "moderate"
        case ...0.80: return "substantial"
        default: return "almost perfect"
        }
    }
}
