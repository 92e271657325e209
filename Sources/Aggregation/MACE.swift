import Foundation

/// MACE, Multi-Annotator Competence Estimation (Hovy, Berg-Kirkpatrick, Vaswani & Hovy,
/// "Learning Whom to Trust with MACE", NAACL-HLT 2013), as crowd-kit 1.4.2's `MACE()` does
/// it with its defaults: variational Bayes (`method="vb"`), 50 iterations per start, 10
/// starts, the start with the highest log marginal likelihood kept.
///
/// Goals, in order: crowd-kit's model, priors and updates; a start that is seeded and
/// reproducible; at least crowd-kit's accuracy against the truth; a million labels in
/// seconds. Where concord differs (real restarts, log-space E step, the seed) is written in
/// docs/aggregation.md, "MACE".
///
/// The model: the answer T_i is uniform over the K options; rater j knows it with
/// probability θ_j and then gives it, otherwise spams an option drawn from ξ_j. Priors:
/// θ_j ~ Beta(0.5, 0.5), ξ_j ~ Dirichlet(10, …, 10). Per item
///   P(T_i = t, labels) = (1/K) Π_labels (s_j · ξ_j[a] + k_j · [a = t])
/// with (s_j, k_j) the spam and know weights and ξ_j the strategy of the last M step.
enum MACE {
    /// crowd-kit's `n_restarts`, `n_iter`, `alpha`, `beta`, the strategy prior and
    /// `default_noise` (its starts are uniform on [1, 1 + 1 + noise] before normalising).
    static let restarts = 10
    static let iterations = 50
    static let spamPrior = 0.5
    static let knowPrior = 0.5
    static let strategyPrior = 10.0
    static let startNoise = 0.5

    static func aggregate(_ data: LabelData, options: AggregationOptions) -> AggregationOutcome {
        guard data.classCount >= 2 else { return onlyOneOption(data, "mace") }
        let layout = LabelsByItem(data)
        var rng = Xoshiro256StarStar(seed: options.seed)
        var best: (parameters: Parameters, expectation: Expectation)?
        for _ in 0..<restarts {
            let fitted = fit(layout, from: Parameters.random(raters: layout.raters, k: layout.k, using: &rng))
            // Strictly greater, as crowd-kit: on equal likelihoods the earlier start stays.
            if best == nil || fitted.expectation.logLikelihood > best!.expectation.logLikelihood { best = fitted }
        }
        let fit = best!.expectation
        return .aggregated(AggregationResult(
            method: .mace, items: layout.consensus(fit.posterior, classCount: data.classCount),
            raters: skills(layout, fit, classCount: data.classCount),
            iterations: iterations, converged: nil, seed: options.seed))
    }

    /// One run of crowd-kit's loop: E step, then `iterations` × (variational M step, E step).
    static func fit(_ layout: LabelsByItem, from start: Parameters) -> (parameters: Parameters, expectation: Expectation) {
        var parameters = start
        var expectation = eStep(layout, parameters)
        for _ in 0..<iterations {
            parameters = mStep(layout, expectation)
            expectation = eStep(layout, parameters)
        }
        return (parameters, expectation)
    }

    /// The reason for data with a single option, worded as for `ds`.
    static func onlyOneOption(_ data: LabelData, _ name: String) -> AggregationOutcome {
        let only = data.classNames.first.map { " (\($0))" } ?? ""
        return .undefined(reason: "there is only one option\(only): \(name) weighs raters' disagreements between options, and with one option every item's consensus is that option; give the criterion's full option list")
    }

    /// Per rater: the spam and know weights and the strategy ξ (crowd-kit's `spamming_`
    /// columns 0 and 1 and `thetas_`). Variational weights do not sum to 1; the E step uses
    /// them as they are, as crowd-kit and Hovy's MACE do.
    struct Parameters {
        var spam: [Double]
        var know: [Double]
        /// `strategy[rater · K + option]`.
        var strategy: [Double]

        /// crowd-kit's start: every weight uniform on [1, 2.5], each rater's row normalised.
        /// crowd-kit seeds every restart with the same `random_state`, so its ten starts are
        /// one start ten times; concord's draw on from one seeded generator.
        static func random(raters: Int, k: Int, using rng: inout Xoshiro256StarStar) -> Parameters {
            func draw() -> Double { 1 + (1 + MACE.startNoise) * rng.unit() }
            var p = Parameters(spam: [], know: [], strategy: [Double](repeating: 0, count: raters * k))
            for _ in 0..<raters {
                let s = draw(), kn = draw()
                p.spam.append(s / (s + kn)); p.know.append(kn / (s + kn))
            }
            for r in 0..<raters {
                let row = (0..<k).map { _ in draw() }
                let total = row.reduce(0, +)
                for c in 0..<k { p.strategy[r * k + c] = row[c] / total }
            }
            return p
        }
    }

    /// What the E step gives: posteriors, each (rater, option)'s expected number of labels
    /// given knowingly (the rest of that cell's labels were spam), and the log marginal
    /// likelihood Σ_i ln P(labels of i).
    struct Expectation {
        var posterior: [Double]
        var knowByCode: [Double]
        var logLikelihood: Double
    }
}
