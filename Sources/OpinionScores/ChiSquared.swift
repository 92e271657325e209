#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Quantiles of the χ² distribution, for the inconsistency intervals of `mle`, `mle_co` and
/// `p910`: sureal scales a rater's inconsistency v by √(n / χ²₀.₉₇₅(n)) and √(n / χ²₀.₀₂₅(n)),
/// n = the rater's ratings (docs/mos.md). scipy's `chi2.ppf` is sureal's; this matches it to
/// about 1e-12 relative. Only the C maths library (lgamma, exp, log) is used, which the
/// target links; goals in order: agree with scipy, then be cheap (one call per distinct n).
///
/// Source: Press et al., Numerical Recipes 3rd ed. §6.2 (gammp by series / continued
/// fraction) and §6.2.1 (invgammp, Halley's method from a Wilson–Hilferty start).
enum ChiSquared {
    /// The p-quantile of χ² with `df` degrees of freedom: x with P(χ² ≤ x) = p.
    static func quantile(_ p: Double, degreesOfFreedom df: Int) -> Double {
        precondition(df > 0 && p > 0 && p < 1, "χ² quantile needs df > 0 and 0 < p < 1")
        return 2 * inverseRegularizedGammaP(p, Double(df) / 2)
    }

    /// ln Γ(a) for a > 0 (C's lgamma; Swift also offers a tuple-returning overload).
    static func logGamma(_ a: Double) -> Double {
        let value: Double = lgamma(a)
        return value
    }

    /// P(a, x) = γ(a, x) / Γ(a), the regularized lower incomplete gamma function.
    static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        let front = exp(-x + a * log(x) - logGamma(a))
        if x < a + 1 {
            // Series: P = e^{-x} x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n)).
            var ap = a, term = 1 / a, sum = term
            for _ in 0..<100_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            return sum * front
        }
        // Continued fraction for Q = 1 − P (modified Lentz).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-17 { break }
        }
        return 1 - front * h
    }

    /// x with P(a, x) = p (Numerical Recipes' invgammp, iterated to 1e-14 relative).
    static func inverseRegularizedGammaP(_ p: Double, _ a: Double) -> Double {
        let a1 = a - 1, gln = logGamma(a)
        var x: Double
        var lna1 = 0.0, afac = 0.0
        if a > 1 {
            lna1 = log(a1)
            afac = exp(a1 * (lna1 - 1) - gln)
            let pp = p < 0.5 ? p : 1 - p
            let t = (-2 * log(pp)).squareRoot()
            var z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if p < 0.5 { z = -z }
            let base = 1 - 1 / (9 * a) - z / (3 * a.squareRoot())
            x = Swift.max(1e-3, a * base * base * base)
        } else {
            let t = 1 - a * (0.253 + a * 0.12)
            x = p < t ? pow(p / t, 1 / a) : 1 - log(1 - (p - t) / (1 - t))
        }
        for _ in 0..<100 {
            if x <= 0 { return 0 }
            let err = regularizedGammaP(a, x) - p
            let density = a > 1 ? afac * exp(-(x - a1) + a1 * (log(x) - lna1)) : exp(-x + a1 * log(x) - gln)
            let u = err / density
            let step = u / (1 - 0.5 * Swift.min(1, u * ((a - 1) / x - 1)))
            x -= step
            if x <= 0 { x = 0.5 * (x + step) }
            if abs(step) < 1e-14 * x { break }
        }
        return x
    }
}
