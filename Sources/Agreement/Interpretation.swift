/// Conventional verbal readings of agreement values, so a table tells a reader what a
/// number means for their data.
///
/// Krippendorff (2004, Content Analysis, §11.4.4): rely on data with α ≥ .800, draw only
/// tentative conclusions for .667 ≤ α < .800, discard below. Landis & Koch (1977,
/// Biometrics 33:159–174) bands for kappa-type coefficients: < 0 poor, 0–.20 slight,
/// .21–.40 fair, .41–.60 moderate, .61–.80 substantial, .81–1 almost perfect.
///
/// A reading follows the interval when there is one, as Krippendorff advises: a point
/// estimate above .800 whose interval reaches below it is not "reliable" — the data have
/// not established it. Such a reading names the thresholds the interval straddles and q,
/// the share of bootstrap replicates below the minimum (.800 for alpha).
public enum Interpretation {
    /// Krippendorff's minimum for relying on data, and the one for tentative conclusions.
    public static let reliableAlpha = 0.800
    public static let tentativeAlpha = 0.667

    /// The reading of a point estimate alone (no interval was computed).
    public static func of(_ metric: Metric, _ value: Double) -> String? {
        switch metric {
        case .krippendorffAlphaNominal, .krippendorffAlphaOrdinal,
             .krippendorffAlphaInterval, .krippendorffAlphaRatio:
            if value >= reliableAlpha { return "reliable (α ≥ 0.800)" }
            if value >= tentativeAlpha { return "tentative (0.667 ≤ α < 0.800)" }
            return "unreliable (α < 0.667)"
        case .fleissKappa, .cohenKappa, .weightedKappaLinear, .weightedKappaQuadratic, .scottsPi, .gwetAC1:
            return landisKoch(value)
        case .percentAgreement:
            return nil
        }
    }

    /// The reading of an estimate with its bootstrap interval: a band only when the whole
    /// interval lies in it, else "not established" with the thresholds it straddles. For
    /// alpha, q (the share of replicates below 0.800) is given either way. Without an
    /// interval (none asked for, or undefined in too many replicates), `of`'s reading.
    /// `compact` drops the thresholds from the words ("not established, q 0.412": 24 columns)
    /// for a narrow column whose legend explains them (the live dashboard at 120 columns).
    public static func of(_ metric: Metric, _ value: Double, interval: BootstrapInterval?, compact: Bool = false) -> String? {
        guard let interval else { return of(metric, value) }
        let (lo, hi) = (interval.lower, interval.upper)
        switch metric {
        case .krippendorffAlphaNominal, .krippendorffAlphaOrdinal,
             .krippendorffAlphaInterval, .krippendorffAlphaRatio:
            let q = decimals3(interval.shareBelow(reliableAlpha))
            let straddled = [tentativeAlpha, reliableAlpha].filter { lo < $0 && $0 <= hi }.map(decimals3)
            let (word, bounds): (String, String)
            if lo >= reliableAlpha { (word, bounds) = ("reliable", "CI ≥ 0.800") }
            else if hi < tentativeAlpha { (word, bounds) = ("unreliable", "CI < 0.667") }
            else if straddled.isEmpty { (word, bounds) = ("tentative", "CI within 0.667–0.800") }
            else { (word, bounds) = ("not established", "CI straddles \(straddled.joined(separator: " and "))") }
            if compact { return "\(word), q \(q)" }
            return straddled.isEmpty ? "\(word) (\(bounds); q = \(q))" : "\(word): \(bounds) (q = \(q))"
        case .fleissKappa, .cohenKappa, .weightedKappaLinear, .weightedKappaQuadratic, .scottsPi, .gwetAC1:
            let (low, high) = (landisKoch(lo), landisKoch(hi))
            if low == high { return low }
            return compact ? "not established" : "not established: CI spans \(low) to \(high)"
        case .percentAgreement:
            return nil
        }
    }

    /// The reading of an estimate with the bootstrap's result for it: as `of(_:_:interval:)`
    /// when there is an interval; when the bootstrap could not give one (the statistic was
    /// undefined in most replicates), nothing is established — the point estimate's band
    /// would claim what the data cannot show. Nil `bootstrap`: none was computed.
    public static func of(_ metric: Metric, _ value: Double, bootstrap: Result<BootstrapInterval, UndefinedInterval>?,
                          compact: Bool = false) -> String? {
        switch bootstrap {
        case .success(let interval)?: return of(metric, value, interval: interval, compact: compact)
        case .failure(let why)?:
            guard of(metric, value) != nil else { return nil }
            return compact ? "not established" : "not established: no interval (\(why.reason))"
        case nil: return of(metric, value)
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

    /// `x` (0…1) with three decimals, rounded half up; Agreement imports nothing, so no
    /// Foundation formatting.
    static func decimals3(_ x: Double) -> String {
        let thousandths = Int((x * 1000).rounded())
        let whole = thousandths / 1000, rest = abs(thousandths % 1000)
        let digits = String(rest)
        return "\(x < 0 && whole == 0 && thousandths != 0 ? "-" : "")\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
    }
}
