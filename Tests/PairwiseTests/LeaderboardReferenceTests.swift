import Foundation
import ReferenceTestSupport
import Testing
@testable import Pairwise

/// The leaderboard against Tests/Reference/leaderboard_reference.py, which aggregates the same
/// clip comparisons to system comparisons on its own and fits them with sureal 0.9.0's BT_MLE,
/// choix 0.4.1's ilsr_pairwise and scipy (Davidson ties, Thurstone): the left-out counts, the
/// system scores, the full covariance of the scores, and the probability that each system is
/// above the next one down — and that probability against a bootstrap of the comparisons.
@Suite struct LeaderboardReferenceTests {
    /// Seeded clips: `systems` systems × `prompts` prompts (clip p·S + s), plus a second clip
    /// of systems 0 and 1 per prompt (so some comparisons are of one system) and two untagged
    /// clips; `count` comparisons of two clips of one prompt, outcome drawn from the systems'
    /// strengths plus a per-clip wobble, ties with probability `tieShare`.
    static func clips(seed: UInt64, systems: Int, prompts: Int, count: Int, tieShare: Double,
                      spread: Double = 1.2) -> (data: Comparisons, system: [String?]) {
        var state = seed &* 0x2545_F491_4F6C_DD1D &+ 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let strength = (0..<systems).map { _ in next() * 2 * spread - spread }
        var system = [String?](), prompt = [Int](), wobble = [Double]()
        for p in 0..<prompts {
            for s in 0..<systems { system.append("model-\(Character(UnicodeScalar(65 + s)!))"); prompt.append(p); wobble.append(strength[s] + next() * 0.4 - 0.2) }
            for s in 0..<2 { system.append(system[p * systems + s]); prompt.append(p); wobble.append(strength[s] + next() * 0.4 - 0.2) }
        }
        for p in 0..<2 { system.append(nil); prompt.append(p); wobble.append(0) }
        let byPrompt = (0..<prompts).map { p in prompt.indices.filter { prompt[$0] == p } }
        var r = [Int32](), a = [Int32](), b = [Int32](), o = [Comparisons.Outcome](), left = [Int8]()
        for _ in 0..<count {
            let clips = byPrompt[min(Int(next() * Double(prompts)), prompts - 1)]
            let x = clips[min(Int(next() * Double(clips.count)), clips.count - 1)]
            var y = clips[min(Int(next() * Double(clips.count - 1)), clips.count - 2)]
            if y >= x { y = clips[clips.firstIndex(of: y)! + 1] }
            let p = 1 / (1 + exp(wobble[y] - wobble[x])), u = next()
            r.append(Int32(min(Int(next() * 4), 3))); a.append(Int32(x)); b.append(Int32(y))
            o.append(u < tieShare ? .tie : (u - tieShare < p * (1 - tieShare) ? .a : .b))
            left.append(next() < 0.5 ? 0 : 1)
        }
        return (Comparisons(items: system.indices.map { "clip \($0)" }, raters: ["r0", "r1", "r2", "r3"],
                            rater: r, a: a, b: b, outcome: o, shownLeft: left), system)
    }

    struct Answer {
        let fields: [String: Any]
        func numbers(_ key: String) -> [Double]? { (fields[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } }
        func matrix(_ key: String) -> [[Double]]? { (fields[key] as? [[Any]])?.map { $0.compactMap { ($0 as? NSNumber)?.doubleValue } } }
    }

    static func reference(_ sets: [(data: Comparisons, system: [String?])], model: PairwiseModel, ties: TieModel,
                          bootstrap: Int = 0) throws -> [Answer] {
        let lines = try sets.map { set -> String in
            let d = set.data
            let rows = (0..<d.count).map { [Int(d.a[$0]), Int(d.b[$0]), Int(d.outcome[$0].rawValue)] }
            let object: [String: Any] = ["system": set.system.map { $0 as Any? ?? NSNull() }, "comparisons": rows,
                                         "model": model.rawValue, "ties": ties.rawValue, "bootstrap": bootstrap, "seed": 7]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        return try ReferenceScript.run("leaderboard_reference.py", input: lines.joined(separator: "\n") + "\n").map {
            Answer(fields: try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:])
        }
    }

    /// Compares one leaderboard with the reference: counts, wins, scores (`scoreKey`), the
    /// covariance and the probabilities above the next, each within its tolerance.
    static func expectEqual(_ board: Leaderboard, _ ref: Answer, scoreKey: String, scoreTolerance: Double,
                            covarianceTolerance: Double, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(ref.fields["error"] == nil, "\(ref.fields["error"] ?? "")", sourceLocation: sourceLocation)
        #expect(board.systems == ref.fields["systems"] as? [String], sourceLocation: sourceLocation)
        #expect(board.sameSystem == ref.fields["same_system"] as? Int && board.untagged == ref.fields["untagged"] as? Int,
                "left out \(board.sameSystem), \(board.untagged)", sourceLocation: sourceLocation)
        let wins = try #require(ref.matrix("wins"))
        for item in board.result.items {
            #expect(Double(item.wins) == wins[item.item].reduce(0, +), sourceLocation: sourceLocation)
        }
        let scores = try #require(ref.numbers(scoreKey)), cov = try #require(ref.matrix("cov"))
        let m = board.systems.count
        for i in 0..<m {
            let s = try #require(board.result.items[i].score)
            #expect(abs(s - scores[i]) < scoreTolerance, "\(board.systems[i]): \(s) vs \(scores[i])", sourceLocation: sourceLocation)
            for j in 0..<m {
                let c = try #require(board.covariance?.covariance(i, j))
                #expect(abs(c - cov[i][j]) < covarianceTolerance, "cov \(i),\(j): \(c) vs \(cov[i][j])", sourceLocation: sourceLocation)
            }
        }
        let order = try #require(ref.fields["order"] as? [Int]), pNext = try #require(ref.numbers("p_next"))
        #expect(board.rows.map(\.score.item) == order, sourceLocation: sourceLocation)
        for (row, p) in zip(board.rows, pNext) {
            guard case .success(let d)? = row.aboveNext else { Issue.record("no difference for \(row.score.item)"); continue }
            #expect(abs(d.probabilityAbove - p) < covarianceTolerance * 10, "P above next \(d.probabilityAbove) vs \(p)", sourceLocation: sourceLocation)
        }
        #expect(board.rows.last?.aboveNext == nil, sourceLocation: sourceLocation)
    }

    static let sizes: [(systems: Int, prompts: Int, count: Int)] = [(3, 4, 120), (4, 6, 300), (5, 8, 500), (6, 5, 700)]

    @Test func halfWinEqualsSurealAndChoix() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let sets = Self.sizes.enumerated().map { Self.clips(seed: UInt64($0.offset), systems: $0.element.systems, prompts: $0.element.prompts, count: $0.element.count, tieShare: $0.offset == 3 ? 0.2 : 0) }
        let answers = try Self.reference(sets, model: .bt, ties: .halfWin)
        for (set, ref) in zip(sets, answers) {
            let board = try Leaderboard.make(set.data, system: set.system, options: PairwiseOptions(ties: .halfWin)).get()
            try Self.expectEqual(board, ref, scoreKey: "sureal", scoreTolerance: 1e-6, covarianceTolerance: 1e-6)
            if let choix = ref.numbers("choix") {
                for (item, c) in zip(board.result.items, choix) { #expect(abs(item.score! - c) < 1e-6) }
            }
        }
        #expect(answers.filter { $0.fields["choix"] != nil }.count == 3)
    }

    @Test func davidsonTiesEqualScipy() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let sets = Self.sizes.enumerated().map { Self.clips(seed: UInt64(10 + $0.offset), systems: $0.element.systems, prompts: $0.element.prompts, count: $0.element.count, tieShare: 0.25) }
        let answers = try Self.reference(sets, model: .bt, ties: .davidson)
        for (set, ref) in zip(sets, answers) {
            let board = try Leaderboard.make(set.data, system: set.system).get()
            #expect(board.result.nu != nil)
            // The reference's covariance is a numerical Hessian's (step 1e-5).
            try Self.expectEqual(board, ref, scoreKey: "scipy", scoreTolerance: 1e-6, covarianceTolerance: 1e-5)
        }
    }

    @Test func thurstoneEqualsScipy() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let sets = Self.sizes.enumerated().map { Self.clips(seed: UInt64(20 + $0.offset), systems: $0.element.systems, prompts: $0.element.prompts, count: $0.element.count, tieShare: 0.1) }
        let answers = try Self.reference(sets, model: .thurstone, ties: .halfWin)
        for (set, ref) in zip(sets, answers) {
            let board = try Leaderboard.make(set.data, system: set.system, options: PairwiseOptions(model: .thurstone)).get()
            try Self.expectEqual(board, ref, scoreKey: "scipy", scoreTolerance: 1e-6, covarianceTolerance: 1e-6)
        }
    }

    /// The normal approximation against 2,000 bootstrap resamples of the comparisons (choix
    /// refits each): on sets of 1,500 to 3,000 comparisons whose neighbours are close enough
    /// that the probability is not 1, they agree to within 0.03 (the bootstrap's own standard
    /// error at p = 0.5 is 0.011).
    @Test func probabilityAboveNextMatchesABootstrap() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let sets = [(4, 10, 1500), (5, 12, 3000)].enumerated().map {
            Self.clips(seed: UInt64(30 + $0.offset), systems: $0.element.0, prompts: $0.element.1, count: $0.element.2, tieShare: 0, spread: 0.15)
        }
        let answers = try Self.reference(sets, model: .bt, ties: .halfWin, bootstrap: 2000)
        var between = 0
        for (set, ref) in zip(sets, answers) {
            let board = try Leaderboard.make(set.data, system: set.system, options: PairwiseOptions(ties: .halfWin)).get()
            let boot = try #require(ref.numbers("bootstrap_p"))
            for (row, b) in zip(board.rows, boot) {
                let p = try #require(try row.aboveNext?.get()).probabilityAbove
                #expect(abs(p - b) < 0.03, "normal \(p) vs bootstrap \(b)")
                if p < 0.97 { between += 1 }
            }
        }
        #expect(between >= 3, "too few uncertain neighbours to test the approximation")
    }

    /// The covariance built for the leaderboard and the fit's own intervals agree: its
    /// diagonal is each score's standard error squared, for every model and tie rule.
    @Test func covarianceDiagonalIsTheFitsVariance() throws {
        for (seed, options) in [(40, PairwiseOptions(ties: .halfWin)), (41, PairwiseOptions()), (42, PairwiseOptions(model: .thurstone))] {
            let set = Self.clips(seed: UInt64(seed), systems: 6, prompts: 6, count: 400, tieShare: 0.2)
            let board = try Leaderboard.make(set.data, system: set.system, options: options).get()
            for item in board.result.items {
                let se = try #require(item.standardError)
                let variance = try #require(board.covariance?.covariance(item.item, item.item))
                #expect(abs(variance - se * se) < 1e-9, "\(options.model) \(options.ties): \(variance) vs \(se * se)")
            }
        }
    }
}
