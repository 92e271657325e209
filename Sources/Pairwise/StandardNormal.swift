import Foundation

/// The standard normal distribution, for the leaderboard's "probability that a system is above
/// the next" and the release gate's one-sided bound (docs/pairwise.md "Leaderboard").
/// Φ from erfc (full double precision); Φ⁻¹ by Acklam's rational approximation (relative
/// error 1.15e-9) refined by one Halley step on Φ, which brings it to double precision.
public enum StandardNormal {
    /// Φ(x) = P(Z ≤ x) = erfc(−x/√2)/2.
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }

    /// φ(x), the density.
    public static func density(_ x: Double) -> Double { exp(-x * x / 2) / (2 * Double.pi).squareRoot() }

    /// log Φ(x), accurate far in the lower tail (erfc underflows below about −38): Thurstone's
    /// likelihood.
    static func logCDF(_ x: Double) -> Double {
        if x > -30 { return log(cdf(x)) }
        return -x * x / 2 - log(-x) - 0.5 * log(2 * Double.pi) + log1p(-1 / (x * x) + 3 / (x * x * x * x))
    }

    /// φ(x)/Φ(x) (the inverse Mills ratio of −x), stable far in the lower tail: Thurstone's
    /// gradient and information, for the fit and the leaderboard's covariance alike.
    static func mills(_ x: Double) -> Double {
        if x > -30 { return density(x) / cdf(x) }
        return -x / (1 - 1 / (x * x) + 3 / (x * x * x * x))
    }

    /// Φ⁻¹(p) for 0 < p < 1 (the z with Φ(z) = p); −∞ / +∞ at 0 / 1.
    public static func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "a probability is between 0 and 1; got \(p)")
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // Halley's step on Φ(x) − p (Acklam's refinement).
        let e = cdf(x) - p, u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
