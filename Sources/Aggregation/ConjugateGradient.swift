import Foundation

/// Nonlinear conjugate gradients as scipy's `minimize(method="CG")` runs them, the M step of
/// crowd-kit's GLAD: Polak–Ribière+ directions (Gilbert & Nocedal 1992) with a line search
/// for the strong Wolfe conditions (c1 = 1e-4, c2 = 0.4), stopping when the largest gradient
/// entry is at most `gradientTolerance` or after `maxIterations` steps.
///
/// The line searches are scipy's: MINPACK's `dcsrch` (MoreThuente.swift), and when it fails
/// `scalar_search_wolfe2` (Nocedal & Wright, Algorithms 3.5 and 3.6), so the steps are the
/// ones crowd-kit's GLAD takes up to rounding (docs/aggregation.md, "GLAD").
enum ConjugateGradient {
    /// The value and gradient at a point, computed together (they share every exponential).
    typealias Objective = ([Double]) -> (value: Double, gradient: [Double])

    /// Minimises `f` from `x0`; returns the last point and its value.
    static func minimize(from x0: [Double], gradientTolerance: Double, maxIterations: Int,
                         _ f: @escaping Objective) -> (x: [Double], value: Double) {
        var x = x0
        var (value, gradient) = f(x)
        // scipy: "sets the initial step guess to dx ~ 1".
        var previousValue = value + sqrt(dot(gradient, gradient)) / 2
        var direction = gradient.map { -$0 }
        var norm = maxNorm(gradient)
        var k = 0
        while norm > gradientTolerance && k < maxIterations {
            let delta = dot(gradient, gradient)
            let g0 = gradient, p0 = direction
            /// The Polak–Ribière+ direction after a step ending with gradient `g1`.
            func nextDirection(_ g1: [Double]) -> [Double] {
                var num = 0.0
                for j in g1.indices { num += (g1[j] - g0[j]) * g1[j] }
                let beta = max(0, num / delta)
                return g1.indices.map { -g1[$0] + beta * p0[$0] }
            }
            // Strong Wolfe does not guarantee descent for PR+: scipy also asks for it.
            func sufficientDescent(_ trial: Trial) -> Bool {
                if maxNorm(trial.gradient) <= gradientTolerance { return true }
                let p1 = nextDirection(trial.gradient)
                return dot(p1, trial.gradient) <= -0.01 * dot(trial.gradient, trial.gradient)
            }
            // scipy's `_line_search_wolfe12`: MINPACK's search first; if it fails or its step
            // lacks sufficient descent, `scalar_search_wolfe2`; if that fails too, CG stops.
            let line = Line(x: x, direction: direction, f: f)
            let slope = dot(gradient, direction)
            let first = MoreThuente.search(from: Line.firstStep(value, previousValue, slope), phi0: value, derphi0: slope,
                                           c1: 1e-4, c2: 0.4, at: line.at)
            guard let step = first.flatMap({ sufficientDescent($0) ? $0 : nil })
                    ?? line.search(value: value, previousValue: previousValue, slope: slope, accept: sufficientDescent) else { break }
            previousValue = value
            value = step.value
            x = line.point(step.alpha)
            gradient = step.gradient
            direction = nextDirection(gradient)
            norm = maxNorm(gradient)
            k += 1
        }
        return (x, value)
    }

    struct Trial {
        let alpha: Double
        let value: Double
        let gradient: [Double]
        /// The directional derivative at alpha.
        let slope: Double
    }

    struct Line {
        let x: [Double]
        let direction: [Double]
        let f: Objective

        func point(_ alpha: Double) -> [Double] { x.indices.map { x[$0] + alpha * direction[$0] } }

        func at(_ alpha: Double) -> Trial {
            let (v, g) = f(point(alpha))
            return Trial(alpha: alpha, value: v, gradient: g, slope: dot(g, direction))
        }

        /// Both of scipy's searches start at min(1, 1.01 · 2 (φ(0) − previous φ) / φ'(0)), or 1
        /// when that is negative: the step the last decrease suggests.
        static func firstStep(_ phi0: Double, _ previousValue: Double, _ d0: Double) -> Double {
            let a = d0 != 0 ? min(1.0, 1.01 * 2 * (phi0 - previousValue) / d0) : 1.0
            return a < 0 ? 1.0 : a
        }

        /// scipy's `scalar_search_wolfe2` with c1 = 1e-4, c2 = 0.4, at most 10 doublings;
        /// nil when it fails (scipy's CG then stops with the point it has).
        func search(value phi0: Double, previousValue: Double, slope d0: Double,
                    accept: (Trial) -> Bool) -> Trial? {
            let c1 = 1e-4, c2 = 0.4
            var lo = Trial(alpha: 0, value: phi0, gradient: [], slope: d0)
            var t1 = at(Self.firstStep(phi0, previousValue, d0))
            for i in 0..<10 {
                if t1.alpha == 0 { return nil }
                if t1.value > phi0 + c1 * t1.alpha * d0 || (t1.value >= lo.value && i > 0) {
                    return zoom(lo, t1, phi0: phi0, d0: d0, c1: c1, c2: c2, accept: accept)
                }
                if abs(t1.slope) <= -c2 * d0 && accept(t1) { return t1 }
                if t1.slope >= 0 { return zoom(t1, lo, phi0: phi0, d0: d0, c1: c1, c2: c2, accept: accept) }
                lo = t1
                t1 = at(2 * t1.alpha)
            }
            return t1
        }

        /// scipy's `_zoom` (Nocedal & Wright, Algorithm 3.6), at most 11 trials.
        private func zoom(_ low: Trial, _ high: Trial, phi0: Double, d0: Double, c1: Double, c2: Double,
                          accept: (Trial) -> Bool) -> Trial? {
            var lo = low, hi = high
            var recAlpha = 0.0, recValue = phi0
            for i in 0...10 {
                let span = hi.alpha - lo.alpha
                let a = min(lo.alpha, hi.alpha), b = max(lo.alpha, hi.alpha)
                var aj: Double? = nil
                if i > 0 {
                    aj = cubicMin(lo.alpha, lo.value, lo.slope, hi.alpha, hi.value, recAlpha, recValue)
                    if let c = aj, c > b - 0.2 * span || c < a + 0.2 * span { aj = nil }
                }
                if aj == nil {
                    aj = quadMin(lo.alpha, lo.value, lo.slope, hi.alpha, hi.value)
                    if let q = aj, q > b - 0.1 * span || q < a + 0.1 * span { aj = nil }
                    if aj == nil { aj = lo.alpha + 0.5 * span }
                }
                let t = at(aj!)
                if t.value > phi0 + c1 * t.alpha * d0 || t.value >= lo.value {
                    recAlpha = hi.alpha; recValue = hi.value
                    hi = t
                } else {
                    if abs(t.slope) <= -c2 * d0 && accept(t) { return t }
                    if t.slope * (hi.alpha - lo.alpha) >= 0 {
                        recAlpha = hi.alpha; recValue = hi.value
                        hi = lo
                    } else {
                        recAlpha = lo.alpha; recValue = lo.value
                    }
                    lo = t
                }
            }
            return nil
        }
    }

    /// The minimiser of the cubic through (a, fa) with slope fpa there, (b, fb) and (c, fc).
    static func cubicMin(_ a: Double, _ fa: Double, _ fpa: Double, _ b: Double, _ fb: Double,
                         _ c: Double, _ fc: Double) -> Double? {
        let db = b - a, dc = c - a
        let denom = (db * dc) * (db * dc) * (db - dc)
        let u = fb - fa - fpa * db, v = fc - fa - fpa * dc
        let bigA = (dc * dc * u - db * db * v) / denom
        let bigB = (-dc * dc * dc * u + db * db * db * v) / denom
        let radical = bigB * bigB - 3 * bigA * fpa
        let x = a + (-bigB + radical.squareRoot()) / (3 * bigA)
        return x.isFinite && denom != 0 ? x : nil
    }

    /// The minimiser of the quadratic through (a, fa) with slope fpa there and (b, fb).
    static func quadMin(_ a: Double, _ fa: Double, _ fpa: Double, _ b: Double, _ fb: Double) -> Double? {
        let db = b - a
        let bigB = (fb - fa - fpa * db) / (db * db)
        let x = a - fpa / (2 * bigB)
        return x.isFinite ? x : nil
    }

    static func dot(_ u: [Double], _ v: [Double]) -> Double {
        var s = 0.0
        for j in u.indices { s += u[j] * v[j] }
        return s
    }

    static func maxNorm(_ u: [Double]) -> Double { u.reduce(0) { max($0, abs($1)) } }
}
