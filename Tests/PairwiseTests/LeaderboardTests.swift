import Foundation
import Testing
@testable import Pairwise

/// The leaderboard and its probabilities worked by hand (docs/pairwise.md "Leaderboard").
@Suite struct LeaderboardTests {
    /// Clips x1, x2 of system X and y1, y2 of Y; `games` as (a, b, a wins).
    static func twoSystems(_ games: [(Int32, Int32, Bool)], system: [String?] = ["X", "X", "Y", "Y"]) -> (Comparisons, [String?]) {
        (Comparisons(items: ["x1", "x2", "y1", "y2"], raters: ["r"], rater: games.map { _ in 0 }, a: games.map(\.0),
                     b: games.map(\.1), outcome: games.map { $0.2 ? .a : .b }), system)
    }

    /// Two systems, X winning 30 and Y 10 of 40 cross-system comparisons (spread over their
    /// clips, either side of the pair). Bradley–Terry with two items has the closed form
    /// d = sX − sY = log(30/10) = log 3 = 1.0986122886681096, and the information of d is
    /// n·p(1 − p) with p = 3/4, so Var d = 1/(40·3/16) = 1/30 + 1/10, SE 0.3651483716701107;
    /// z = d/SE = 3.008673662279504, P(X above Y) = Φ(z) = 0.9986880460339543 (scipy's
    /// norm.cdf), and the one-sided 95% lower bound d − 1.6448536269514722·SE = 0.49799666515110375.
    @Test func twoSystemsInClosedForm() throws {
        var games = [(Int32, Int32, Bool)]()
        // X's 30 wins: x1 or x2 against y1 (a wins), y2 against x1 or x2 (b wins); Y's 10 likewise.
        for k in 0..<30 { games.append(k % 2 == 0 ? (Int32(k / 2 % 2), 2, true) : (3, Int32(k / 2 % 2), false)) }
        for k in 0..<10 { games.append(k % 2 == 0 ? (0, 3, false) : (2, 1, true)) }
        // Two same-system games and one with an untagged clip: left out and counted.
        games += [(0, 1, true), (2, 3, false)]
        var (data, system) = Self.twoSystems(games)
        data.items.append("z"); system.append(nil)
        data.rater.append(0); data.a.append(4); data.b.append(0); data.outcome.append(.a)
        let board = try Leaderboard.make(data, system: system, options: PairwiseOptions(ties: .halfWin)).get()
        #expect(board.systems == ["X", "Y"] && board.sameSystem == 2 && board.untagged == 1)
        #expect(board.data.count == 40 && board.result.items.map(\.wins) == [30, 10])
        #expect(board.rows.map(\.score.item) == [0, 1] && board.rows[0].next == 1 && board.rows[1].aboveNext == nil)
        let d = try board.difference("X", "Y").get()
        #expect(abs(d.estimate - 1.0986122886681096) < 1e-9)
        #expect(abs(d.standardError - 0.3651483716701107) < 1e-9)
        #expect(abs(d.probabilityAbove - 0.9986880460339543) < 1e-9)
        #expect(abs(d.lowerBound(confidence: 0.95) - 0.49799666515110375) < 1e-9)
        #expect(abs(d.winProbability - 0.75) < 1e-9)
        #expect(try board.rows[0].aboveNext?.get() == d)
        // The other way round: the same SE, the mirrored probability.
        let back = try board.difference("Y", "X").get()
        #expect(abs(back.probabilityAbove - (1 - 0.9986880460339543)) < 1e-9 && abs(back.standardError - d.standardError) < 1e-12)
    }

    /// 12 against 8 (d = log 1.5 = 0.4054651081081644, SE √(1/12 + 1/8) = 0.4564354645876384):
    /// P(above) = 0.8128182439324974, not sure at 95% (lower bound −0.3453044212880929) nor at
    /// 90% (−0.1794804761042006); the win probability is 12/20 = 0.6.
    @Test func aCloseRaceIsNotSure() throws {
        let games: [(Int32, Int32, Bool)] = (0..<20).map { (k: Int) -> (Int32, Int32, Bool) in (Int32(k % 2), Int32(2 + k % 2), k < 12) }
        let (data, system) = Self.twoSystems(games)
        let d = try Leaderboard.make(data, system: system).get().difference("X", "Y").get()
        #expect(abs(d.probabilityAbove - 0.8128182439324974) < 1e-9)
        #expect(abs(d.lowerBound(confidence: 0.95) - -0.3453044212880929) < 1e-9)
        #expect(abs(d.lowerBound(confidence: 0.9) - -0.1794804761042006) < 1e-9)
        #expect(abs(d.winProbability - 0.6) < 1e-9)
    }

    /// Three systems, each pair compared 12 times and split 6–6: every score is 0 and the
    /// information is the Laplacian of a triangle with weight w = 12·(1/2)(1/2) = 3, whose
    /// pseudo-inverse is (I − J/3)/(3w): Var s = 2/27, Cov = −1/27, Var(s1 − s2) = 2/9, so
    /// P(above) = Φ(0) = 1/2 and the SE of a difference √(2/9).
    @Test func aBalancedTriangleHasTheLaplaciansPseudoInverse() throws {
        var a = [Int32](), b = [Int32](), o = [Comparisons.Outcome]()
        for (x, y) in [(0, 1), (1, 2), (0, 2)] { for k in 0..<12 { a.append(Int32(x)); b.append(Int32(y)); o.append(k < 6 ? .a : .b) } }
        let data = Comparisons(items: ["p", "q", "r"], raters: ["r"], rater: a.map { _ in 0 }, a: a, b: b, outcome: o)
        let board = try Leaderboard.make(data, system: ["P", "Q", "R"]).get()
        let c = try #require(board.covariance)
        #expect(abs(c.covariance(0, 0)! - 2.0 / 27) < 1e-12 && abs(c.covariance(0, 1)! - -1.0 / 27) < 1e-12)
        let d = try board.difference("P", "Q").get()
        #expect(abs(d.estimate) < 1e-12 && abs(d.standardError - (2.0 / 9).squareRoot()) < 1e-12)
        #expect(abs(d.probabilityAbove - 0.5) < 1e-9)
    }

    @Test func withoutSystemsThereIsNoLeaderboardAndItSaysWhy() {
        let (data, _) = Self.twoSystems([(0, 2, true), (1, 3, false), (0, 1, true)])
        func reason(_ system: [String?]) -> String? {
            if case .failure(let u) = Leaderboard.make(data, system: system) { return u.reason }
            return nil
        }
        #expect(reason([nil, nil, nil, nil]) == "no compared clip has a system: a leaderboard needs each clip's system")
        #expect(reason(["X", "X", "X", nil]) == "every tagged clip compared is of one system (X): a leaderboard needs two")
        // One comparison across systems (x2–y2) is enough for a leaderboard, if not for scores.
        #expect(reason(["X", "X", nil, "Y"]) == nil)
        #expect(reason(["X", "X", nil, nil]) == "every tagged clip compared is of one system (X): a leaderboard needs two")
        let sameOnly = Comparisons(items: ["x1", "x2", "y1", "y2"], raters: ["r"], rater: [0, 0], a: [0, 2], b: [1, 3], outcome: [.a, .b])
        if case .failure(let u) = Leaderboard.make(sameOnly, system: ["X", "X", "Y", "Y"]) {
            #expect(u.reason == "no comparison is between clips of two different systems (2 of the same system, 0 with an untagged clip)")
        } else { Issue.record("a leaderboard from same-system comparisons only") }
        // No answers at all: said so, not blamed on the tags.
        let none = Comparisons(items: ["x1", "y1"], raters: [], rater: [], a: [], b: [], outcome: [])
        if case .failure(let u) = Leaderboard.make(none, system: ["X", "Y"]) {
            #expect(u.reason == "no answers yet: nothing to rank")
        } else { Issue.record("a leaderboard without answers") }
    }

    /// A system that never loses has no ML score: the gate's difference says which and why;
    /// systems never linked (two groups) have no difference either.
    @Test func undefinedDifferencesSayWhy() throws {
        let (data, system) = Self.twoSystems([(0, 2, true), (1, 3, true), (0, 3, true)])
        let board = try Leaderboard.make(data, system: system).get()
        guard case .failure(let u) = board.difference("X", "Y") else { Issue.record("X scored"); return }
        #expect(u.reason.hasPrefix("X has no maximum-likelihood score: never loses (3 wins)"))
        guard case .failure(let missing) = board.difference("X", "W") else { Issue.record("W found"); return }
        #expect(missing.reason == "no comparison across systems involves W")
        // P beats Q 2–1, R beats S 2–1, and the two pairs never meet.
        let split = Comparisons(items: ["p", "q", "r", "s"], raters: ["r"], rater: [0, 0, 0, 0, 0, 0], a: [0, 0, 1, 2, 2, 3],
                                b: [1, 1, 0, 3, 3, 2], outcome: [.a, .a, .a, .a, .a, .a])
        let two = try Leaderboard.make(split, system: ["P", "Q", "R", "S"]).get()
        guard case .failure(let apart) = two.difference("P", "R") else { Issue.record("P and R linked"); return }
        #expect(apart.reason == "the two were never linked by comparisons (different groups): their scores are not on one scale")
        #expect(two.rows.map(\.score.item) == [0, 1, 2, 3] && two.rows.map(\.next) == [1, nil, 3, nil])
        #expect(abs((try two.rows[0].aboveNext?.get().estimate ?? 0) - log(2.0)) < 1e-9)
    }

    /// Φ⁻¹ against scipy's norm.ppf (to 1e-12): the gate's z for each confidence.
    @Test func normalQuantiles() {
        for (p, z) in [(0.95, 1.6448536269514722), (0.975, 1.959963984540054), (0.999, 3.090232306167813),
                       (1e-10, -6.361340902404056), (0.3, -0.5244005127080409), (0.5, 0)] {
            #expect(abs(StandardNormal.quantile(p) - z) < 1e-12, "\(p): \(StandardNormal.quantile(p)) vs \(z)")
            #expect(abs(StandardNormal.cdf(z) - p) < 1e-14)
        }
    }
}
