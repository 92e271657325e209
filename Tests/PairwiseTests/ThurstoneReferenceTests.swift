import Foundation
import ReferenceTestSupport
import Testing
@testable import Pairwise

/// Thurstone Case V against sureal 0.9.0's THURSTONE_MLE and an independent scipy BFGS fit
/// with the exact observed information, on seeded random sets (tied and untied, connected
/// and not). sureal's SLSQP stops at ftol 1e-8 with a 1e-8/M guard inside the log, so its
/// scores are compared to 2e-5 (6.3e-6 apart at worst on these sets); the tight reference is scipy's (docs/pairwise.md).
@Suite struct ThurstoneReferenceTests {
    @Test func equalsSurealAndScipy() throws {
        try #require(ReferenceScript.pythonExists, "python missing")
        let sets = BradleyTerryReferenceTests.data()
        let answers = try PairwiseReference.run(sets, model: .thurstone, ties: .halfWin)
        var compared = 0, worstSureal = 0.0
        for (d, ref) in zip(sets, answers) {
            #expect(ref.error == nil, "\(ref.error ?? "")")
            let r = Pairwise.fit(d, options: PairwiseOptions(model: .thurstone))
            #expect(r.converged)
            let sureal = ref.numbers("sureal") ?? [], scipy = ref.numbers("scipy") ?? [], se = ref.numbers("scipy_se") ?? []
            for item in r.items {
                guard item.item < scipy.count, let expected = scipy[item.item] else { #expect(item.score == nil); continue }
                let score = try #require(item.score)
                #expect(abs(score - expected) < 1e-6, "item \(item.item): \(score) vs scipy \(expected)")
                #expect(abs(try #require(item.standardError) - (se[item.item] ?? .nan)) < 1e-6)
                worstSureal = max(worstSureal, abs(score - (sureal[item.item] ?? .nan)))
                compared += 1
            }
        }
        #expect(compared > 40)
        #expect(worstSureal < 2e-5, "sureal differs by \(worstSureal)")
    }
}
