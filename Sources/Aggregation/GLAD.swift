import Foundation

/// GLAD, Generative model of Labels, Abilities and Difficulties (Whitehill, Ruvolo, Wu,
/// Bergsma & Movellan, "Whose Vote Should Count More", NIPS 2009), as crowd-kit 1.4.2's
/// `GLAD()` does it with its defaults.
///
/// Goals, in order: crowd-kit's model, priors, EM and stopping rule; at least crowd-kit's
/// accuracy against the truth; a million labels in seconds. Where concord differs (the line
/// search, the per-rater accuracy) is written in docs/aggregation.md, "GLAD".
///
/// The model: rater j has ability α_j, item i inverse difficulty e^{β_i}; j gives the answer
/// with probability σ(α_j e^{β_i}) and each other option with (1 − σ)/(K − 1), K the options
/// that occur. Priors: answers uniform, α_j ~ N(1, 1), β_i ~ N(1, 1).
///
/// EM: start α = β = 1; repeat {E step (posteriors); M step = at most 25 conjugate-gradient
/// steps on Q, the expected complete log likelihood plus the log priors (gradient tolerance
/// 1e-2); Q ÷ (labels × K)} until Q changed by less than `tolerance` (at least two
/// iterations, as crowd-kit, whose first comparison is with an undivided Q) or
/// `maxIterations` ran. crowd-kit stops on a fall of Q too; concord only when the change is
/// small (docs/aggregation.md). GLAD draws nothing at random: its start is fixed, the seed
/// unused.
enum GLAD {
    static let priorMean = 1.0
    static let mStepIterations = 25
    static let mStepGradientTolerance = 1e-2

    static func aggregate(_ data: LabelData, options: AggregationOptions) -> AggregationOutcome {
        guard data.classCount >= 2 else { return MACE.onlyOneOption(data, "glad") }
        let layout = LabelsByItem(data)
        // With one option given, no label is wrong: the wrong answers' share (1 − σ)/(K − 1)
        // has K − 1 = 0 (crowd-kit's posteriors are NaN there).
        guard layout.k >= 2 else {
            let given = data.classNames[layout.options[0]]
            return .undefined(reason: "every label is \(given): glad weighs right answers against wrong ones and needs at least two different options given; every item's consensus is \(given) (mv says so)")
        }
        let model = Model(layout)
        var x = [Double](repeating: priorMean, count: layout.raters + layout.items)
        var posterior: [Double] = []
        var q = 0.0, iterations = 0, converged = false
        let rows = Double(layout.labels * layout.k)
        while iterations < max(1, options.maxIterations) {  // one at least, for posteriors
            iterations += 1
            let last = q
            posterior = model.eStep(x)
            let given = model.givenPosterior(posterior)
            let step = ConjugateGradient.minimize(from: x, gradientTolerance: mStepGradientTolerance,
                                                  maxIterations: mStepIterations) { model.evaluate($0, given) }
            x = step.x
            q = -step.value / rows
            // |ΔQ|, not crowd-kit's signed ΔQ: a fall of Q is not convergence (docs/aggregation.md).
            if iterations > 1 && abs(q - last) < options.tolerance { converged = true; break }
        }
        return .aggregated(AggregationResult(
            method: .glad, items: layout.consensus(posterior, classCount: data.classCount),
            raters: skills(layout, x, classCount: data.classCount),
            iterations: iterations, converged: converged, seed: nil))
    }

    /// Each rater's accuracy: the model's probability that they give the answer on an item
    /// of average difficulty, σ(α_j · e^{β̄}), β̄ the mean β over labelled items
    /// (docs/aggregation.md); and the one-coin confusion matrix at that difficulty.
    static func skills(_ layout: LabelsByItem, _ x: [Double], classCount: Int) -> [RaterSkill] {
        var sum = 0.0, labelled = 0
        for i in 0..<layout.items where layout.itemStart[i + 1] > layout.itemStart[i] {
            sum += x[layout.raters + i]; labelled += 1
        }
        let easiness = exp(sum / Double(max(1, labelled)))
        let k = layout.k
        return (0..<layout.raters).map { r in
            let n = layout.raterCount[r]
            guard n > 0 else { return RaterSkill(rater: r, n: 0) }
            let a = 1 / (1 + exp(-x[r] * easiness))
            var confusion = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: classCount)
            for t in 0..<k {
                for g in 0..<k { confusion[layout.options[t]][layout.options[g]] = t == g ? a : (1 - a) / Double(k - 1) }
            }
            return RaterSkill(rater: r, accuracy: a, confusion: confusion, n: n)
        }
    }
}
