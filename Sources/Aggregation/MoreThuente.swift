import Foundation

/// MINPACK-2's `dcsrch` line search (Moré & Thuente, "Line search algorithms with guaranteed
/// sufficient decrease", ACM TOMS 20, 1994) as scipy ports it (`scipy/optimize/_dcsrch.py`,
/// called by `line_search_wolfe1`): the first line search scipy's CG tries, so concord's GLAD
/// M step takes the steps crowd-kit's takes. Names are MINPACK's.
enum MoreThuente {
    /// A step meeting the strong Wolfe conditions (ftol = c1, gtol = c2) from `alpha1`, or
    /// nil where scipy's `scalar_search_wolfe1` returns None (an error, a warning, 100 calls).
    static func search(from alpha1: Double, phi0: Double, derphi0: Double, c1: Double, c2: Double,
                       at: (Double) -> ConjugateGradient.Trial) -> ConjugateGradient.Trial? {
        let xtol = 1e-14, stpmin = 1e-100, stpmax = 1e100
        var stp = alpha1
        guard stp >= stpmin, stp <= stpmax, derphi0 < 0 else { return nil }
        var brackt = false, stage = 1
        let finit = phi0, ginit = derphi0, gtest = c1 * ginit
        var width = stpmax - stpmin, width1 = width / 0.5
        var stx = 0.0, fx = finit, gx = ginit, sty = 0.0, fy = finit, gy = ginit
        var stmin = 0.0, stmax = stp + 4 * stp
        for _ in 1..<100 {  // scipy's 100 calls of _iterate, the first of which is START
            guard stp.isFinite else { return nil }
            let trial = at(stp)
            let f = trial.value, g = trial.slope
            let ftest = finit + stp * gtest
            if stage == 1 && f <= ftest && g >= 0 { stage = 2 }
            if f <= ftest && abs(g) <= c2 * -ginit { return trial }
            if (brackt && (stp <= stmin || stp >= stmax)) || (brackt && stmax - stmin <= xtol * stmax)
                || (stp == stpmax && f <= ftest && g <= gtest) || (stp == stpmin && (f > ftest || g >= gtest)) {
                return nil
            }
            if stage == 1 && f <= fx && f > ftest {
                // The modified function ψ(α) = φ(α) − φ(0) − c1 α φ'(0) until it is negative.
                var s = Step(stx: stx, fx: fx - stx * gtest, dx: gx - gtest, sty: sty, fy: fy - sty * gtest, dy: gy - gtest,
                             stp: stp, brackt: brackt)
                s.dcstep(fp: f - stp * gtest, dp: g - gtest, stpmin: stmin, stpmax: stmax)
                stx = s.stx; sty = s.sty; stp = s.stp; brackt = s.brackt
                fx = s.fx + stx * gtest; fy = s.fy + sty * gtest
                gx = s.dx + gtest; gy = s.dy + gtest
            } else {
                var s = Step(stx: stx, fx: fx, dx: gx, sty: sty, fy: fy, dy: gy, stp: stp, brackt: brackt)
                s.dcstep(fp: f, dp: g, stpmin: stmin, stpmax: stmax)
                (stx, fx, gx, sty, fy, gy, stp, brackt) = (s.stx, s.fx, s.dx, s.sty, s.fy, s.dy, s.stp, s.brackt)
            }
            if brackt {
                if abs(sty - stx) >= 0.66 * width1 { stp = stx + 0.5 * (sty - stx) }
                width1 = width
                width = abs(sty - stx)
                stmin = min(stx, sty); stmax = max(stx, sty)
            } else {
                stmin = stp + 1.1 * (stp - stx)
                stmax = stp + 4 * (stp - stx)
            }
            stp = min(max(stp, stpmin), stpmax)
            if brackt && (stp <= stmin || stp >= stmax || stmax - stmin <= xtol * stmax) { stp = stx }
        }
        return nil
    }

    /// MINPACK's `dcstep`: the safeguarded cubic/quadratic step and the update of the interval
    /// of uncertainty [stx, sty] (f, derivative at each end).
    struct Step {
        var stx, fx, dx, sty, fy, dy, stp: Double
        var brackt: Bool

        mutating func dcstep(fp: Double, dp: Double, stpmin: Double, stpmax: Double) {
            let sgnd = sign(dp) * sign(dx)
            var stpf: Double
            if fp > fx {
                let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
                let s = max(abs(theta), abs(dx), abs(dp))
                var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
                if stp < stx { gamma = -gamma }
                let p = (gamma - dx) + theta, q = ((gamma - dx) + gamma) + dp
                let stpc = stx + p / q * (stp - stx)
                let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2) * (stp - stx)
                stpf = abs(stpc - stx) <= abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2
                brackt = true
            } else if sgnd < 0 {
                let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
                let s = max(abs(theta), abs(dx), abs(dp))
                var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
                if stp > stx { gamma = -gamma }
                let p = (gamma - dp) + theta, q = ((gamma - dp) + gamma) + dx
                let stpc = stp + p / q * (stx - stp)
                let stpq = stp + (dp / (dp - dx)) * (stx - stp)
                stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
                brackt = true
            } else if abs(dp) < abs(dx) {
                let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
                let s = max(abs(theta), abs(dx), abs(dp))
                var gamma = s * max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
                if stp > stx { gamma = -gamma }
                let p = (gamma - dp) + theta, q = (gamma + (dx - dp)) + gamma
                let r = p / q
                let stpc = r < 0 && gamma != 0 ? stp + r * (stx - stp) : (stp > stx ? stpmax : stpmin)
                let stpq = stp + (dp / (dp - dx)) * (stx - stp)
                if brackt {
                    stpf = abs(stpc - stp) < abs(stpq - stp) ? stpc : stpq
                    stpf = stp > stx ? min(stp + 0.66 * (sty - stp), stpf) : max(stp + 0.66 * (sty - stp), stpf)
                } else {
                    stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
                    stpf = min(max(stpf, stpmin), stpmax)
                }
            } else if brackt {
                let theta = 3 * (fp - fy) / (sty - stp) + dy + dp
                let s = max(abs(theta), abs(dy), abs(dp))
                var gamma = s * ((theta / s) * (theta / s) - (dy / s) * (dp / s)).squareRoot()
                if stp > sty { gamma = -gamma }
                let p = (gamma - dp) + theta, q = ((gamma - dp) + gamma) + dy
                stpf = stp + p / q * (sty - stp)
            } else {
                stpf = stp > stx ? stpmax : stpmin
            }
            if fp > fx {
                sty = stp; fy = fp; dy = dp
            } else {
                if sgnd < 0 { sty = stx; fy = fx; dy = dx }
                stx = stp; fx = fp; dx = dp
            }
            stp = stpf
        }

        /// numpy's sign: −1, 0 or 1.
        private func sign(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : 0) }
    }
}
