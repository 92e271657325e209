@testable import Interchange
import Testing

/// The ways `ReliabilityCSV.parse` finds rows — the RFC 4180 tokenizer, the quote-free
/// scanner, and the quote-free scanner in two chunks on two threads — give the same result
/// (names in order of first appearance, ids, lines) and the same first error, with the same
/// message, wherever the chunks are split. The tokenizer is the reference.
@Suite struct ReliabilityReadingTests {
    /// Every field the parse fills, as one comparable value.
    struct Parsed: Equatable {
        var units, raters, values, contents: [String]
        var ratings: [[Int32]], ratingLines: [Int32], empty: [[Int32]], emptyLines: [Int32]
        var firstLineOfLabel: [Int32], contentOfUnit: [Int32], contentLineOfUnit: [Int32]
    }

    enum Outcome: Equatable {
        case parsed(Parsed)
        case refused(String)
    }

    static func read(_ text: String, _ reading: ReliabilityCSV.Reading, readContent: Bool = true) -> Outcome {
        let bytes = Array(text.utf8)
        do {
            let csv = try bytes.withUnsafeBufferPointer {
                try ReliabilityCSV.parse($0, name: "t.csv", readContent: readContent, reading: reading)
            }
            return .parsed(Parsed(units: csv.unitNames, raters: csv.raterNames, values: csv.valueLabels, contents: csv.contentNames,
                                  ratings: csv.ratings.map { [$0.unit, $0.rater, $0.category] }, ratingLines: csv.ratingLines,
                                  empty: csv.emptyCells.map { [$0.unit, $0.rater] }, emptyLines: csv.emptyCellLines,
                                  firstLineOfLabel: csv.firstLineOfLabel, contentOfUnit: csv.contentOfUnit,
                                  contentLineOfUnit: csv.contentLineOfUnit))
        } catch let error as InputError {
            return .refused(error.message)
        } catch {
            return .refused("not an InputError: \(error)")
        }
    }

    /// The tokenizer's outcome, after checking that the scanner and every split give it.
    @discardableResult
    static func same(_ text: String, readContent: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) -> Outcome {
        let reference = read(text, .tokenizer, readContent: readContent)
        #expect(read(text, .unquoted, readContent: readContent) == reference, "one thread: \(text.debugDescription)",
                sourceLocation: sourceLocation)
        for near in 0...text.utf8.count {
            let chunked = read(text, .chunks(near: near), readContent: readContent)
            #expect(chunked == reference, "split near byte \(near) of \(text.debugDescription)", sourceLocation: sourceLocation)
            if chunked != reference { break }
        }
        #expect(read(text, .fastest, readContent: readContent) == reference, sourceLocation: sourceLocation)
        return reference
    }

    @Test func chunksGiveTheOneThreadNamesIdsAndLines() {
        let text = "unit,rater,value,content\nu1,ann,3,s1\n\nu2,bob,,s2\r\nu1,bob,4,s1\n  \nu3 , cy,5 ,s1\nu2,ann,3,s2\n"
        guard case .parsed(let p) = Self.same(text) else { Issue.record("refused"); return }
        #expect(p.units == ["u1", "u2", "u3"] && p.raters == ["ann", "bob", "cy"] && p.values == ["3", "4", "5"])
        #expect(p.ratings == [[0, 0, 0], [0, 1, 1], [2, 2, 2], [1, 0, 0]] && p.ratingLines == [2, 5, 7, 8])
        #expect(p.empty == [[1, 1]] && p.emptyLines == [4])
        #expect(p.firstLineOfLabel == [2, 5, 7])
        #expect(p.contents == ["s1", "s2"] && p.contentOfUnit == [0, 1, 0] && p.contentLineOfUnit == [2, 4, 7])
    }

    /// Names longer than a word, names sharing their first eight bytes, and a last field
    /// ending at the very end of the bytes (no line break): the interner's word compare.
    @Test func longAndSharedPrefixNamesAtTheEndOfTheBytes() {
        let text = "unit,rater,value\nclip-0001-long-name,rater-000000001,4\nclip-0001-long-namf,rater-000000002,5\n"
            + "clip-0001-long-name,rater-000000002,1\nclip-0001,rater-000000001,2\nclip-0001-long-namf,r,12345678\nclip-0001,r,1234567"
        guard case .parsed(let p) = Self.same(text) else { Issue.record("refused"); return }
        #expect(p.units == ["clip-0001-long-name", "clip-0001-long-namf", "clip-0001"])
        #expect(p.raters == ["rater-000000001", "rater-000000002", "r"])
        #expect(p.values == ["4", "5", "1", "2", "12345678", "1234567"])
        #expect(p.ratings.map { $0[0] } == [0, 1, 0, 2, 1, 2])
    }

    @Test func aProblemInTheSecondChunkHasItsWholeFileLine() {
        let head = "unit,rater,value,content\n" + (1...6).map { "u\($0),ann,3,s\($0)\n" }.joined()
        #expect(Self.same(head + "u7,ann,3\n") == .refused("t.csv:8: expected 4 fields as in the header, found 3"))
        #expect(Self.same(head + " ,ann,3,s\n") == .refused("t.csv:8: the unit is empty; every row needs a unit"))
        #expect(Self.same(head + "u7,ann,3,\n")
                == .refused("t.csv:8: the content is empty; give every row the source its unit was made from, or leave out the content column"))
        #expect(Self.same(head + "u7,,3,s\n") == .refused("t.csv:8: the rater is empty; every row needs a rater"))
    }

    /// A unit's content is checked against the whole file: a conflict across the split names
    /// the first chunk's line, and is met before a problem later on, or on the same row.
    @Test func contentConflictsAcrossTheSplit() {
        let head = "unit,rater,value,content\nu1,ann,3,s1\nu2,ann,3,s2\nu3,ann,4,s3\n"
        #expect(Self.same(head + "u4,bob,1,s4\nu2,bob,2,s9\nu5,,3,s5\n")
                == .refused("t.csv:6: unit 'u2' has the content 's9' here but 's2' at line 3; a unit is made from one content"))
        // The same row's empty rater comes after its content.
        #expect(Self.same(head + "u4,bob,1,s4\nu2,,2,s9\n")
                == .refused("t.csv:6: unit 'u2' has the content 's9' here but 's2' at line 3; a unit is made from one content"))
        // A problem before the conflict is the first.
        #expect(Self.same(head + "u4,,1,s4\nu2,bob,2,s9\n") == .refused("t.csv:5: the rater is empty; every row needs a rater"))
        // Agreeing with the first chunk, then conflicting within the second: the first line of all.
        #expect(Self.same(head + "u4,bob,1,s4\nu2,bob,2,s2\nu2,cy,2,s7\n")
                == .refused("t.csv:7: unit 'u2' has the content 's7' here but 's2' at line 3; a unit is made from one content"))
        // Without reading contents there is nothing to conflict.
        guard case .parsed = Self.same(head + "u2,bob,2,s9\n", readContent: false) else { Issue.record("refused"); return }
    }

    @Test func theFirstChunksProblemComesFirst() {
        let text = "unit,rater,value\nu1,ann,3\nu2,ann\nu3,ann,3\nu4,ann,3\nu5,,3\nu6,ann,3\n"
        #expect(Self.same(text) == .refused("t.csv:3: expected 3 fields as in the header, found 2"))
    }

    /// Seeded random quote-free files: spaces, tabs, CRLF, blank lines, empty values, repeated
    /// and long names, extra columns, sometimes a bad row; every split gives the tokenizer's.
    @Test func randomQuoteFreeFilesReadAlike() {
        var random = Mix(state: 0x5EED)
        let names = ["a", "b", "u12345678", "u12345679", "clip-with-a-long-name", "c ", "\tx", "é", "日本"]
        for _ in 0..<60 {
            let columns = ["unit", "rater", "value", "content", "extra"].shuffled(using: &random)
                .prefix(random.next() % 2 == 0 ? 3 : 5)
            if !columns.contains("unit") || !columns.contains("rater") || !columns.contains("value") { continue }
            var text = (random.next() % 4 == 0 ? "\u{FEFF}" : "") + columns.joined(separator: ",") + "\n"
            for _ in 0..<(Int(random.next() % 14)) {
                if random.next() % 9 == 0 { text += random.next() % 2 == 0 ? "\n" : " \t\r\n"; continue }
                var fields = columns.map { column -> String in
                    switch column {
                    case "value": random.next() % 5 == 0 ? "" : String(random.next() % 6)
                    case "content": "s" + String(random.next() % 3)
                    default: names[Int(random.next() % UInt64(names.count))]
                    }
                }
                if random.next() % 25 == 0 { fields.removeLast() }
                text += fields.joined(separator: ",") + (random.next() % 3 == 0 ? "\r\n" : "\n")
            }
            if random.next() % 3 == 0 { text.removeLast() }
            Self.same(text)
            Self.same(text, readContent: false)
        }
    }

    /// The UTF-8 check skips ASCII a word at a time and still names the line and byte.
    @Test func invalidUTF8AfterLongASCIIIsNamedByLineAndByte() {
        var bytes = Array("unit,rater,value\nu1,ann,3\nu2-long-enough-to-skip,".utf8) + [0xE2, 0x28] + Array(",3\n".utf8)
        var message = ""
        do { _ = try bytes.withUnsafeBufferPointer { try ReliabilityCSV.parse($0, name: "t.csv") } } catch let error as InputError {
            message = error.message
        } catch {}
        #expect(message == "t.csv:3: invalid UTF-8 (byte 0xE2 at byte 24 of the line); save the file as UTF-8")
        bytes = Array("unit,rater,value\n".utf8) + [0xF4, 0x90, 0x80, 0x80]
        let bad = bytes.withUnsafeBufferPointer { firstInvalidUTF8(in: $0) }
        #expect(bad?.line == 2 && bad?.column == 1 && bad?.byte == 0xF4)
    }

    /// SplitMix64 (Vigna), the generator the other seeded tests use.
    struct Mix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
