import Foundation
import Testing

/// `concord pairwise FILE|-` (docs/pairwise.md): scores with intervals in text, JSON and CSV,
/// items without an ML score named with the reason, and every bad input one line, exit 2.
@Suite struct PairwiseFileTests {
    /// x, y, z judged by three raters (one named "David R."), one tie, a `left` column.
    static let csv = "rater,a,b,winner,left\nDavid R.,x,y,x,a\nDavid R.,y,z,y,b\nann,x,z,z,a\nann,x,y,,b\nann,y,z,y,a\nbob,x,z,x,b\nbob,z,y,z,a\n"

    /// Davidson ties: scores, SEs and ν equal scipy's independent fit of the same 7 comparisons
    /// (Tests/Reference/pairwise_reference.py prints them: x 0.4014519230788043, y
    /// −0.05101251239962518, z −0.3504394106791791; SE of x 0.7515267015325852; ν 0.3440200575326001).
    @Test func jsonScoresEqualTheReference() throws {
        let result = try CLI.run(["pairwise", try CLI.temporaryFile(Self.csv, name: "pairs.csv"), "--format", "json"])
        #expect(result.status == 0 && result.stderr.isEmpty)
        let json = try CLI.json(result.stdout)
        #expect(json["model"] as? String == "bt" && json["ties"] as? String == "davidson")
        #expect(abs((json["nu"] as? Double ?? 0) - 0.3440200575326001) < 1e-6)
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.map { $0["item"] as? String } == ["x", "y", "z"])
        let expected = [0.4014519230788043, -0.05101251239962518, -0.3504394106791791]
        for (item, e) in zip(items, expected) { #expect(abs((item["score"] as? Double ?? .nan) - e) < 1e-6) }
        let ci = try #require(items[0]["ci95"] as? [Double])
        #expect(abs(ci[0] - (0.4014519230788043 - 1.959963984540054 * 0.7515267015325852)) < 1e-6)
        #expect(items.map { $0["wins"] as? Int } == [2, 2, 2] && items.map { $0["losses"] as? Int } == [1, 2, 3])
    }

    /// A never-losing item from standard input: text names it with the reason and a regularised score.
    @Test func neverLosesIsNamedInText() throws {
        let result = try CLI.run(["pairwise", "-", "--model", "thurstone"], stdin: "rater,a,b,winner\nr,x,y,x\nr,y,z,y\nr,x,z,x\n")
        #expect(result.status == 0)
        // Columns: item, score, interval, wins, losses, ties, group, note.
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        let x = try #require(rows.first { $0.first == "x" }, "\(result.stdout)")
        let z = try #require(rows.first { $0.first == "z" }, "\(result.stdout)")
        #expect(Array(x.prefix(6)) == ["x", "—", "—", "2", "0", "0"] && Array(z.prefix(6)) == ["z", "—", "—", "0", "2", "0"])
        #expect(result.stdout.contains("never loses (2 wins)") && result.stdout.contains("never wins (2 losses)"))
        #expect(result.stdout.contains("; regularised "))
        #expect(!result.stdout.split(separator: "\n").contains { $0.hasSuffix(" ") }, "trailing padding")
    }

    /// Half-win ties: x equals sureal BT_MLE's 0.34190779253747006 (sureal stops at a change of 1e-8).
    @Test func csvHasOneRowPerItem() throws {
        let result = try CLI.run(["pairwise", try CLI.temporaryFile(Self.csv, name: "pairs.csv"), "--format", "csv", "--ties", "half-win"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "item,score,se,ci95_low,ci95_high,wins,losses,ties,group,regularised,undefined")
        #expect(lines.count == 4 && lines[1].hasPrefix("x,0.341907"))
    }

    func expectRejected(_ csv: String, _ arguments: [String] = [], message: (String) -> String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try CLI.temporaryFile(csv, name: "pairs.csv")
        let result = try CLI.run(["pairwise", file] + arguments)
        #expect(result.status == 2, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr == "concord: \(message(file))\n", sourceLocation: sourceLocation)
    }

    @Test func badInputIsOneLine() throws {
        try expectRejected("") { "\($0): empty file; give a CSV with the header rater,a,b,winner and one comparison per row" }
        try expectRejected("rater,a,b,winner\n") { "\($0): no comparisons after the header; add rows rater,a,b,winner" }
        try expectRejected("rater,a,b\nr,x,y\n") { "\($0):1: the header lacks winner; the first row must name the columns rater,a,b,winner" }
        try expectRejected("rater,a,b,winner\nr,x,y,x\nr,x,y,w\n") {
            "\($0):3: winner 'w' is neither a ('x') nor b ('y'); repeat the winning item's name, or leave it empty for a tie"
        }
        try expectRejected("rater,a,b,winner\nr,x,x,x\n") { "\($0):2: a and b are the same item 'x'; a comparison needs two different items" }
        try expectRejected("rater,a,b,winner\nr,x,y,x\n", ["--model", "elo"]) { _ in "unknown model 'elo'; choose from: bt, thurstone" }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-pairs.csv").path
        let result = try CLI.run(["pairwise", missing])
        #expect(result.status == 2 && result.stderr == "concord: \(missing): cannot open: No such file or directory\n")
    }
}
