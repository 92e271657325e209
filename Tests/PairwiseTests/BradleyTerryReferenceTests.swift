import Foundation
import ReferenceTestSupport
import Testing
@testable import Pairwise

/// Bradley–Terry against sureal 0.9.0's BT_MLE (scores), its interval code with the `pp*2`
/// slip corrected (standard errors), choix's ilsr_pairwise, and scipy's Davidson fit, on
/// seeded random sets of different sizes, tied and untied, connected and not.
@Suite struct BradleyTerryReferenceTests {
    static let sets: [(items: Int, count: Int, ties: Double, blocks: Int)] = [
        (3, 30, 0, 1), (6, 80, 0, 1), (12, 300, 0, 2), (20, 600, 0.2, 1), (9, 15, 0, 1), (15, 400, 0.3, 3), (8, 12, 0.1, 2),
    ]

    static func data() -> [Comparisons] {
        sets.enumerated().map { PairwiseReference.random(seed: UInt64($0.offset), items: $0.element.items, count: $0.element.count, tieShare: $0.element.ties, blocks: $0.element.blocks) }
    }

    @Test func halfWinTiesEqualSureal() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let sets = Self.data()
        let answers = try PairwiseReference.run(sets, model: .bt, ties: .halfWin)
        var compared = 0, undefined = 0
        for (d, ref) in zip(sets, answers) {
            #expect(ref.error == nil)
            let r = Pairwise.fit(d, options: PairwiseOptions(model: .bt, ties: .halfWin))
            #expect(r.converged)
            let sureal = try #require(ref.numbers("sureal") ?? [Double?](repeating: nil, count: d.items.count))
            let se = ref.numbers("se"), choix = ref.numbers("choix"), reg = ref.numbers("regularised")
            for item in r.items {
                if let expected = sureal[item.item] {
                    let score = try #require(item.score)
                    #expect(abs(score - expected) < 1e-6, "item \(item.item): \(score) vs sureal \(expected)")
                    let s = try #require(item.standardError), e = try #require(se?[item.item])
                    #expect(abs(s - e) < 1e-6, "SE \(s) vs corrected sureal \(e)")
                    if let c = choix?[item.item] { #expect(abs(score - c) < 1e-6) }
                    compared += 1
                } else {
                    guard case .undefined(_, let regularised) = item.fit else { Issue.record("scored without ML"); continue }
                    let expected = try #require(reg?[item.item])
                    #expect(abs(try #require(regularised) - expected) < 1e-6)
                    undefined += 1
                }
            }
        }
        #expect(compared > 40 && undefined > 3)
    }

    @Test func davidsonTiesEqualScipy() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let sets = Self.data().filter { $0.outcome.contains(.tie) }
        let answers = try PairwiseReference.run(sets, model: .bt, ties: .davidson)
        var compared = 0
        for (d, ref) in zip(sets, answers) {
            let r = Pairwise.fit(d, options: PairwiseOptions(model: .bt, ties: .davidson))
            guard let scipy = ref.numbers("scipy"), let se = ref.numbers("scipy_se") else { continue }
            #expect(abs(try #require(r.nu) - (ref.fields["nu"] as? Double ?? .nan)) < 1e-5)
            for item in r.items {
                guard let expected = scipy[item.item] else { #expect(item.score == nil); continue }
                #expect(abs(try #require(item.score) - expected) < 1e-6)
                #expect(abs(try #require(item.standardError) - (se[item.item] ?? .nan)) < 1e-4, "\(item.standardError!) \(se[item.item]!)")
                compared += 1
            }
        }
        #expect(compared > 20)
    }
}
