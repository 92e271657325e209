import Foundation
import Testing
@testable import Aggregation

/// MACE: the E and M steps on numbers small enough to work by hand, its digamma, the seed,
/// undefined cases, and its accuracy against crowd-kit's on data with a known truth.
@Suite struct MACETests {
    /// Items a, b, c; raters r1–r3; options no, yes. r3 disagrees with r1 and r2 everywhere:
    ///   a: yes yes no    b: no no yes    c: yes yes no
    static func dissenter() throws -> LabelData {
        try LabelData(itemNames: ["a", "b", "c"], raterNames: ["r1", "r2", "r3"], classNames: ["no", "yes"],
                      item: [0, 0, 0, 1, 1, 1, 2, 2, 2], rater: [0, 1, 2, 0, 1, 2, 0, 1, 2], label: [1, 1, 0, 0, 0, 1, 1, 1, 0])
    }

    @Test func theDissenterHasTheLowestCompetence() throws {
        guard case .aggregated(let result) = Aggregation.aggregate(try Self.dissenter(), method: .mace) else {
            Issue.record("mace gave no result"); return
        }
        #expect(result.items.map(\.label) == [1, 0, 1])
        let competence = result.raters.map { $0.accuracy ?? .nan }
        print("mace dissenter: competence \(competence), posteriors \(result.items.map(\.posterior))")
        #expect(competence[2] < competence[0] && competence[2] < competence[1])
        #expect(result.items.allSatisfy { abs($0.posterior.reduce(0, +) - 1) < 1e-12 })
        #expect(result.raters.map(\.n) == [3, 3, 3])
        #expect(result.seed == 0 && result.iterations == MACE.iterations)
        // The implied confusion matrix: rows sum to 1, the diagonal is at least the competence.
        for rater in result.raters {
            let confusion = try #require(rater.confusion)
            for (t, row) in confusion.enumerated() {
                #expect(abs(row.reduce(0, +) - 1) < 1e-12)
                #expect(row[t] >= rater.accuracy!)
            }
        }
    }

    /// One item, two raters, options 0 and 1, parameters set by hand:
    /// r0 (spam 0.5, know 0.5, ξ = (0.5, 0.5)) gives 0; r1 (spam 0.8, know 0.2, ξ = (0.9, 0.1)) gives 1.
    ///   P(T=0, labels) = ½ · (0.5·0.5 + 0.5) · (0.8·0.1)       = ½ · 0.75 · 0.08 = 0.030
    ///   P(T=1, labels) = ½ · (0.5·0.5)       · (0.8·0.1 + 0.2) = ½ · 0.25 · 0.28 = 0.035
    /// so the posterior is (6/13, 7/13) and the log likelihood ln 0.065. Knowing counts:
    /// r0: 6/13 · 0.5 / 0.75 = 4/13; r1: 7/13 · 0.2 / 0.28 = 5/13.
    @Test func eStepByHand() throws {
        let data = try LabelData(itemNames: ["a"], raterNames: ["r0", "r1"], classNames: ["0", "1"],
                                 item: [0, 0], rater: [0, 1], label: [0, 1])
        let layout = LabelsByItem(data)
        let p = MACE.Parameters(spam: [0.5, 0.8], know: [0.5, 0.2], strategy: [0.5, 0.5, 0.9, 0.1])
        let e = MACE.eStep(layout, p)
        #expect(abs(e.posterior[0] - 6.0 / 13) < 1e-15 && abs(e.posterior[1] - 7.0 / 13) < 1e-14)
        #expect(abs(e.logLikelihood - log(0.065)) < 1e-14)
        // knowByCode[rater · K + option]: r0 gave 0 knowingly 4/13, r1 gave 1 knowingly 5/13.
        #expect(abs(e.knowByCode[0] - 4.0 / 13) < 1e-15 && e.knowByCode[1] == 0)
        #expect(e.knowByCode[2] == 0 && abs(e.knowByCode[3] - 5.0 / 13) < 1e-14)

        // M step (variational): r0 has 1 label, 4/13 known, 9/13 spam, all spam on option 0.
        let m = MACE.mStep(layout, e)
        let row = digamma(2)
        #expect(abs(m.know[0] - exp(digamma(4.0 / 13 + 0.5) - row)) < 1e-14)
        #expect(abs(m.spam[0] - exp(digamma(9.0 / 13 + 0.5) - row)) < 1e-14)
        let strategyRow = digamma(9.0 / 13 + 20)
        #expect(abs(m.strategy[0] - exp(digamma(9.0 / 13 + 10) - strategyRow)) < 1e-14)
        #expect(abs(m.strategy[1] - exp(digamma(10) - strategyRow)) < 1e-14)
    }

    /// ψ(n) = H(n − 1) − γ and ψ(n + ½) = −γ − 2 ln 2 + Σ_{k ≤ n} 2/(2k − 1), the closed forms.
    @Test func digammaMatchesClosedForms() {
        let gamma = 0.57721566490153286061
        var harmonic = 0.0, odd = 0.0
        for n in 1...40 {
            let whole = harmonic - gamma
            let half = -gamma - 2 * log(2.0) + odd
            #expect(abs(digamma(Double(n)) - whole) <= 4e-15 * max(1, abs(whole)), "ψ(\(n))")
            #expect(abs(digamma(Double(n) - 0.5) - half) <= 4e-15 * max(1, abs(half)), "ψ(\(n) − ½)")
            harmonic += 1 / Double(n)
            odd += 2 / Double(2 * n - 1)
        }
    }

    @Test func sameSeedSameResultAndTheSeedIsUsed() throws {
        let (data, _) = MACEGLADTestData.random(MACEGLADTestData.shapes[2])
        let a = Aggregation.aggregate(data, method: .mace, options: AggregationOptions(seed: 7))
        let b = Aggregation.aggregate(data, method: .mace, options: AggregationOptions(seed: 7))
        let c = Aggregation.aggregate(data, method: .mace, options: AggregationOptions(seed: 8))
        #expect(a == b)
        guard case .aggregated(let ra) = a, case .aggregated(let rc) = c else { Issue.record("mace gave no result"); return }
        #expect(ra.seed == 7 && rc.seed == 8)
        // Different starts end at slightly different numbers (the consensus is compared with crowd-kit below).
        #expect(ra.items.map(\.posterior) != rc.items.map(\.posterior))
    }

    /// The sweeps add per-rater sums block by block in block order, blocks fixed by the sizes:
    /// on threads or not, MACE's and GLAD's numbers are the same to the last bit.
    @Test func threadsChangeNoBit() throws {
        let (data, _) = MACEGLADTestData.random(MACEGLADTestData.Shape(items: 4000, raters: 100, classes: 4, perItem: 8...12,
                                                                       uniformSpammers: 20, constantSpammers: 5, adversaries: 5, seed: 9))
        #expect(data.labelCount >= 1 << 15)  // big enough for the threaded path
        let threaded = LabelsByItem(data), serial = LabelsByItem(data, threads: false)
        var rng = Xoshiro256StarStar(seed: 1)
        let start = MACE.Parameters.random(raters: threaded.raters, k: threaded.k, using: &rng)
        let a = MACE.fit(threaded, from: start).expectation, b = MACE.fit(serial, from: start).expectation
        #expect(a.posterior == b.posterior && a.knowByCode == b.knowByCode && a.logLikelihood == b.logLikelihood)
        let x = (0..<(threaded.raters + threaded.items)).map { _ in 2 * rng.unit() - 0.5 }
        let gladThreaded = GLAD.Model(threaded), gladSerial = GLAD.Model(serial)
        let posterior = gladThreaded.eStep(x)
        #expect(posterior == gladSerial.eStep(x))
        let given = gladThreaded.givenPosterior(posterior)
        let (v1, g1) = gladThreaded.evaluate(x, given), (v2, g2) = gladSerial.evaluate(x, given)
        #expect(v1 == v2 && g1 == g2)
    }

    @Test func undefinedAndEmptyCases() throws {
        let one = try LabelData(itemNames: ["a"], raterNames: ["r"], classNames: ["yes"], item: [0], rater: [0], label: [0])
        #expect(Aggregation.aggregate(one, method: .mace) == .undefined(reason: "there is only one option (yes): mace weighs raters' disagreements between options, and with one option every item's consensus is that option; give the criterion's full option list"))
        // An item nobody labelled is a tie over the options given; a rater without labels has no
        // competence; an option nobody gave has posterior 0.
        let sparse = try LabelData(itemNames: ["a", "b", "empty"], raterNames: ["r1", "r2", "idle"], classNames: ["x", "unused", "y"],
                                   item: [0, 0, 1, 1], rater: [0, 1, 0, 1], label: [0, 0, 2, 2])
        guard case .aggregated(let result) = Aggregation.aggregate(sparse, method: .mace) else { Issue.record("mace gave no result"); return }
        #expect(result.items.map(\.label) == [0, 2, nil])
        #expect(result.items[2].tiedLabels == [0, 2] && result.items[2].posterior == [0.5, 0, 0.5] && result.items[2].n == 0)
        #expect(result.items.allSatisfy { $0.posterior[1] == 0 })
        #expect(result.raters[2].accuracy == nil && result.raters[2].confusion == nil && result.raters[2].n == 0)
        #expect(result.raters[0].confusion?[1] == [0, 0, 0])
        // Everyone gave the same one of two options: that option, certainly.
        let agreed = try LabelData(itemNames: ["a", "b"], raterNames: ["r1", "r2"], classNames: ["no", "yes"],
                                   item: [0, 0, 1], rater: [0, 1, 0], label: [1, 1, 1])
        guard case .aggregated(let same) = Aggregation.aggregate(agreed, method: .mace) else { Issue.record("mace gave no result"); return }
        #expect(same.items.map(\.label) == [1, 1] && same.items.map(\.posterior) == [[0, 1], [0, 1]])
    }
}
