import Interchange
import Testing

/// The pairs CSV `concord pair add` reads, and the pair columns of the labels export
/// (docs/pairwise.md "Projects").
@Suite struct PairsCSVTests {
    static func parse(_ text: String) throws -> [PairsCSV.PairRow] {
        try Array(text.utf8).withUnsafeBufferPointer { try PairsCSV.parse($0, name: "pairs.csv") }
    }

    static func problem(_ text: String) -> String {
        do { _ = try parse(text); return "accepted" } catch { return "\(error)" }
    }

    @Test func columnsInAnyOrderAnEmptyGroupIsNone() throws {
        #expect(try Self.parse("\u{FEFF}group,note,clip_b,clip_a\r\ncat,x,m2.mp4,m1.mp4\r\n,y, \"m 4.mp4\" ,m3.mp4\r\n") == [
            PairsCSV.PairRow(line: 2, a: "m1.mp4", b: "m2.mp4", group: "cat"),
            PairsCSV.PairRow(line: 3, a: "m3.mp4", b: "m 4.mp4", group: nil),
        ])
        #expect(try Self.parse("clip_a,clip_b\nm1.mp4,m2.mp4") == [PairsCSV.PairRow(line: 2, a: "m1.mp4", b: "m2.mp4", group: nil)])
    }

    @Test func everyProblemNamesItsLine() {
        #expect(Self.problem("clip_a,b\nm1,m2\n") == "pairs.csv:1: the header lacks clip_b; the first row must name the columns clip_a,clip_b (and optionally group)")
        #expect(Self.problem("clip_a,clip_b\nm1,m2\n,m3\n") == "pairs.csv:3: clip_a is empty; every row names the two clips of a pair")
        #expect(Self.problem("clip_a,clip_b\nm1,\"m2\n") == "pairs.csv:2: a quoted field is never closed; add the closing '\"'")
        let latin1: [UInt8] = Array("clip_a,clip_b\nm1,".utf8) + [0xFF, 0x0A]
        #expect(throws: InputError.self) { try latin1.withUnsafeBufferPointer { try PairsCSV.parse($0, name: "pairs.csv") } }
        do { _ = try latin1.withUnsafeBufferPointer { try PairsCSV.parse($0, name: "pairs.csv") } } catch {
            #expect("\(error)" == "pairs.csv:2: not UTF-8 text (byte 0xff at column 4); save the file as UTF-8")
        }
        #expect(Self.problem("") == "pairs.csv: empty file; give a CSV with the header clip_a,clip_b[,group] and one pair per row")
        #expect(Self.problem("clip_a,clip_b\n") == "pairs.csv: no pairs after the header; add rows clip_a,clip_b[,group]")
    }

    struct Label: ExportableLabel {
        var clip = "m1.mp4", rater = "ann", criterion = "motion", value = "a"
        var frame: Int? = nil
        var submittedAt = "2026-03-04T05:06:07.000Z", batch = "pv"
        var item: Int64 = 5
        var rubricHash = "h", revision = 1
        var pts: Double? = nil, dwellMs: Int? = 900, watchedShare: Double? = nil
        var display: String? = nil, displaySize: String? = nil, colors: String? = nil, speeds: String? = nil
        var clipB: String? = "m3.mp4", left: String? = "b"
    }

    @Test func theExportAddsClipBAndLeftOnlyWhenItHasAPair() {
        let header = LabelsCSV.exportColumns.joined(separator: ",")
        let single = Label(clipB: nil, left: nil)
        #expect(LabelsCSV.render([single]) == header + "\nm1.mp4,ann,motion,a,,2026-03-04T05:06:07.000Z,pv,5,h,1,,900,,,,,,,\n")
        #expect(LabelsCSV.render([Label(), Label(clip: "m2.mp4", left: nil), single]) == header + ",clip_b,left\n"
            + "m1.mp4,ann,motion,a,,2026-03-04T05:06:07.000Z,pv,5,h,1,,900,,,,,,,,m3.mp4,b\n"
            + "m2.mp4,ann,motion,a,,2026-03-04T05:06:07.000Z,pv,5,h,1,,900,,,,,,,,m3.mp4,\n"
            + "m1.mp4,ann,motion,a,,2026-03-04T05:06:07.000Z,pv,5,h,1,,900,,,,,,,,,\n")
        let lines = LabelsCSV.renderJSONL([Label(), single]).split(separator: "\n")
        #expect(lines[0].hasSuffix("\"confidence\": null, \"sample\": null, \"clip_b\": \"m3.mp4\", \"left\": \"b\"}"))
        #expect(lines[1].hasSuffix("\"confidence\": null, \"sample\": null}"))
    }
}
