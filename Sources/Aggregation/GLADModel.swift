import Foundation

extension GLAD {
    /// GLAD's E step and its M-step objective over the labels grouped by item. The parameters
    /// are one vector, abilities α of the raters then log inverse difficulties β of the items
    /// (crowd-kit's `x` in `_optimize_f`).
    struct Model {
        let layout: LabelsByItem
        /// ln(K − 1): a wrong label's share of 1 − σ.
        let logOthers: Double
        let labelledRater: [Bool]
        let labelledItem: [Bool]

        init(_ layout: LabelsByItem) {
            self.layout = layout
            logOthers = log(Double(layout.k - 1))
            labelledRater = layout.raterCount.map { $0 > 0 }
            labelledItem = (0..<layout.items).map { layout.itemStart[$0 + 1] > layout.itemStart[$0] }
        }

        /// ln σ(z), ln(1 − σ(z)) and σ(z) from one exponential and one logarithm, exact for
        /// every z (crowd-kit's `_softplus` switches to a linear form beyond |z| = 30).
        @inline(__always)
        static func logistic(_ z: Double) -> (logP: Double, logQ: Double, p: Double) {
            let e = exp(-abs(z)), u = 1 + e
            // ln(1 + e) as e · ln u / (u − 1) (Goldberg 1991, "What every computer scientist
            // should know about floating-point arithmetic", Theorem 4): within a few ulps of
            // log1p, which took half of GLAD's time.
            let l = u == 1 ? e : e * log(u) / (u - 1)
            return z >= 0 ? (-l, -z - l, 1 / u) : (z - l, -l, e / u)
        }

        /// crowd-kit's `_e_step`: ln P(answer c) = ln(1/K) + Σ over the item's labels of
        /// ln σ when the label is c, else ln(1 − σ) − ln(K − 1); then a softmax per item.
        func eStep(_ x: [Double]) -> [Double] {
            let k = layout.k, raters = layout.raters
            var posterior = [Double](repeating: 0, count: layout.items * k)
            posterior.withUnsafeMutableBufferPointer { post in
                nonisolated(unsafe) let post = post
                layout.forEachBlock { b in
                    var logp = [Double](repeating: 0, count: k)
                    for i in layout.blocks[b] {
                        let easiness = exp(x[raters + i])
                        for c in 0..<k { logp[c] = 0 }
                        for l in layout.itemStart[i]..<layout.itemStart[i + 1] {
                            let s = Model.logistic(x[Int(layout.rater[l])] * easiness)
                            // ln(1 − σ) − ln(K − 1) is added to every option but the
                            // given one; adding it to all cancels in the softmax, so only
                            // the given option's difference is kept.
                            logp[Int(layout.given[l])] += s.logP - (s.logQ - logOthers)
                        }
                        let top = logp.max()!
                        var z = 0.0
                        for c in 0..<k { logp[c] = exp(logp[c] - top); z += logp[c] }
                        for c in 0..<k { post[i * k + c] = logp[c] / z }
                    }
                }
            }
            return posterior
        }

        /// Each label's posterior of the option it gave, in `layout.code` order: all the M
        /// step needs of the posteriors (Σ over options of P(c)·[c = given] is that number).
        func givenPosterior(_ posterior: [Double]) -> [Double] {
            let k = layout.k
            var given = [Double](repeating: 0, count: layout.labels)
            for i in 0..<layout.items {
                for l in layout.itemStart[i]..<layout.itemStart[i + 1] {
                    given[l] = posterior[i * k + Int(layout.given[l])]
                }
            }
            return given
        }

        /// −Q and −∇Q at `x` for fixed posteriors (crowd-kit's `_compute_Q`, `_gradient_Q`):
        ///   Q = Σ_labels [p ln σ + (1 − p)(ln(1 − σ) − ln(K − 1))] + Σ ln φ(α − 1) + Σ ln φ(β − 1)
        ///   ∂Q/∂α_j = Σ (p − σ) e^{β_i} − (α_j − 1),  ∂Q/∂β_i = Σ (p − σ) α_j e^{β_i} − (β_i − 1)
        /// with σ = σ(α_j e^{β_i}), p the posterior of the given option, the prior sums over
        /// raters and items that have labels (the ones crowd-kit knows).
        func evaluate(_ x: [Double], _ given: [Double]) -> (value: Double, gradient: [Double]) {
            let raters = layout.raters, blocks = layout.blocks.count
            var gradient = [Double](repeating: 0, count: x.count)
            var partialAbility = [Double](repeating: 0, count: blocks * raters)
            var partialQ = [Double](repeating: 0, count: blocks)
            gradient.withUnsafeMutableBufferPointer { grad in
                partialAbility.withUnsafeMutableBufferPointer { ability in
                    partialQ.withUnsafeMutableBufferPointer { pq in
                        nonisolated(unsafe) let grad = grad, ability = ability, pq = pq
                        layout.forEachBlock { b in
                            let abilityOfBlock = ability.baseAddress! + b * raters
                            var q = 0.0
                            for i in layout.blocks[b] {
                                let easiness = exp(x[raters + i])
                                var dBeta = 0.0
                                for l in layout.itemStart[i]..<layout.itemStart[i + 1] {
                                    let r = Int(layout.rater[l]), p = given[l]
                                    let s = Model.logistic(x[r] * easiness)
                                    q += p * s.logP + (1 - p) * (s.logQ - logOthers)
                                    let d = (p - s.p) * easiness
                                    abilityOfBlock[r] += d
                                    dBeta += d * x[r]
                                }
                                grad[raters + i] = dBeta
                            }
                            pq[b] = q
                        }
                    }
                }
            }
            var q = partialQ.reduce(0, +)
            for b in 0..<blocks { for r in 0..<raters { gradient[r] += partialAbility[b * raters + r] } }
            let halfLog2Pi = 0.5 * log(2 * Double.pi)
            for j in x.indices {
                guard j < raters ? labelledRater[j] : labelledItem[j - raters] else { continue }
                let d = x[j] - priorMean
                q += -0.5 * d * d - halfLog2Pi
                gradient[j] -= d
            }
            for j in gradient.indices { gradient[j] = -gradient[j] }
            return (-q, gradient)
        }
    }
}
