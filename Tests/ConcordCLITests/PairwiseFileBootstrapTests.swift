import Foundation
import Testing

/// `concord pairwise FILE --bootstrap N --seed S` (docs/pairwise.md "Bootstrap"): percentile
/// intervals from resampling raters beside the Fisher ones, the same for a seed.
@Suite struct PairwiseFileBootstrapTests {
    /// Two raters who disagree (r0 prefers x 3–1, r1 prefers y 3–1): a resample holds r0 twice,
    /// both once or r1 twice, so x's half-win score is log 3 / 2, 0 or −log 3 / 2 and, with 200
    /// resamples, the interval runs from one extreme to the other.
    static let csv = "rater,a,b,winner\n" + ["r0,x,y,x", "r0,x,y,x", "r0,x,y,x", "r0,x,y,y", "r1,x,y,x", "r1,x,y,y", "r1,x,y,y", "r1,x,y,y"].joined(separator: "\n") + "\n"

    @Test func jsonCarriesBootstrap95ForEveryItem() throws {
        let file = try CLI.temporaryFile(Self.csv, name: "pairs.csv")
        let result = try CLI.run(["pairwise", file, "--ties", "half-win", "--bootstrap", "200", "--seed", "7", "--format", "json"])
        #expect(result.status == 0 && result.stderr.isEmpty)
        let json = try CLI.json(result.stdout)
        let items = try #require(json["items"] as? [[String: Any]])
        let x = try #require(items.first { $0["item"] as? String == "x" }?["bootstrap95"] as? [Double])
        #expect(abs(x[0] + log(3) / 2) < 1e-9 && abs(x[1] - log(3) / 2) < 1e-9)
        #expect(items.allSatisfy { $0["bootstrap95"] is [Double] })
        let again = try CLI.run(["pairwise", file, "--ties", "half-win", "--bootstrap", "200", "--seed", "7", "--format", "json"])
        #expect(again.stdout == result.stdout)
    }

    @Test func aBadCountIsOneLine() throws {
        let file = try CLI.temporaryFile(Self.csv, name: "pairs.csv")
        for n in ["0", "100001"] {
            let result = try CLI.run(["pairwise", file, "--bootstrap", n])
            #expect(result.status == 2 && result.stdout.isEmpty)
            #expect(result.stderr == "concord: --bootstrap must be between 1 and 100000; got \(n)\n")
        }
    }
}
