@testable import Interchange
import OpinionScores
import Testing

/// The one-step read of a reliability CSV into opinion scores (`ReliabilityCSV.opinionData(_:name:)`,
/// what `concord mos FILE` runs) against the parse and `opinionData(name:)` it stands in
/// for: the same names, cells, contents and left-out counts on one thread and split into
/// two chunks at every byte; a file with a problem goes to the parse, so the error is the
/// same line and message.
@Suite struct OpinionMatrixTests {
    /// Everything the read gives, as one comparable value (NaN cells as nil).
    struct Read: Equatable {
        var units: [String], raters: [String], cells: [Double?], contents: [String], contentOfUnit: [Int]
        var leftOutUnits: Int, leftOutRaters: Int
    }

    enum Outcome: Equatable {
        case read(Read)
        case refused(String)
    }

    static func outcome(_ body: () throws -> (data: OpinionData, leftOut: (units: Int, raters: Int))) -> Outcome {
        do {
            let (data, leftOut) = try body()
            return .read(Read(units: data.unitNames, raters: data.raterNames, cells: data.scores.map { $0.isNaN ? nil : $0 },
                              contents: data.contentNames, contentOfUnit: data.contentOfUnit,
                              leftOutUnits: leftOut.units, leftOutRaters: leftOut.raters))
        } catch let error as InputError {
            return .refused(error.message)
        } catch {
            return .refused("not an InputError: \(error)")
        }
    }

    /// The parse and `opinionData(name:)`: the reference.
    static func parsed(_ text: String) -> Outcome { parsed(Array(text.utf8)) }

    static func parsed(_ bytes: [UInt8]) -> Outcome {
        outcome {
            try bytes.withUnsafeBufferPointer { try ReliabilityCSV.parse($0, name: "t.csv", readContent: true) }.opinionData(name: "t.csv")
        }
    }

    static func oneStep(_ text: String, split: Int?) -> Outcome { oneStep(Array(text.utf8), split: split) }

    static func oneStep(_ bytes: [UInt8], split: Int?) -> Outcome {
        outcome { try bytes.withUnsafeBufferPointer { try ReliabilityCSV.opinionData($0, name: "t.csv", split: split) } }
    }

    /// Whether the one-step matrix reads `text` itself (true) or leaves it to the parse.
    static func readsItself(_ text: String, split: Int? = 0) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { OpinionMatrix.read($0, split: split) != nil }
    }

    /// The reference outcome, after checking that one thread and every split give it.
    @discardableResult
    static func same(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Outcome {
        same(Array(text.utf8), sourceLocation: sourceLocation)
    }

    @discardableResult
    static func same(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Outcome {
        let reference = parsed(bytes), shown = String(decoding: bytes, as: UTF8.self).debugDescription
        #expect(oneStep(bytes, split: 0) == reference, "one thread: \(shown)", sourceLocation: sourceLocation)
        #expect(oneStep(bytes, split: nil) == reference, sourceLocation: sourceLocation)
        for near in 1...max(1, bytes.count) {
            let chunked = oneStep(bytes, split: near)
            #expect(chunked == reference, "split near byte \(near) of \(shown)", sourceLocation: sourceLocation)
            if chunked != reference { break }
        }
        return reference
    }

    @Test func cellsNamesAndContentsByFirstAppearance() {
        let text = "unit,rater,value,content\nu1,ann,3,s1\n\nu2,bob,,s2\r\nu1,bob,4.5,s1\n  \nu3 , cy,5 ,s1\nu2,ann,1,s2\nu3,ann,2,s1\n"
        #expect(Self.readsItself(text))
        guard case .read(let r) = Self.same(text) else { Issue.record("refused"); return }
        #expect(r.units == ["u1", "u2", "u3"] && r.raters == ["ann", "bob", "cy"])
        // Row-major units × raters; u2's row has bob's empty value as a missing cell.
        #expect(r.cells == [3, 4.5, nil, 1, nil, nil, 2, nil, 5])
        #expect(r.contents == ["s1", "s2"] && r.contentOfUnit == [0, 1, 0])
        #expect(r.leftOutUnits == 0 && r.leftOutRaters == 0)
    }

    @Test func noContentColumnMakesEveryUnitItsOwnContent() {
        let text = "value,rater,unit\n5, bob ,b\n2,ann,a\n 3.5 ,ann,b\n1e0,cy,a\n,cy,b"
        #expect(Self.readsItself(text))
        guard case .read(let r) = Self.same(text) else { Issue.record("refused"); return }
        #expect(r.units == ["b", "a"] && r.raters == ["bob", "ann", "cy"])
        #expect(r.cells == [5, 3.5, nil, nil, 2, 1])
        #expect(r.contents == ["b", "a"] && r.contentOfUnit == [0, 1])
    }

    @Test func unitsAndRatersWithoutARatingAreLeftOutAndCounted() {
        let text = "unit,rater,value,content\nu1,ann,3,s1\nu2,ann,,s2\nu1,bob,4,s1\nu3,bob,1,s3\nu3,cy,,s3\n"
        guard case .read(let r) = Self.same(text) else { Issue.record("refused"); return }
        #expect(r.units == ["u1", "u3"] && r.raters == ["ann", "bob"])
        #expect(r.cells == [3, 4, nil, 1])
        #expect(r.contents == ["s1", "s3"] && r.contentOfUnit == [0, 1])
        #expect(r.leftOutUnits == 1 && r.leftOutRaters == 1)
    }

    /// Names longer than a word, names sharing their first eight bytes, a unit repeated
    /// after others (not the last row's), and a last field at the very end of the bytes.
    @Test func longSharedPrefixAndReturningNames() {
        let text = "unit,rater,value\nclip-0001-long-name,rater-000000001,4\nclip-0001-long-namf,rater-000000002,5\n"
            + "clip-0001-long-name,rater-000000002,1\nclip-0001,rater-000000001,2\nclip-0001-long-namf,r,12\nclip-0001,r,7"
        #expect(Self.readsItself(text))
        guard case .read(let r) = Self.same(text) else { Issue.record("refused"); return }
        #expect(r.units == ["clip-0001-long-name", "clip-0001-long-namf", "clip-0001"])
        #expect(r.raters == ["rater-000000001", "rater-000000002", "r"])
        #expect(r.cells == [4, 1, nil, nil, 5, 12, 2, nil, 7])
    }

    /// Files the one-step read leaves to the parse, which reads them: quotes, a byte order
    /// mark is read by both; non-ASCII names.
    @Test func quotedFieldsBOMAndNonASCIINames() {
        let quoted = "unit,rater,value\n\"u,1\",ann,3\n\"u,1\",\"b\"\"ob\",4\nu2,ann,\"5\"\n"
        #expect(!Self.readsItself(quoted))
        guard case .read(let q) = Self.same(quoted) else { Issue.record("refused"); return }
        #expect(q.units == ["u,1", "u2"] && q.raters == ["ann", "b\"ob"] && q.cells == [3, 4, 5, nil])
        let bom = "\u{FEFF}unit,rater,value\nu1,ann,3\nu1,bob,4\n"
        #expect(Self.readsItself(bom))
        guard case .read(let b) = Self.same(bom) else { Issue.record("refused"); return }
        #expect(b.units == ["u1"] && b.cells == [3, 4])
        let accents = "unit,rater,value\nclé,anné,3\nclé,böb,4\n"
        #expect(Self.readsItself(accents))
        guard case .read(let a) = Self.same(accents) else { Issue.record("refused"); return }
        #expect(a.units == ["clé"] && a.raters == ["anné", "böb"])
    }

    @Test func problemsAreTheParsesWithTheirLines() {
        let cases: [(String, String)] = [
            ("", "t.csv: the file is empty; expected a header line 'unit,rater,value' and one row per rating"),
            (" \n\r\n", "t.csv: the file is empty; expected a header line 'unit,rater,value' and one row per rating"),
            ("unit,rater,value\n", "t.csv: only a header, no ratings; add one row per rating (unit,rater,value) under it"),
            ("unit,rater,value\nu1,ann,\nu1,bob,\n", "t.csv: every value is empty, so there is no rating to score; fill in the value column"),
            ("unit,value\nu1,3\n", "t.csv:1: missing column 'rater'; the header must name the columns unit, rater and value (found 'unit,value')"),
            ("unit,rater,value\nu1,ann,3\nu1,bob,x\nu2,ann,y\n",
             "t.csv:3: the value 'x' is not a number; opinion scores need numbers (a 1–5 or 0–100 scale), so correct the row"),
            ("unit,rater,value\nu1,ann,3\nu2,ann,4\nu1,ann,\n",
             "t.csv:4: unit 'u1' is rated twice by rater 'ann' (first at line 2); keep one row per unit and rater"),
            ("unit,rater,value\r\nu1,ann,3\r\nu1,bob,4\r\nu1,bob,5\r\n",
             "t.csv:4: unit 'u1' is rated twice by rater 'bob' (first at line 3); keep one row per unit and rater"),
            ("unit,rater,value\nu1,ann,3\nu1,ann\n", "t.csv:3: expected 3 fields as in the header, found 2"),
            ("unit,rater,value\nu1,ann,3\n ,bob,3\n", "t.csv:3: the unit is empty; every row needs a unit"),
            ("unit,rater,value\nu1,ann,3\nu1, ,3\n", "t.csv:3: the rater is empty; every row needs a rater"),
            ("unit,rater,value,content\nu1,ann,3,s1\nu1,bob,3,\n",
             "t.csv:3: the content is empty; give every row the source its unit was made from, or leave out the content column"),
            ("unit,rater,value,content\nu1,ann,3,s1\nu2,ann,3,s2\nu1,bob,3,s2\n",
             "t.csv:4: unit 'u1' has the content 's2' here but 's1' at line 2; a unit is made from one content"),
            ("unit,rater,value\nu1,ann,3\nu2,ann,4\n", "t.csv: every rating is by one rater ('ann'); opinion scores need ratings from at least 2 raters"),
            ("unit,rater,value\nu1,ann,\"3\nu1,bob,4\n", "t.csv:2: a quoted field is never closed; add the closing '\"'"),
        ]
        for (text, message) in cases {
            #expect(Self.same(text) == .refused(message), "\(text.debugDescription)")
        }
        // A byte that is no UTF-8 (0xFF), in the second chunk of a split.
        let invalid = Array("unit,rater,value\nu1,ann,3\nu1,b".utf8) + [0xFF] + Array("b,4\n".utf8)
        #expect(Self.same(invalid) == .refused("t.csv:3: invalid UTF-8 (byte 0xFF at byte 5 of the line); save the file as UTF-8"))
    }

    /// A problem after a fine first chunk: the parse's error names its whole-file line.
    @Test func aProblemInTheSecondChunkHasItsWholeFileLine() {
        let head = "unit,rater,value,content\n" + (1...6).map { "u\($0),ann,3,s\($0)\nu\($0),bob,4,s\($0)\n" }.joined()
        #expect(Self.same(head + "u2,cy,3,s9\n") == .refused("t.csv:14: unit 'u2' has the content 's9' here but 's2' at line 4; a unit is made from one content"))
        #expect(Self.same(head + "u3,bob,5,s3\n") == .refused("t.csv:14: unit 'u3' is rated twice by rater 'bob' (first at line 7); keep one row per unit and rater"))
        #expect(Self.same(head + "u7,cy,many,s7\n") == .refused("t.csv:14: the value 'many' is not a number; opinion scores need numbers (a 1–5 or 0–100 scale), so correct the row"))
    }

    /// Random files, sorted by unit as tools write them or shuffled, with missing values,
    /// blank lines, spaces, CRLF and a content column or none: the one-step read reads them
    /// itself and gives the parse's data at several splits.
    @Test func randomFilesGiveTheParsesData() {
        var rng = SplitMix(seed: 20)
        for round in 0..<40 {
            let units = 1 + Int(rng.next() % 30), raters = 2 + Int(rng.next() % 12)
            let withContent = rng.next() % 2 == 0, crlf = rng.next() % 4 == 0
            var rows: [String] = []
            for u in 0..<units {
                for r in 0..<raters where rng.next() % 5 != 0 {
                    let value = rng.next() % 6 == 0 ? "" : rng.next() % 3 == 0 ? "\(Double(rng.next() % 1000) / 10)" : "\(1 + rng.next() % 5)"
                    let unit = rng.next() % 7 == 0 ? " clip-\(u) " : "clip-\(u)"
                    rows.append("\(unit),rater\(r),\(value)" + (withContent ? ",src\(u / 3)" : ""))
                }
            }
            if rng.next() % 2 == 0 { rows.shuffle(using: &rng) }
            if rng.next() % 3 == 0 { rows.insert("", at: Int(rng.next() % UInt64(rows.count + 1))) }
            let header = withContent ? "unit,rater,value,content" : "unit,rater,value"
            let text = ([header] + rows).joined(separator: crlf ? "\r\n" : "\n") + (rng.next() % 2 == 0 ? "\n" : "")
            guard case .read = Self.parsed(text) else { continue }
            #expect(Self.readsItself(text), "round \(round)")
            let reference = Self.parsed(text)
            #expect(Self.oneStep(text, split: 0) == reference, "round \(round)")
            for near in stride(from: 1, to: text.utf8.count, by: max(1, text.utf8.count / 7)) {
                #expect(Self.oneStep(text, split: near) == reference, "round \(round), split near \(near)")
            }
        }
    }

    /// A small seeded generator, so a failing round can be rerun.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
