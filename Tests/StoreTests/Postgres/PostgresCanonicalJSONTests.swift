import Agreement
import Foundation
import JSONWriter
import PostgresClient
import PostgresTestSupport
import Rubric
@testable import Store
import Testing

/// `concord.canonical_json` spells a jsonb value byte for byte as `JSON.encode` writes it in
/// Swift (the SQLite store's audit payloads): key order by UTF-8 bytes, compact, the same
/// escapes, the same numbers; on hand-written values, generated awkward ones, Doubles put in
/// with `concord.json_double`, and every payload the write functions produce.
@Suite(.enabled(if: PostgresCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct PostgresCanonicalJSONTests {
    /// `concord.canonical_json($1::jsonb)` for each JSON text, as the superuser.
    static func canonical(_ project: InstalledProject, _ texts: [String]) throws -> [String?] {
        let connection = try project.connect()
        return try texts.map { try connection.execute("SELECT concord.canonical_json($1::jsonb)", [$0]).rows[0][0] }
    }

    @Test func handWrittenValues() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            // jsonb's own text of the first: {"item": 5, "rows": [{"last": 9, "first": 9, …}], …}.
            let cases: [(String, String)] = [
                (#"{"watched_share": 0.5, "rows": [{"table": "label", "first": 7, "last": 9, "digest": "ab"}], "item": 5, "written": 3}"#,
                 #"{"item":5,"rows":[{"digest":"ab","first":7,"last":9,"table":"label"}],"watched_share":0.5,"written":3}"#),
                (#"{"b": 1, "aa": 2, "": [], "e": {}, "n": null, "t": true, "f": false}"#, #"{"":[],"aa":2,"b":1,"e":{},"f":false,"n":null,"t":true}"#),
                (#"{"\uff61": 1, "\ud83d\ude00": 2, "\u00e9": 3, "z": 4}"#, "{\"z\":4,\"é\":3,\"｡\":1,\"😀\":2}"),
                (#"["a\u0008b\u000cc\u007fd\u0085e\u202ef\u2069g", "\"\\\n\r\t\u0001\u001f", "é😀\u2028"]"#,
                 #"["a\u0008b\u000cc\u007fd\u0085e\u202ef\u2069g","\"\\\n\r\t\u0001\u001f","é😀"# + "\u{2028}\"]"),
                (#"[1.0, 0.5, 0.0000001, 0.0001, 123456789012345.6, 9007199254740993, -9223372036854775808, -2.50]"#,
                 #"[1.0,0.5,1e-07,0.0001,123456789012345.6,9007199254740993,-9223372036854775808,-2.5]"#),
                // A backslash before b or f takes the careful path: the same text.
                (#"{"b\\f": "a\\b.c", "a": 1.5}"#, #"{"a":1.5,"b\\f":"a\\b.c"}"#),
                (#""a\u007f""#, #""a\u007f""#), ("7", "7"), ("2.0", "2.0"), ("null", "null"), ("[[[]]]", "[[[]]]"),
            ]
            #expect(try Self.canonical(project, cases.map(\.0)) == cases.map(\.1))
            // The owner's helpers: no group role calls them (audit_append does, as the owner).
            for function in ["canonical_json(jsonb)", "canonical_json_plain(jsonb)", "canonical_json_escaped(jsonb)",
                             "canonical_json_string(text)", "json_double(double precision)"] {
                for role in Role.allCases {
                    #expect(try project.column("SELECT has_function_privilege($1, $2, 'EXECUTE')",
                                               [PostgresSchema.roleName(role.rawValue, database: project.database), "concord.\(function)"]) == ["f"])
                }
            }
        }
    }

    @Test func generatedValuesAsTheSwiftWriterSpellsThem() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            var random = SplitMix64(state: 16)
            let values = (0..<400).map { _ in Self.value(depth: 0, &random) }
            let swift = values.map { JSON.encode($0) }
            let database = try Self.canonical(project, swift)
            for (s, d) in zip(swift, database) {
                #expect(d == s)
            }
            // The generator reached what it is for.
            let all = swift.joined()
            for piece in [#"\u0008"#, #"\u000c"#, #"\u007f"#, #"\u0085"#, #"\u202e"#, "😀", "e-", ".0,", "9007199254740993", "{}", "[]", "null"] {
                #expect(all.contains(piece), "no \(piece) generated")
            }
        }
    }

    /// A Double goes into a payload through `json_double` (bare float8 would lose "1.0"'s
    /// fraction in jsonb), and comes out as Swift's description of it, beyond 2^53 too.
    @Test func doublesThroughJSONDouble() throws {
        try PostgresCluster.with { cluster in
            let project = try InstalledProject.install(cluster)
            let connection = try project.connect()
            let doubles: [Double] = [0.5, 1, 0, 2, 1e-7, 1e-4, 1e-5, 2.5e-5, 0.1, 1.0 / 3, 0.30000000000000004, 123456789012345.6,
                                     1e15, 1e16, 9007199254740992, 9007199254740994, 1000000000000000.5, 5e-324, 1.7976931348623157e308,
                                     -1, -0.75, -1e-300, 4503599627370496.5, 0.75, 100]
            for d in doubles {
                let text = try connection.execute("SELECT concord.canonical_json(jsonb_build_object('x', concord.json_double($1::float8)))",
                                                  ["\(d)"]).rows[0][0]
                #expect(text == JSON.encode(["x": d]), "\(d)")
            }
            // What jsonb cannot hold: negative zero (numeric has none) and non-finite numbers
            // (written as null, as JSON.encode writes them).
            let limits = try connection.execute("""
                SELECT concord.canonical_json(jsonb_build_array(concord.json_double('-0'), concord.json_double('NaN'),
                                                                concord.json_double('-Infinity'), concord.json_double(NULL)))
                """).rows[0][0]
            #expect(limits == "[0.0,null,null,null]")
            #expect(JSON.encode([-0.0, Double.nan, -Double.infinity, NSNull()]) == "[-0.0,null,null,null]")
        }
    }

    // MARK: - Every payload the write functions produce

    /// The audit payloads of the same writes on each store: on SQLite as Swift wrote them, on
    /// PostgreSQL through canonical_json. Row digests (which cover times) become HEX.
    static func payloads(_ kind: StoreKind) throws -> [String] {
        let project = try TestProject.demo(kind)
        let admin = project.admin
        try project.addRater("Zoe", role: .rater)
        try project.addRater("lee", role: .lead)
        try project.addRater("alice", role: .lead)   // a role change: previous_role
        try project.addRater("alice", role: .rater)
        _ = try admin.assign(batch: "b", raters: ["Zoe"], overlap: nil, goldRate: nil)
        let alice = try project.session("alice"), bob = try project.session("bob"), zoe = try project.session("Zoe")
        let lead = try project.session("lee")
        _ = try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "low"], frame: 2, pts: 0.08,
                                                dwellMs: 900, watchedShare: 0.75))
        _ = try bob.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: nil, pts: nil, dwellMs: nil, watchedShare: 1e-7))
        _ = try zoe.submitItem(ItemSubmission(item: 1, answers: ["present": "yes", "severity": "high"], frame: 1, pts: 0.04, dwellMs: 10, watchedShare: 0.5))
        _ = try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 3, pts: 0.12, dwellMs: 100, watchedShare: 0.25))
        _ = try project.session("admin", actingAs: "bob").submitItem(
            ItemSubmission(item: 2, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 0.5))
        try alice.markItem(2, kind: .flag, note: "too dark \"q\" \\ é 😀")
        try zoe.markItem(2, kind: .skip, note: "no picture")
        try lead.addGold(item: 1, criterion: "present", value: "yes", training: true)
        try lead.addGold(item: 2, criterion: "present", value: "no")
        try lead.setBatchRule(batch: "b", spreadThreshold: 0.5, goldThreshold: 0.25)
        try lead.setBatchRule(batch: "b", spreadThreshold: nil, goldThreshold: 0.6)
        try lead.setBatchRule(batch: "b", spreadThreshold: 2, goldThreshold: 1)   // whole Doubles: "2.0", "1.0"
        _ = try bob.submitItem(ItemSubmission(item: 2, answers: ["present": "yes", "severity": "low"], frame: 0, pts: 0, dwellMs: 5,
                                              watchedShare: 1))
        _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: 2, goldRate: 0.5)
        _ = try lead.resolve(item: 1, criterion: "present", value: "yes", reason: .raterError, note: nil)
        _ = try lead.resolve(item: 1, criterion: "present", value: "no", reason: .raterError, note: "again")
        try lead.sendBack(item: 1, raters: ["bob", "Zoe"], note: "look again")
        try lead.sendBack(item: 1, raters: ["alice"], note: nil)
        try lead.markNeedsRevision(item: 2, criterion: "severity", note: "unclear")
        _ = try admin.importLabels([LabelImportRow(line: 2, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no"),
                                    LabelImportRow(line: 3, clip: "c2.mp4", rater: "Zoe", criterion: "present", value: "yes"),
                                    LabelImportRow(line: 4, clip: "c2.mp4", rater: "Zoe", criterion: "severity", value: "high")],
                                   file: "dir/labels \u{7F}\u{85}\u{202E}\u{9F}\u{2066} \"q\" \\ é.csv", fileSHA256: String(repeating: "a", count: 64), batch: "b")
        _ = try admin.addClips([ClipFacts(path: "/clips/c3.mp4", name: "c3.mp4", sha256: String(repeating: "3", count: 64), sizeBytes: 100,
                                          codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)],
                               batch: "b", rubric: nil)
        let texts: [String]
        switch kind {
        case .sqlite:
            texts = try project.store.read { db in try db.values(String.self, "SELECT payload FROM audit_event ORDER BY seq") }
        case .postgres:
            let superuser = try PostgresConnection(uri: SharedCluster.uri(database: project.location, user: PostgresCluster.superuser))
            texts = try superuser.execute("SELECT concord.canonical_json(payload::jsonb) FROM concord.audit_event ORDER BY seq").rows.map { $0[0] ?? "NULL" }
        }
        let digest = try Regex(#""digest":"[0-9a-f]{64}""#)
        return texts.map { $0.replacing(digest, with: #""digest":"HEX""#) }
    }

    @Test(.enabled(if: SharedCluster.available, "needs root and PostgreSQL 15"))
    func everyPayloadReadsAsOnSQLite() throws {
        let sqlite = try Self.payloads(.sqlite), postgres = try Self.payloads(.postgres)
        #expect(sqlite.count == 33 && postgres.count == 33)
        for (s, p) in zip(sqlite, postgres) {
            #expect(p == s)   // one line per event, so a difference names it
        }
        // The scenario wrote what it is for: every action, a Double below 1e-4, the escapes.
        let all = sqlite.joined(separator: "\n")
        for piece in ["\"previous_role\":\"lead\"", "\"watched_share\":1.0", "\"spread_threshold\":2.0", "\"watched_share\":1e-07", "\"via\":\"admin\"", #"\u007f\u0085\u202e"#,
                      "\"gold_rate\":0.5", "\"spread_threshold\":null", "\"before\":\"yes\"", "\"note\":null", "\"training\":true"] {
            #expect(all.contains(piece), "no \(piece)")
        }
    }

    // MARK: - Generated values

    /// A value tree JSON.encode writes and jsonb reads back to the same value: no NUL (text
    /// cannot hold it), no negative zero, and Doubles below 2^53, whose Swift spelling keeps
    /// a point or an exponent below zero (the only ones jsonb keeps a fraction for).
    static func value(depth: Int, _ random: inout SplitMix64) -> Any {
        let pick = Int(random.next() % (depth > 3 ? 5 : 7))
        switch pick {
        case 0: return string(&random)
        case 1:
            let specials: [Int64] = [0, -1, 9007199254740993, -9007199254740993, Int64.max, Int64.min, 1 << 53]
            return random.next() % 3 == 0 ? specials[Int(random.next() % UInt64(specials.count))] : Int64(bitPattern: random.next()) >> Int64(random.next() % 63)
        case 2:
            let whole = Double(Int64(bitPattern: random.next()) >> 12)   // |d| < 2^52
            let d = [whole, whole / 1024, 1 / (whole == 0 ? 3 : whole), Double(random.next() % 1000) * 1e-9, Double(random.next() % 100) / 8][Int(random.next() % 5)]
            return d == 0 ? 0.0 : d
        case 3: return random.next() % 2 == 0
        case 4: return NSNull()
        case 5:
            var object: [String: Any] = [:]
            for _ in 0..<Int(random.next() % 6) { object[string(&random)] = value(depth: depth + 1, &random) }
            return object
        default:
            return (0..<Int(random.next() % 5)).map { _ in value(depth: depth + 1, &random) }
        }
    }

    /// Short strings of characters escaped alike and differently by jsonb and Swift, and of
    /// keys whose orders by bytes, by UTF-16 and by length differ.
    static func string(_ random: inout SplitMix64) -> String {
        let alphabet: [String] = ["a", "b", "aa", "Z", "é", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{1}", "\u{1F}", "\u{7F}",
                                  "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{2028}",
                                  "\u{FF61}", "😀", "/", " ", "<", "\u{FEFF}", "\u{10FFFF}"]
        return (0..<Int(random.next() % 5)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
    }
}
