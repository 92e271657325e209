import Foundation

extension MACE {
    /// The E step of crowd-kit's `_e_step`, in logarithms.
    ///
    /// crowd-kit multiplies an item's label probabilities and adds 1e-8 before taking the
    /// log likelihood; with ten labels of five options the products are near 1e-10, so its
    /// likelihood is mostly the 1e-8. Sums of logs keep every digit (docs/aggregation.md).
    ///
    /// A label a from rater j contributes ln(s_j ξ_j[a]) to every candidate t and, when
    /// t = a, ln(1 + k_j / (s_j ξ_j[a])) more, so an item costs one table read per label and
    /// K exponentials. The expected knowing count of a label is P(T = a | labels) ·
    /// k_j / (s_j ξ_j[a] + k_j) (crowd-kit's `knowing_expected_count_1`); the rest of the
    /// label is spam (`strategy_marginal`).
    static func eStep(_ layout: LabelsByItem, _ p: Parameters) -> Expectation {
        let k = layout.k, codes = layout.raters * k
        var base = [Double](repeating: 0, count: codes)
        var bonus = [Double](repeating: 0, count: codes)
        var knowShare = [Double](repeating: 0, count: codes)
        for r in 0..<layout.raters {
            for c in 0..<k {
                let spam = p.spam[r] * p.strategy[r * k + c]
                base[r * k + c] = log(spam)
                bonus[r * k + c] = log1p(p.know[r] / spam)
                knowShare[r * k + c] = p.know[r] / (spam + p.know[r])
            }
        }
        let logK = log(Double(k))
        var posterior = [Double](repeating: 0, count: layout.items * k)
        let blocks = layout.blocks.count
        var partialKnow = [Double](repeating: 0, count: blocks * codes)
        var partialLikelihood = [Double](repeating: 0, count: blocks)
        posterior.withUnsafeMutableBufferPointer { post in
            partialKnow.withUnsafeMutableBufferPointer { know in
                partialLikelihood.withUnsafeMutableBufferPointer { likelihood in
                    nonisolated(unsafe) let post = post, know = know, likelihood = likelihood
                    layout.code.withUnsafeBufferPointer { code in
                      layout.given.withUnsafeBufferPointer { given in
                        nonisolated(unsafe) let code = code, given = given
                        layout.forEachBlock { b in
                            var logm = [Double](repeating: 0, count: k)
                            var sum = 0.0
                            let knowOfBlock = know.baseAddress! + b * codes
                            for i in layout.blocks[b] {
                                let lo = layout.itemStart[i], hi = layout.itemStart[i + 1]
                                var shared = -logK
                                for c in 0..<k { logm[c] = 0 }
                                for l in lo..<hi {
                                    let x = Int(code[l])
                                    shared += base[x]
                                    logm[Int(given[l])] += bonus[x]
                                }
                                let top = logm.max()!
                                var z = 0.0
                                for c in 0..<k { logm[c] = exp(logm[c] - top); z += logm[c] }
                                sum += shared + top + log(z)
                                for c in 0..<k { post[i * k + c] = logm[c] / z }
                                for l in lo..<hi {
                                    let x = Int(code[l])
                                    knowOfBlock[x] += post[i * k + Int(given[l])] * knowShare[x]
                                }
                            }
                            likelihood[b] = sum
                        }
                      }
                    }
                }
            }
        }
        var knowByCode = [Double](repeating: 0, count: codes)
        for b in 0..<blocks { for x in 0..<codes { knowByCode[x] += partialKnow[b * codes + x] } }
        return Expectation(posterior: posterior, knowByCode: knowByCode,
                           logLikelihood: partialLikelihood.reduce(0, +))
    }

    /// crowd-kit's `_variational_m_step`: each weight is exp ψ(count + prior) over
    /// exp ψ(Σ counts + Σ priors) of its row — (spam, know) with Beta(0.5, 0.5), the strategy
    /// with Dirichlet(10, …). Spam counts are the labels not given knowingly.
    static func mStep(_ layout: LabelsByItem, _ e: Expectation) -> Parameters {
        let k = layout.k
        var p = Parameters(spam: [], know: [], strategy: [Double](repeating: 0, count: layout.raters * k))
        p.spam.reserveCapacity(layout.raters); p.know.reserveCapacity(layout.raters)
        for r in 0..<layout.raters {
            var know = 0.0, spamTotal = 0.0
            var spamOf = [Double](repeating: 0, count: k)
            for c in 0..<k {
                know += e.knowByCode[r * k + c]
                spamOf[c] = max(0, Double(layout.codeCount[r * k + c]) - e.knowByCode[r * k + c])
                spamTotal += spamOf[c]
            }
            let n = Double(layout.raterCount[r])
            let spam = max(0, n - know)
            let row = digamma(n + spamPrior + knowPrior)
            p.spam.append(exp(digamma(spam + spamPrior) - row))
            p.know.append(exp(digamma(know + knowPrior) - row))
            let strategyRow = digamma(spamTotal + strategyPrior * Double(k))
            for c in 0..<k { p.strategy[r * k + c] = exp(digamma(spamOf[c] + strategyPrior) - strategyRow) }
        }
        return p
    }

    /// Each rater's competence — the posterior mean of θ_j, P(the rater knows the answer),
    /// (knowing labels + 0.5) / (labels + 1) — reported as `accuracy` (docs/aggregation.md),
    /// and the confusion matrix the model implies, `θ_j · [g = t] + (1 − θ_j) · ξ_j[g]`, ξ_j
    /// its posterior mean. Options nobody gave have zero rows and columns; a rater without
    /// labels has neither.
    static func skills(_ layout: LabelsByItem, _ e: Expectation, classCount: Int) -> [RaterSkill] {
        let k = layout.k
        return (0..<layout.raters).map { r in
            let n = layout.raterCount[r]
            guard n > 0 else { return RaterSkill(rater: r, n: 0) }
            var know = 0.0, spamTotal = 0.0
            var spamOf = [Double](repeating: 0, count: k)
            for c in 0..<k {
                know += e.knowByCode[r * k + c]
                spamOf[c] = max(0, Double(layout.codeCount[r * k + c]) - e.knowByCode[r * k + c])
                spamTotal += spamOf[c]
            }
            let competence = (know + knowPrior) / (Double(n) + spamPrior + knowPrior)
            var confusion = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: classCount)
            for t in 0..<k {
                for g in 0..<k {
                    let xi = (spamOf[g] + strategyPrior) / (spamTotal + strategyPrior * Double(k))
                    confusion[layout.options[t]][layout.options[g]] = (t == g ? competence : 0) + (1 - competence) * xi
                }
            }
            return RaterSkill(rater: r, accuracy: competence, confusion: confusion, n: n)
        }
    }
}
