import Testing
@testable import Aggregation

/// `ds` and `one-coin` on tables small enough to follow by hand, ties, and the cases with
/// no answer (docs/aggregation.md).
@Suite struct DawidSkeneTests {
    /// Items a–d, raters r1–r3, options no (0), yes (1):
    ///
    ///        r1   r2   r3     majority-vote start T = (P no, P yes)
    ///   a   yes  yes  no      (1/3, 2/3)
    ///   b   no   no   no      (1, 0)
    ///   c   yes  yes  yes     (0, 1)
    ///   d   no   yes  no      (2/3, 1/3)
    ///
    /// Priors: mean of T = (2/4, 2/4) = (1/2, 1/2).
    ///
    /// First M step, e_w[true][given] = Σ_{items w gave `given`} T_true, clipped at ε = 1e-10,
    /// each true row divided by its sum:
    ///   r1: gave no on b, d → (5/3, 1/3); yes on a, c → (1/3, 5/3)
    ///       e1[no] = (5/3, 1/3)/2 = (5/6, 1/6),   e1[yes] = (1/3, 5/3)/2 = (1/6, 5/6)
    ///   r2: gave no on b → (1, 0→ε); yes on a, c, d → (1, 2)
    ///       e2[no] = (1, 1)/2 = (1/2, 1/2),         e2[yes] = (ε, 2)/(2 + ε) ≈ (0, 1)
    ///   r3: gave no on a, b, d → (2, 1); yes on c → (0→ε, 1)
    ///       e3[no] = (2, ε)/(2 + ε) ≈ (1, 0),       e3[yes] = (1, 1)/2 = (1/2, 1/2)
    ///
    /// First E step, T_ic ∝ p_c · Π_w e_w[c][given]:
    ///   a (yes yes no): no ∝ ½·1/6·½·1 = 1/24,  yes ∝ ½·5/6·1·½ = 5/24   → (1/6, 5/6)
    ///   b (no no no):   no ∝ ½·5/6·½·1 = 5/24,  yes ∝ ½·1/6·ε·½ ≈ 0      → (1, 0)
    ///   c (yes ×3):     no ∝ ½·1/6·½·ε ≈ 0,     yes ∝ ½·5/6·1·½ = 5/24   → (0, 1)
    ///   d (no yes no):  no ∝ ½·5/6·½·1 = 5/24,  yes ∝ ½·1/6·1·½ = 1/24   → (5/6, 1/6)
    /// Priors (1/6 + 1 + 0 + 5/6)/4 = 1/2 each. Second M step, r1: gave no on b, d →
    /// (1 + 5/6, 1/6) = (11/6, 1/6); yes on a, c → (1/6, 11/6); rows (11/12, 1/12), (1/12, 11/12);
    /// accuracy Σ_c p_c e1[c][c] = ½·11/12 + ½·11/12 = 11/12. (ε terms change these by < 1e-9.)
    static func table() throws -> LabelData {
        try LabelData(itemNames: ["a", "b", "c", "d"], raterNames: ["r1", "r2", "r3"], classNames: ["no", "yes"],
                      item: [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], rater: [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2],
                      label: [1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0])
    }

    struct NoResult: Error { let outcome: AggregationOutcome }

    static func fit(_ data: LabelData, _ method: AggregationMethod, maxIterations: Int = 100) throws -> AggregationResult {
        guard case .aggregated(let result) = Aggregation.aggregate(data, method: method, options: AggregationOptions(maxIterations: maxIterations)) else {
            throw NoResult(outcome: Aggregation.aggregate(data, method: method))
        }
        return result
    }

    @Test func firstIterationByHand() throws {
        let result = try Self.fit(try Self.table(), .ds, maxIterations: 1)
        let expected: [[Double]] = [[1.0 / 6, 5.0 / 6], [1, 0], [0, 1], [5.0 / 6, 1.0 / 6]]
        for (item, p) in zip(result.items, expected) {
            #expect(abs(item.posterior[0] - p[0]) < 1e-9 && abs(item.posterior[1] - p[1]) < 1e-9, "item \(item.item): \(item.posterior)")
        }
        #expect(result.items.map(\.label) == [1, 0, 1, 0])
        #expect(result.iterations == 1 && result.converged == false)
        let r1 = try #require(result.raters[0].confusion)
        #expect(abs(r1[0][0] - 11.0 / 12) < 1e-9 && abs(r1[0][1] - 1.0 / 12) < 1e-9)
        #expect(abs(r1[1][0] - 1.0 / 12) < 1e-9 && abs(r1[1][1] - 11.0 / 12) < 1e-9)
        #expect(abs(try #require(result.raters[0].accuracy) - 11.0 / 12) < 1e-9)
        #expect(result.raters.map(\.n) == [4, 4, 4])
    }

    /// The same single iteration in crowd-kit (`n_iter=1`), and the full fit.
    @Test func handTableEqualsCrowdKit() throws {
        let data = try Self.table()
        for iterations in [1, 100] {
            let ck = try #require(try CrowdKitReference.run("ds", [data], kwargs: ["n_iter": iterations]).first)
            let result = try Self.fit(data, .ds, maxIterations: iterations)
            let posteriors = try #require(ck.posteriors)
            for item in result.items {
                let expected = try #require(posteriors[item.item])
                #expect(abs(item.posterior[0] - expected[0]) <= 1e-6 && abs(item.posterior[1] - expected[1]) <= 1e-6)
            }
            #expect(result.iterations == ck.iterations)
        }
    }

    /// One-coin's start: skill = mean over the rater's labels of the start posterior of the
    /// option given. r1: a yes 2/3, b no 1, c yes 1, d no 2/3 → 10/3 ÷ 4 = 5/6; r2: 2/3, 1, 1,
    /// d yes 1/3 → 3/4; r3: a no 1/3, 1, 1, d no 2/3 → 3/4. Confusion: s on the diagonal,
    /// (1 − s)/(K − 1) = 1 − s off it. With no iteration the posteriors are the start's.
    @Test func oneCoinStartByHand() throws {
        let result = try Self.fit(try Self.table(), .oneCoin, maxIterations: 0)
        let skills = result.raters.map { $0.accuracy ?? .nan }
        for (s, e) in zip(skills, [5.0 / 6, 0.75, 0.75]) { #expect(abs(s - e) < 1e-15, "\(skills)") }
        let m = try #require(result.raters[0].confusion)
        let s: Double = 5.0 / 6
        #expect(abs(m[0][0] - s) < 1e-15 && abs(m[1][1] - s) < 1e-15 && abs(m[0][1] - (1 - s)) < 1e-15 && abs(m[1][0] - (1 - s)) < 1e-15)
        #expect(result.items[0].posterior == [1.0 / 3, 2.0 / 3])
        #expect(result.iterations == 0 && result.converged == false)
    }

    /// One item, two raters who disagree: every step is symmetric, so the posterior stays
    /// (½, ½) exactly — a tie, reported as one (crowd-kit's labels_ picks option 0).
    @Test(arguments: [AggregationMethod.ds, .oneCoin])
    func aTieIsSaid(_ method: AggregationMethod) throws {
        let data = try LabelData(itemNames: ["a"], raterNames: ["r1", "r2"], classNames: ["x", "y"],
                                 item: [0, 0], rater: [0, 1], label: [0, 1])
        let result = try Self.fit(data, method)
        #expect(result.items[0].posterior == [0.5, 0.5])
        #expect(result.items[0].label == nil && result.items[0].tiedLabels == [0, 1])
        #expect(result.converged == true)
    }

    @Test func undefinedCasesSayWhy() throws {
        let one = try LabelData(itemNames: ["a"], raterNames: ["r1"], classNames: ["yes"], item: [0], rater: [0], label: [0])
        #expect(Aggregation.aggregate(one, method: .ds) == .undefined(reason: "there is only one option (yes): ds weighs raters' disagreements between options, and with one option every item's consensus is that option; give the criterion's full option list"))
        guard case .undefined(let reason) = Aggregation.aggregate(one, method: .oneCoin) else { Issue.record("one-coin on one option"); return }
        #expect(reason.hasPrefix("there is only one option (yes): one-coin weighs"))
        let empty = try LabelData(itemNames: [], raterNames: [], classNames: ["x", "y"], item: [], rater: [], label: [])
        #expect(Aggregation.aggregate(empty, method: .oneCoin) == .undefined(reason: "there are no labels to aggregate"))
    }

    /// Everyone gave the same option of two: the EM runs on that option alone (as crowd-kit,
    /// which sees only it, does), its posterior is 1 everywhere, each rater's accuracy 1.
    @Test(arguments: [AggregationMethod.ds, .oneCoin])
    func everyLabelTheSameOption(_ method: AggregationMethod) throws {
        let data = try LabelData(itemNames: ["a", "b"], raterNames: ["r1", "r2"], classNames: ["no", "yes"],
                                 item: [0, 0, 1], rater: [0, 1, 0], label: [1, 1, 1])
        let result = try Self.fit(data, method)
        #expect(result.items.map(\.posterior) == [[0, 1], [0, 1]])
        #expect(result.items.map(\.label) == [1, 1])
        #expect(result.raters.map { abs(($0.accuracy ?? 0) - 1) < 1e-9 } == [true, true])
        #expect(result.iterations == 2 && result.converged == true)
    }

    /// LabelData finds a repeated (item, rater) by one bit per cell, or, past 2^28 cells (here
    /// 20,000 × 20,000), by a set of the pairs: the same refusal either way.
    @Test func aRepeatedPairIsFoundOnSmallAndHugeTables() throws {
        for n in [3, 20_000] {
            let names = (0..<n).map { "n\($0)" }
            #expect(throws: LabelData.ShapeError(description: "rater n2 labelled item n1 twice")) {
                try LabelData(itemNames: names, raterNames: names, classNames: ["x", "y"],
                              item: [0, 1, 2, 1], rater: [0, 2, 1, 2], label: [0, 1, 0, 0])
            }
            #expect((try? LabelData(itemNames: names, raterNames: names, classNames: ["x", "y"],
                                    item: [0, 1, 2, 1], rater: [0, 2, 1, 1], label: [0, 1, 0, 0])) != nil)
        }
    }

    /// An option nobody gave takes no part (posterior 0, a zero confusion row and column);
    /// an item nobody labelled gets the priors; a rater with no labels has no skill.
    @Test(arguments: [AggregationMethod.ds, .oneCoin])
    func unusedOptionsItemsAndRaters(_ method: AggregationMethod) throws {
        let base = try Self.table()
        // Options no, maybe (unused), yes; item e and rater r4 without labels.
        let data = try LabelData(itemNames: base.itemNames + ["e"], raterNames: base.raterNames + ["r4"],
                                 classNames: ["no", "maybe", "yes"], item: base.item, rater: base.rater,
                                 label: base.label.map { $0 == 1 ? 2 : 0 })
        let wide = try Self.fit(data, method), plain = try Self.fit(base, method)
        #expect(wide.iterations == plain.iterations)
        for (w, p) in zip(wide.items, plain.items) {
            #expect(w.posterior == [p.posterior[0], 0, p.posterior[1]])
            #expect(w.label == p.label.map { $0 == 1 ? 2 : 0 })
        }
        let priors = plain.items.reduce([0.0, 0.0]) { [$0[0] + $1.posterior[0], $0[1] + $1.posterior[1]] }.map { $0 / 4 }
        #expect(abs(wide.items[4].posterior[0] - priors[0]) < 1e-12 && wide.items[4].posterior[1] == 0)
        #expect(wide.items[4].n == 0)
        let m = try #require(wide.raters[0].confusion), q = try #require(plain.raters[0].confusion)
        #expect(m == [[q[0][0], 0, q[0][1]], [0, 0, 0], [q[1][0], 0, q[1][1]]])
        #expect(wide.raters[0].accuracy == plain.raters[0].accuracy)
        #expect(wide.raters[3] == RaterSkill(rater: 3, n: 0))
    }
}
