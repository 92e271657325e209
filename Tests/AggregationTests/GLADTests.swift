import Foundation
import Testing
@testable import Aggregation

/// GLAD: its E step and gradient by hand, the conjugate-gradient M step on functions with a
/// known minimum, the stopping rule, undefined cases.
@Suite struct GLADTests {
    static func sigma(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    @Test func theDissenterHasTheLowestAbility() throws {
        guard case .aggregated(let result) = Aggregation.aggregate(try MACETests.dissenter(), method: .glad) else {
            Issue.record("glad gave no result"); return
        }
        #expect(result.items.map(\.label) == [1, 0, 1])
        let accuracy = result.raters.map { $0.accuracy ?? .nan }
        print("glad dissenter: accuracy \(accuracy), \(result.iterations ?? 0) iterations")
        #expect(accuracy[2] < 0.5 && accuracy[0] > 0.5 && accuracy[1] > 0.5)
        #expect(abs(accuracy[0] - accuracy[1]) < 1e-12)  // r1 and r2 gave the same labels
        #expect(result.converged == true && (result.iterations ?? 0) >= 2 && result.seed == nil)
        for rater in result.raters {
            let confusion = try #require(rater.confusion)
            #expect(confusion[0][0] == rater.accuracy && confusion[1][1] == rater.accuracy)
            #expect(abs(confusion[0][1] - (1 - rater.accuracy!)) < 1e-15)
        }
    }

    /// At the start (every α = β = 1) each label is right with σ(1·e¹) = σ(e). With two
    /// options, item a (yes yes no) has odds σ²(1 − σ) : σ(1 − σ)², so P(yes) = σ(e).
    @Test func eStepAtTheStartByHand() throws {
        let layout = LabelsByItem(try MACETests.dissenter())
        let model = GLAD.Model(layout)
        let posterior = model.eStep([Double](repeating: 1, count: 6))
        let s = Self.sigma(exp(1))
        #expect(abs(posterior[1] - s) < 1e-15 && abs(posterior[0] - (1 - s)) < 1e-15)
        #expect(abs(posterior[2] - s) < 1e-15)  // item b: no no yes → P(no) = σ(e)
    }

    /// −Q's gradient equals its central differences, on random data and a random point.
    @Test func gradientMatchesDifferences() throws {
        let (data, _) = MACEGLADTestData.random(MACEGLADTestData.Shape(items: 12, raters: 5, classes: 3, perItem: 2...4,
                                                                       uniformSpammers: 1, adversaries: 1, seed: 11))
        let layout = LabelsByItem(data)
        let model = GLAD.Model(layout)
        var g = Xoshiro256StarStar(seed: 3)
        let x = (0..<(layout.raters + layout.items)).map { _ in 3 * g.unit() - 1 }
        let given = model.givenPosterior(model.eStep(x.map { $0 * 0.5 }))
        let (_, gradient) = model.evaluate(x, given)
        for j in x.indices {
            var up = x, down = x
            up[j] += 1e-6; down[j] -= 1e-6
            let numeric = (model.evaluate(up, given).value - model.evaluate(down, given).value) / 2e-6
            #expect(abs(numeric - gradient[j]) < 1e-6 * max(1, abs(numeric)), "∂/∂x\(j): \(gradient[j]) vs \(numeric)")
        }
    }

    /// ½ xᵀAx − bᵀx with A = [[4,1,0],[1,3,1],[0,1,2]], b = (1, 2, 3): Ax = b gives
    /// x2 = 1/9 (9·x2 = 1 after substituting x1 = (1 − x2)/4, x3 = (3 − x2)/2), x1 = 2/9, x3 = 13/9.
    @Test func conjugateGradientFindsAQuadraticsMinimum() {
        let a = [[4.0, 1, 0], [1, 3, 1], [0, 1, 2]], b = [1.0, 2, 3]
        let (x, _) = ConjugateGradient.minimize(from: [0, 0, 0], gradientTolerance: 1e-9, maxIterations: 50) { x in
            let ax = a.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } }
            let value = 0.5 * zip(x, ax).reduce(0) { $0 + $1.0 * $1.1 } - zip(b, x).reduce(0) { $0 + $1.0 * $1.1 }
            return (value, zip(ax, b).map { $0 - $1 })
        }
        for (got, want) in zip(x, [2.0 / 9, 1.0 / 9, 13.0 / 9]) { #expect(abs(got - want) < 1e-8) }
    }

    /// Rosenbrock's valley, minimum at (1, 1): the line search must handle curvature.
    @Test func conjugateGradientFollowsRosenbrocksValley() {
        let (x, value) = ConjugateGradient.minimize(from: [-1.2, 1], gradientTolerance: 1e-9, maxIterations: 500) { x in
            let (u, v) = (x[0], x[1])
            return (100 * (v - u * u) * (v - u * u) + (1 - u) * (1 - u),
                    [-400 * u * (v - u * u) - 2 * (1 - u), 200 * (v - u * u)])
        }
        #expect(abs(x[0] - 1) < 1e-6 && abs(x[1] - 1) < 1e-6 && value < 1e-12, "\(x), \(value)")
    }

    @Test func theSeedChangesNothingAndIterationsAreCapped() throws {
        let (data, _) = MACEGLADTestData.random(MACEGLADTestData.shapes[2])
        let a = Aggregation.aggregate(data, method: .glad, options: AggregationOptions(seed: 0))
        #expect(a == Aggregation.aggregate(data, method: .glad, options: AggregationOptions(seed: 5)))
        guard case .aggregated(let one) = Aggregation.aggregate(data, method: .glad, options: AggregationOptions(maxIterations: 1)) else {
            Issue.record("glad gave no result"); return
        }
        #expect(one.iterations == 1 && one.converged == false)
        guard case .aggregated(let none) = Aggregation.aggregate(data, method: .glad, options: AggregationOptions(maxIterations: 0)) else {
            Issue.record("glad gave no result"); return
        }
        #expect(none == one)  // at least one iteration: the posteriors need an E step
    }

    @Test func undefinedCases() throws {
        let one = try LabelData(itemNames: ["a"], raterNames: ["r"], classNames: ["yes"], item: [0], rater: [0], label: [0])
        #expect(Aggregation.aggregate(one, method: .glad) == .undefined(reason: "there is only one option (yes): glad weighs raters' disagreements between options, and with one option every item's consensus is that option; give the criterion's full option list"))
        let agreed = try LabelData(itemNames: ["a", "b"], raterNames: ["r1", "r2"], classNames: ["no", "yes"],
                                   item: [0, 0, 1], rater: [0, 1, 0], label: [1, 1, 1])
        #expect(Aggregation.aggregate(agreed, method: .glad) == .undefined(reason: "every label is yes: glad weighs right answers against wrong ones and needs at least two different options given; every item's consensus is yes (mv says so)"))
    }
}
