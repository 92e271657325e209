import Foundation

/// ψ(x) = d/dx ln Γ(x) for x > 0, which MACE's variational M step needs (crowd-kit calls
/// scipy's `digamma`). The recurrence ψ(x) = ψ(x + 1) − 1/x lifts x to at least 10, then the
/// asymptotic series (Abramowitz & Stegun 6.3.18) to x⁻¹²; the first omitted term is below
/// 1e-15 there.
func digamma(_ x: Double) -> Double {
    precondition(x > 0, "digamma is used on positive counts only")
    var x = x, shift = 0.0
    while x < 10 { shift -= 1 / x; x += 1 }
    let f = 1 / (x * x)
    let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760))))))
    return shift + log(x) - 0.5 / x - series
}
