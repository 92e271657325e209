import Foundation

/// Adaptive choice of the next pairs (docs/pairwise.md "Choosing pairs"): the pairs whose
/// answer is expected to teach most about the scores, given the answers so far.
///
/// The method is ASAP's (Mikhailiuk, Wilmot, Perez-Ortiz, Yue & Mantiuk 2020, "Active
/// sampling for pairwise comparisons via approximate message passing and information gain
/// maximization"; the VQEG pwcmp toolbox's sampler works the same way): each item's score
/// is a Gaussian belief N(μ, σ²) on the Thurstone Case V scale (P(i beats j) = Φ(si − sj)),
/// and a candidate pair is worth the expected Kullback–Leibler divergence between the
/// beliefs after its answer and before, with the TrueSkill (moment-matching) update:
///
///     c² = 1 + σi² + σj²,  t = (μi − μj) / c,  P(i wins) = Φ(t)
///     i wins: v = φ(t)/Φ(t),  w = v(v + t)
///             μi' = μi + v σi²/c,  σi'² = σi² (1 − w σi²/c²)   (j alike, with −v)
///     EIG = Φ(t) [KL(i') + KL(j')]  +  Φ(−t) [the same for j winning]
///     KL(N(μ', σ'²) ‖ N(μ, σ²)) = ½ (σ'²/σ² + (μ' − μ)²/σ² − 1 − ln(σ'²/σ²))
///
/// It is largest for pairs whose scores are close (t near 0: the answer is a coin flip) and
/// uncertain (few comparisons: σ large), which is what "closest scores, fewest comparisons"
/// means made exact. Unlike ASAP, the beliefs come from the same maximum-likelihood fit
/// `concord pairwise` reports (`beliefs`), not from message passing, and ties count as half
/// a win each way (the Thurstone fit's tie handling).
public enum Adaptive {
    /// The prior variance of a score, in Thurstone units: a difference of 1 is a 84% win
    /// rate, and model or clip differences beyond ±2 (98%) are rare. It is the belief about
    /// an item never compared, and the extra uncertainty of comparing across two groups of
    /// items the answers do not yet connect.
    public static let priorVariance = 1.0

    /// What the planner believes about one item's score.
    public struct Belief: Sendable, Equatable {
        public var mean: Double
        public var variance: Double
        /// The connected group of the comparison graph it is in (scores of two groups are
        /// centred separately, so their difference is not known); unique per item never
        /// compared.
        public var component: Int
        public init(mean: Double, variance: Double, component: Int) {
            self.mean = mean; self.variance = variance; self.component = component
        }
    }

    /// One pair for one rater: indices into the raters and items the caller passed.
    public struct Pick: Sendable, Equatable {
        public let rater: Int
        public let a: Int
        public let b: Int
        public init(rater: Int, a: Int, b: Int) { self.rater = rater; self.a = a; self.b = b }
    }

    /// The beliefs after the answers in `data`, from a Thurstone Case V fit with half-win
    /// ties: an item with a maximum-likelihood score and standard error has the Gaussian
    /// posterior of that likelihood under the prior N(0, `priorVariance`) (precisions add,
    /// the mean shrinks towards 0); an item without one (never loses, never wins, a group
    /// not strongly connected) has its regularised score and the prior variance, so it stays
    /// attractive until it is placed; an item never compared has mean 0 and the prior variance.
    public static func beliefs(_ data: Comparisons) -> [Belief] {
        let result = Pairwise.fit(data, options: PairwiseOptions(model: .thurstone, ties: .halfWin, regularise: true))
        let m = data.items.count
        return result.items.map { item in
            let component = item.group >= 0 ? item.group : m + item.item
            switch item.fit {
            case .scored(let score, let se?) where se > 0:
                let precision = 1 / (se * se) + 1 / priorVariance
                return Belief(mean: score / (se * se) / precision, variance: 1 / precision, component: component)
            case .scored(let score, _):
                return Belief(mean: score, variance: priorVariance, component: component)
            case .undefined(_, let regularised):
                return Belief(mean: regularised ?? 0, variance: priorVariance, component: component)
            }
        }
    }

    /// The expected information gain of comparing items with beliefs `i` and `j` (the
    /// formula above), in nats. Across two components each side carries half the prior
    /// variance more: the unknown offset between the two groups' centres.
    public static func expectedInformationGain(_ i: Belief, _ j: Belief) -> Double {
        gain(i, j).eig
    }

    /// EIG and each side's expected variance after the answer (what `choose` assumes once it
    /// has planned the pair, before anyone answers).
    static func gain(_ i: Belief, _ j: Belief) -> (eig: Double, varianceI: Double, varianceJ: Double) {
        let extra = i.component == j.component ? 0 : priorVariance / 2
        let vi = i.variance + extra, vj = j.variance + extra
        let c2 = 1 + vi + vj, c = c2.squareRoot()
        let t = (i.mean - j.mean) / c
        let pI = StandardNormal.cdf(t)
        var eig = 0.0, afterI = 0.0, afterJ = 0.0
        // s = +1: i wins; s = −1: j wins (the update of the loser mirrors the winner's).
        for (s, p) in [(1.0, pI), (-1.0, 1 - pI)] where p > 1e-300 {
            let x = s * t
            let v = exp(-x * x / 2) / (2 * Double.pi).squareRoot() / p
            let w = v * (v + x)
            let newI = vi * (1 - w * vi / c2), newJ = vj * (1 - w * vj / c2)
            eig += p * (kl(shift: v * vi / c, after: newI, before: vi) + kl(shift: v * vj / c, after: newJ, before: vj))
            afterI += p * newI
            afterJ += p * newJ
        }
        // Back to the item's own variance (without the cross-component part).
        return (eig, i.variance * afterI / vi, j.variance * afterJ / vj)
    }

    /// KL(N(μ + shift, after) ‖ N(μ, before)).
    static func kl(shift: Double, after: Double, before: Double) -> Double {
        let r = max(after, 1e-300) / before
        return 0.5 * (r + shift * shift / before - 1 - log(r))
    }
}
