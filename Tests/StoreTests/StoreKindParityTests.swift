import Foundation
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
    static func reads(_ kind: StoreKind) throws -> [String] {
        let project = try TestProject.demo(kind)
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
