import Foundation
import PostgresClient
import PostgresTestSupport
import Rubric
import Store
import Testing

/// The same people doing the same things on both stores read back the same things: every
/// public read, as each role sees it, after every kind of write. On SQLite the Swift Store
/// writes; on PostgreSQL the database's own functions do (docs/server.md), so this is where
/// a function that writes something else than the Swift write (a revision, an order, a
/// count) shows, whatever the other suites happen to assert.
@Suite(.enabled(if: SharedCluster.available, "needs root and PostgreSQL 15 (scripts/deps.sh test)"))
struct StoreKindParityTests {
    /// Every read after a scenario of every write, one line per read, with timestamps (which
    /// differ by a few milliseconds between two runs) replaced by `<time>`.
    static func reads(_ kind: StoreKind, icuLocale: String? = nil) throws -> [String] {
        let project = try TestProject.demo(kind, icuLocale: icuLocale)
        let admin = project.admin
        // A name whose order depends on case (by bytes "Zoe" comes before "alice").
        try project.addRater("Zoe", role: .rater)
        try project.addRater("lee", role: .lead)
        _ = try admin.assign(batch: "b", raters: ["Zoe"], overlap: nil, goldRate: nil)
        let alice = try project.session("alice"), bob = try project.session("bob"), zoe = try project.session("Zoe")
        let lead = try project.session("lee"), aud = try project.session("aud")
        var lines: [String] = []
        func read(_ name: String, _ value: () throws -> Any) {
            do {
                lines.append("\(name): \(canonical(try value()))")
            } catch {
                lines.append("\(name): error \(error)")
            }
        }
        _ = try admin.addRubric(try Rubric.parse(StoreTests.rubricYAML, file: "demo.yaml"), sourcePath: "demo.yaml")   // the same again
        for (rater, present) in [(alice, "yes"), (bob, "no"), (zoe, "yes")] {
            read("submit") {
                try rater.submitItem(ItemSubmission(item: 1, answers: ["present": present, "severity": present == "yes" ? "low" : ""],
                                                    frame: 2, pts: 0.08, dwellMs: 900, watchedShare: 1))
            }
        }
        read("resubmit") {
            try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 3, pts: 0.12, dwellMs: 100, watchedShare: 0.5))
        }
        try alice.markItem(2, kind: .flag, note: "too dark")
        try bob.markItem(2, kind: .skip, note: "no picture")
        try lead.addGold(item: 1, criterion: "present", value: "yes", training: true)
        try lead.addGold(item: 2, criterion: "present", value: "no")
        try lead.setBatchRule(batch: "b", spreadThreshold: 1, goldThreshold: 0.5)
        try lead.setBatchRule(batch: "b", spreadThreshold: nil, goldThreshold: 0.6)
        read("assign") { try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: 2, goldRate: 0.5) }
        read("resolve") { try lead.resolve(item: 1, criterion: "present", value: "yes", reason: .raterError, note: nil) }
        try lead.sendBack(item: 1, raters: ["bob", "Zoe"], note: "look again")
        try lead.markNeedsRevision(item: 2, criterion: "severity", note: "unclear")
        read("import") {
            try admin.importLabels([LabelImportRow(line: 2, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no"),
                                    LabelImportRow(line: 3, clip: "c2.mp4", rater: "Zoe", criterion: "present", value: "yes"),
                                    LabelImportRow(line: 4, clip: "c2.mp4", rater: "Zoe", criterion: "severity", value: "high")],
                                   file: "labels.csv", fileSHA256: String(repeating: "a", count: 64), batch: "b")
        }
        read("add clips") {
            try admin.addClips([ClipFacts(path: "/clips/c3.mp4", name: "c3.mp4", sha256: String(repeating: "3", count: 64), sizeBytes: 100,
                                          codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)],
                               batch: "b", rubric: nil)
        }

        read("raters") { try admin.raters() }
        read("status admin") { try admin.status() }
        read("status alice") { try alice.status(batch: "b") }
        read("status aud") { try aud.status() }
        read("agreement") { try admin.labelsForAgreement(batch: "b") }
        read("agreement aud") { try aud.labelsForAgreement(batch: "b") }
        read("assigned alice") { try alice.assignedItems() }
        read("assigned Zoe") { try zoe.assignedItems(batch: "b") }
        read("rubric for clip") { try admin.rubric(forClip: "c1.mp4").map(\.name) as Any }
        read("rubrics by hash") { try admin.rubricsByHash().mapValues(\.name) }
        for (name, rater) in [("alice", alice), ("bob", bob), ("Zoe", zoe), ("lee", lead)] {
            read("queue \(name)") { try rater.ratingQueue() }
            read("export \(name)") { try rater.exportLabels() }
            read("gold feedback \(name)") { try rater.goldFeedback(item: 1) }
        }
        read("export admin") { try admin.exportLabels() }
        read("export admin b") { try admin.exportLabels(batch: "b") }
        read("item 1") { try admin.item("1", batch: nil) }
        read("item c1") { try admin.item("c1.mp4", batch: "b") }
        read("adjudication") { try lead.adjudicationContext(batch: "b") }
        read("votes") { try lead.votes(item: 1) }
        read("gold answers") { try lead.goldAnswers(batch: "b") }
        read("label changes") { try lead.labelChanges(batch: "b", after: 0) }
        read("last label") { try lead.lastLabelID() }
        read("activity") { try lead.activity(batch: "b") }
        read("send-backs") { try lead.pendingSendBacks(batch: "b") }
        read("audit head seq") { try admin.auditHead()?.seq as Any }
        read("verify") { try admin.verifyAudit() }
        read("default batch") { try admin.defaultBatch() }
        read("clip file") { try alice.clipFile(named: "c1.mp4") as Any }
        // The audit head's hash covers the events' times, so it differs too.
        let time = try Regex(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"#), hash = try Regex("hash: [0-9a-f]{64}")
        return lines.map { $0.replacing(time, with: "<time>").replacing(hash, with: "hash: <hash>") }
    }

    @Test func everyReadIsTheSameOnBothStores() throws {
        let sqlite = try Self.reads(.sqlite), postgres = try Self.reads(.postgres)
        #expect(sqlite.count == 45 && postgres.count == 45)
        #expect(!sqlite.contains { $0.contains(": error ") }, "the scenario itself runs on SQLite")
        for (s, p) in zip(sqlite, postgres) {
            #expect(s == p)   // one line per read, so a difference names the read
        }
    }

    /// A server whose databases sort text for English ("alice" < "Zoe") reads in SQLite's
    /// byte order all the same: every sort and every list concord makes says its collation.
    @Test func everyReadIsTheSameInADatabaseThatSortsForEnglish() throws {
        // The database does sort for English: by bytes "Zoe" would come first.
        let database = try SharedCluster.freshDatabase(owner: TestProject.adminName, icuLocale: "en-US")
        let connection = try PostgresConnection(uri: SharedCluster.uri(database: database, user: TestProject.adminName))
        #expect(try connection.execute("SELECT ('alice' < 'Zoe')::text AS english").rows == [["true"]])
        let sqlite = try Self.reads(.sqlite), postgres = try Self.reads(.postgres, icuLocale: "en-US")
        #expect(sqlite.count == 45 && postgres.count == 45)
        for (s, p) in zip(sqlite, postgres) {
            #expect(s == p)
        }
        let refusals = try Self.refusals(.sqlite), english = try Self.refusals(.postgres, icuLocale: "en-US")
        #expect(refusals.count == 134 && english.count == 134)
        for (s, p) in zip(refusals, english) {
            #expect(s == p)
        }
    }
}

extension StoreKindParityTests {
    static let opsYAML = """
    name: ops
    criteria:
      - id: present
        question: Is there a cut-in?
        scale: nominal
        options: ["yes", "no"]
      - id: severity
        question: How severe?
        scale: ordinal
        when: {present: "yes"}
        options: [low, high]
      - id: ttc
        question: Time to collision, in seconds?
        scale: ratio
        range: [0, 10]
        step: 0.1
        required: false
      - id: notes
        question: Notes
        scale: text
        required: false
    """

    /// Every refusal the writes and reads give on bad input or a role's limits, the
    /// spellings of numbers they accept and the text they keep, one line each: the
    /// PostgreSQL functions check and respell much of this themselves (an import's numbers
    /// entirely), so their words and values must be the Swift Store's.
    static func refusals(_ kind: StoreKind, icuLocale: String? = nil) throws -> [String] {
        let project = try TestProject.empty(kind, icuLocale: icuLocale)
        let admin = project.admin
        _ = try admin.addRubric(try Rubric.parse(opsYAML, file: "ops.yaml"), sourcePath: "ops.yaml")
        for (name, role) in [("alice", Role.rater), ("bob", .rater), ("lee", .lead), ("aud", .auditor)] { try project.addRater(name, role: role) }
        func clip(_ i: Int) -> ClipFacts {
            ClipFacts(path: "/clips/c\(i).mp4", name: "c\(i).mp4", sha256: String(repeating: "\(i)", count: 64), sizeBytes: 100,
                      codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        }
        _ = try admin.addClips([clip(1), clip(2)], batch: "b", rubric: "ops")
        _ = try admin.addClips([clip(3)], batch: "other", rubric: "ops")
        _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        let alice = try project.session("alice"), lee = try project.session("lee"), aud = try project.session("aud")
        var lines: [String] = []
        func attempt(_ name: String, _ body: () throws -> Any) {
            do {
                lines.append("\(name): ok \(canonical(try body()))")
            } catch let error as StoreError {
                lines.append("\(name): \(error.kind) \(error.message)\(error.details.map { " | " + $0 }.joined())")
            } catch {
                lines.append("\(name): \(error)")
            }
        }
        func submit(_ answers: [String: String], item: Int64 = 1, frame: Int? = 0) -> ItemSubmission {
            ItemSubmission(item: item, answers: answers, frame: frame, pts: 0, dwellMs: 1, watchedShare: 1)
        }
        attempt("submit ttc spelled 3.0") { try alice.submitItem(submit(["present": "no", "ttc": "3.0"])) }
        attempt("submit ttc 11") { try alice.submitItem(submit(["present": "no", "ttc": "11"])) }
        attempt("submit ttc abc") { try alice.submitItem(submit(["present": "no", "ttc": "abc"])) }
        attempt("submit ttc 0.15") { try alice.submitItem(submit(["present": "no", "ttc": "0.15"])) }
        attempt("submit unassigned") { try alice.submitItem(submit(["present": "no"], item: 3)) }
        attempt("submit no such item") { try alice.submitItem(submit(["present": "no"], item: 99)) }
        attempt("submit as auditor") { try aud.submitItem(submit(["present": "no"])) }
        attempt("mark unassigned") { try alice.markItem(3, kind: .flag, note: "x") }
        attempt("mark no such item") { try alice.markItem(99, kind: .skip, note: "x") }
        attempt("resolve as rater") { try alice.resolve(item: 1, criterion: "present", value: "yes", reason: .raterError, note: nil) }
        attempt("resolve no such item") { try lee.resolve(item: 99, criterion: "present", value: "yes", reason: .raterError, note: nil) }
        attempt("resolve no such criterion") { try lee.resolve(item: 1, criterion: "colour", value: "red", reason: .raterError, note: nil) }
        attempt("resolve text") { try lee.resolve(item: 1, criterion: "notes", value: "x", reason: .raterError, note: nil) }
        attempt("resolve bad option") { try lee.resolve(item: 1, criterion: "present", value: "maybe", reason: .raterError, note: nil) }
        attempt("resolve ttc 11") { try lee.resolve(item: 1, criterion: "ttc", value: "11", reason: .raterError, note: nil) }
        attempt("resolve ttc spelled 01.50") { try lee.resolve(item: 1, criterion: "ttc", value: "01.50", reason: .clipAmbiguous, note: " n ") }
        attempt("send back to nobody") { try lee.sendBack(item: 1, raters: ["nobody"], note: nil) }
        attempt("send back to the auditor") { try lee.sendBack(item: 1, raters: ["aud"], note: nil) }
        attempt("send back twice") { try lee.sendBack(item: 1, raters: ["alice", "alice"], note: nil) }
        attempt("send back no such item") { try lee.sendBack(item: 99, raters: ["alice"], note: nil) }
        attempt("needs revision no such criterion") { try lee.markNeedsRevision(item: 1, criterion: "colour", note: nil) }
        attempt("needs revision no such item") { try lee.markNeedsRevision(item: 99, criterion: "present", note: nil) }
        attempt("gold text") { try lee.addGold(item: 1, criterion: "notes", value: "x") }
        attempt("gold bad option") { try lee.addGold(item: 1, criterion: "present", value: "maybe") }
        attempt("gold no such item") { try lee.addGold(item: 99, criterion: "present", value: "yes") }
        attempt("gold no such criterion") { try lee.addGold(item: 1, criterion: "colour", value: "x") }
        attempt("gold ttc spelled 2.") { try lee.addGold(item: 1, criterion: "ttc", value: "2.") }
        attempt("rule no such batch") { try lee.setBatchRule(batch: "nope", spreadThreshold: 1, goldThreshold: 0.5) }
        attempt("assign no such batch") { try admin.assign(batch: "nope", raters: ["alice"], overlap: nil, goldRate: nil) }
        attempt("assign nobody") { try admin.assign(batch: "b", raters: ["nobody"], overlap: nil, goldRate: nil) }
        attempt("assign the auditor") { try admin.assign(batch: "b", raters: ["aud"], overlap: nil, goldRate: nil) }
        attempt("assign overlap 0") { try admin.assign(batch: "b", raters: ["alice"], overlap: 0, goldRate: nil) }
        attempt("assign overlap 3 of 2") { try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: 3, goldRate: nil) }
        attempt("assign gold rate 2") { try admin.assign(batch: "b", raters: ["alice"], overlap: nil, goldRate: 2) }
        attempt("clips no such rubric") { try admin.addClips([clip(4)], batch: "z", rubric: "missing") }
        attempt("clips new batch without rubric") { try admin.addClips([clip(4)], batch: "z", rubric: nil) }
        attempt("clips renamed") {
            try admin.addClips([ClipFacts(path: "/x/r.mp4", name: "r.mp4", sha256: String(repeating: "1", count: 64), sizeBytes: 100,
                                          codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)],
                               batch: "b", rubric: nil)
        }
        attempt("rater role change") { try admin.addRater("bob", role: .lead) }
        attempt("rater again") { try admin.addRater("bob", role: .lead) }
        attempt("as nobody") { try project.session("admin", actingAs: "nobody") }
        attempt("item c9") { try admin.item("c9.mp4", batch: nil) }
        attempt("export no such batch") { try admin.exportLabels(batch: "nope") }
        attempt("status no such batch") { try admin.status(batch: "nope") }
        attempt("agreement no such batch") { try admin.labelsForAgreement(batch: "nope") }
        let bad = (0..<24).map { LabelImportRow(line: $0 + 2, clip: "c1.mp4", rater: "alice", criterion: "ttc", value: "\(11 + $0)") }
        attempt("import 24 problems") { try admin.importLabels(bad, file: "bad.csv", fileSHA256: "x") }
        attempt("import mixed problems") {
            try admin.importLabels([LabelImportRow(line: 2, clip: "c9.mp4", rater: "alice", criterion: "present", value: "yes"),
                                    LabelImportRow(line: 3, clip: "c1.mp4", rater: "nobody", criterion: "present", value: "yes"),
                                    LabelImportRow(line: 4, clip: "c1.mp4", rater: "alice", criterion: "colour", value: "red"),
                                    LabelImportRow(line: 5, clip: "c1.mp4", rater: "alice", criterion: "present", value: "yes", frame: 25),
                                    LabelImportRow(line: 6, clip: "c1.mp4", rater: "bob", criterion: "present", value: "no", submittedAt: "yesterday"),
                                    LabelImportRow(line: 7, clip: "c1.mp4", rater: "bob", criterion: "present", value: "no", batch: "other"),
                                    LabelImportRow(line: 8, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no"),
                                    LabelImportRow(line: 9, clip: "c2.mp4", rater: "bob", criterion: "present", value: "yes")],
                                   file: "mixed.csv", fileSHA256: "x")
        }
        attempt("import spelled 4.00") {
            try admin.importLabels([LabelImportRow(line: 2, clip: "c2.mp4", rater: "bob", criterion: "ttc", value: "4.00"),
                                    LabelImportRow(line: 3, clip: "c2.mp4", rater: "bob", criterion: "present", value: "no")],
                                   file: "ok.csv", fileSHA256: "x")
        }
        // Number spellings: the PostgreSQL import respells them itself (op_number).
        let spellings = ["1e0", "+1", "-0", " 2 ", "0.10", "10.0", "1,5", "1.", ".5", "0x1", "1e-1", "9.95", "10.05", "NaN", "inf", "00.3",
                         "3.00000000000000001", "1E1", "٣", "0.3000000000000000444"]
        for (i, spelling) in spellings.enumerated() {
            attempt("import ttc \(spelling.debugDescription)") {
                try admin.importLabels([LabelImportRow(line: 2, clip: "c1.mp4", rater: "bob", criterion: "ttc", value: spelling)],
                                       file: "n\(i).csv", fileSHA256: "x")
            }
            attempt("then ttc") { try admin.exportLabels().filter { $0.rater == "bob" && $0.criterion == "ttc" && $0.clip == "c1.mp4" }.map(\.value) }
        }
        for (i, text) in ["e\u{301}t\u{E9}", "🙂 O'Brien \"x\" \\ %_", "line\u{2028}sep", "tab\there", String(repeating: "ü", count: 5_000), " padded "].enumerated() {
            attempt("import notes \(i)") {
                try admin.importLabels([LabelImportRow(line: 2, clip: "c1.mp4", rater: "bob", criterion: "notes", value: text)],
                                       file: "t\(i).csv", fileSHA256: "x")
            }
            attempt("then notes") {
                try admin.exportLabels().filter { $0.rater == "bob" && $0.criterion == "notes" }.map { $0.value == text ? "same" : $0.value.debugDescription }
            }
        }
        // Date-time spellings: the PostgreSQL import reads them itself. (Shown with a space for
        // the T, so the times these lines compare are not masked as the clock's are.)
        let times = ["2026-11-24T13:05:12Z", "2026-11-24T13:05:12.5Z", "2026-11-24T13:05:12+02:00", "2026-11-24T13:05:12.123456Z",
                     "2026-11-24 13:05:12", "2026-11-24", "2026-02-30T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T13:05:60Z",
                     "2026-11-24T13:05:12-00:30", "1969-12-31T23:59:59Z", "2026-11-24t13:05:12z", "+2026-11-24T13:05:12Z"]
        for (i, time) in times.enumerated() {
            attempt("import submitted_at \(time)") {
                try admin.importLabels([LabelImportRow(line: 2, clip: "c2.mp4", rater: "alice", criterion: "present", value: i % 2 == 0 ? "yes" : "no",
                                                       frame: i, submittedAt: time)],
                                       file: "d\(i).csv", fileSHA256: "x")
            }
            attempt("then submitted_at") {
                try admin.exportLabels().filter { $0.rater == "alice" && $0.clip == "c2.mp4" && $0.criterion == "present" }
                    .map { "\($0.submittedAt.replacingOccurrences(of: "T", with: " ")) frame \($0.frame.map(String.init) ?? "-") r\($0.revision)" }
            }
        }
        attempt("decisions") { try lee.adjudicationContext(batch: "b").decisions }
        attempt("gold") { try lee.goldAnswers(batch: "b").answers }
        attempt("labels") { try admin.exportLabels().map { "\($0.rater) \($0.criterion)=\($0.value) r\($0.revision)" } }
        attempt("verify") { try admin.verifyAudit().problems }
        let head = try #require(try admin.auditHead())
        attempt("verify at the head") { try admin.verifyAudit(anchors: [head]).problems }
        attempt("verify a wrong anchor") { try admin.verifyAudit(anchors: [AuditAnchor(seq: 3, hash: String(repeating: "0", count: 64))]).problems }
        attempt("verify beyond the head") { try admin.verifyAudit(anchors: [AuditAnchor(seq: head.seq + 5, hash: head.hash)]).problems }
        attempt("verify as auditor") { try aud.verifyAudit().events }
        attempt("verify as rater") { try alice.verifyAudit().events }
        // An event's hash covers its time, so the one verify names differs too.
        let time = try Regex(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"#), hash = try Regex("has hash [0-9a-f]{16}…")
        return lines.map { $0.replacing(time, with: "<time>").replacing(hash, with: "has hash <hash>…") }
    }

    @Test func everyRefusalReadsTheSameOnBothStores() throws {
        let sqlite = try Self.refusals(.sqlite), postgres = try Self.refusals(.postgres)
        #expect(sqlite.count == 134 && postgres.count == 134)
        for (s, p) in zip(sqlite, postgres) {
            #expect(s == p)   // one line per attempt, so a difference names it
        }
    }
}

/// A value as text with every dictionary's entries sorted, so two equal values print alike
/// whatever order their dictionaries hash in.
func canonical(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .dictionary:
        let entries = mirror.children.map { entry -> String in
            let pair = Array(Mirror(reflecting: entry.value).children)
            return "\(canonical(pair[0].value)): \(canonical(pair[1].value))"
        }
        return "[" + entries.sorted().joined(separator: ", ") + "]"
    case .set:
        return "{" + mirror.children.map { canonical($0.value) }.sorted().joined(separator: ", ") + "}"
    case .collection, .tuple:
        return "[" + mirror.children.map { ($0.label.map { "\($0): " } ?? "") + canonical($0.value) }.joined(separator: ", ") + "]"
    case .struct, .class:
        return "\(mirror.subjectType)(" + mirror.children.map { "\($0.label ?? "_"): \(canonical($0.value))" }.joined(separator: ", ") + ")"
    case .optional:
        return mirror.children.first.map { canonical($0.value) } ?? "nil"
    default:
        return String(describing: value)
    }
}
