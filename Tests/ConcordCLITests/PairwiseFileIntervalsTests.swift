import Foundation
import Testing

/// `concord pairwise FILE` on a group beyond the exact size (docs/pairwise.md "Intervals"):
/// every item still has an interval, and the output says it is the approximation.
@Suite struct PairwiseFileIntervalsTests {
    /// 1,200 items in a ring (item k beats k + 1, loses to k + 2, beats k + 3, all mod 1,200):
    /// one strongly connected group of more than 1,000 items.
    static let csv: String = {
        let n = 1200
        var rows = ["rater,a,b,winner"]
        for k in 0..<n {
            rows.append("r\(k % 7),i\(k),i\((k + 1) % n),i\(k)")
            rows.append("r\(k % 5),i\(k),i\((k + 2) % n),i\((k + 2) % n)")
            rows.append("r\(k % 3),i\(k),i\((k + 3) % n),i\(k)")
        }
        return rows.joined(separator: "\n") + "\n"
    }()

    @Test func aLargeGroupHasApproximateIntervalsAndSaysSo() throws {
        let file = try CLI.temporaryFile(Self.csv, name: "ring.csv")
        let json = try CLI.json(try CLI.run(["pairwise", file, "--format", "json"]).stdout)
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.count == 1200)
        #expect(items.allSatisfy { $0["interval"] as? String == "approximate" && ($0["ci95"] as? [Double])?.count == 2 })
        let text = try CLI.run(["pairwise", file])
        #expect(text.status == 0 && text.stdout.contains("approximate interval (a large group: docs/pairwise.md, Intervals)"))
        let small = try CLI.json(try CLI.run(["pairwise", try CLI.temporaryFile("rater,a,b,winner\nr,x,y,x\nr,y,z,y\nr,z,x,z\n", name: "abc.csv"), "--format", "json"]).stdout)
        #expect((small["items"] as? [[String: Any]])?.allSatisfy { $0["interval"] as? String == "exact" } == true)
    }
}
