import Foundation
import Reports
import Rubric
import Store
import Testing

/// The golden set's version covers everything an entry says: its canonical line holds the
/// value, the votes, the adjudicator, the reason and the rationale, so changing any one of
/// them alone gives a new version (leaving the votes out once went unnoticed), while the
/// same answers built again give the same version.
@Suite struct GoldenSetVersionTests {
    struct Case {
        var bob = "no"
        var lead = "lee"
        var reason = DecisionReason.raterError
        var note = "the car is behind the truck"
    }

    /// One item; alice votes yes, bob as given; the lead resolves yes with a reason and note.
    static func golden(_ c: Case) throws -> GoldenSet {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse("name: g\ncriteria:\n  - id: present\n    question: Is it?\n    scale: nominal\n    options: [\"yes\", \"no\"]\n",
                                                 file: "g.yaml"), sourcePath: "g.yaml")
        for (name, role) in [("alice", Role.rater), ("bob", .rater), ("lee", .lead), ("max", .lead)] { try admin.addRater(name, role: role) }
        _ = try admin.addClips([ClipFacts(path: "/clips/c1.mp4", name: "c1.mp4", sha256: String(repeating: "a", count: 64), sizeBytes: 1,
                                          codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)],
                               batch: "b", rubric: "g")
        _ = try admin.assign(batch: "b", raters: ["alice", "bob"], overlap: nil, goldRate: nil)
        for (rater, value) in [("alice", "yes"), ("bob", c.bob)] {
            try store.session(login: "admin", actingAs: rater)
                .submitItem(ItemSubmission(item: 1, answers: ["present": value], frame: nil, pts: nil, dwellMs: nil, watchedShare: 1))
        }
        let lead = try store.session(login: "admin", actingAs: c.lead)
        try lead.resolve(item: 1, criterion: "present", value: "yes", reason: c.reason, note: c.note)
        return GoldenSet(try lead.adjudicationContext(batch: "b"))
    }

    @Test func theCanonicalLineHoldsVotesAdjudicatorReasonAndRationale() throws {
        let golden = try Self.golden(Case())
        let hash = try #require(golden.entries.first).rubricHash
        #expect(golden.entries.map(\.canonicalLine) == [
            #"{"adjudicator":"lee","clip":"c1.mp4","clip_sha256":"\#(String(repeating: "a", count: 64))","criterion":"present","item":1,"#
            + #""rationale":"the car is behind the truck","reason":"rater_error","rubric_hash":"\#(hash)","source":"adjudicated","#
            + #""value":"yes","votes":[{"rater":"alice","value":"yes"},{"rater":"bob","value":"no"}]}"#,
        ])
    }

    @Test func changingOnlyOneThingGivesANewVersion() throws {
        let base = try Self.golden(Case()).version
        #expect(try Self.golden(Case()).version == base)   // no timestamps in the content
        var vote = Case(); vote.bob = "yes"
        var adjudicator = Case(); adjudicator.lead = "max"
        var reason = Case(); reason.reason = .genuineDisagreement
        var rationale = Case(); rationale.note = "the truck is behind the car"
        let versions = try [vote, adjudicator, reason, rationale].map { try Self.golden($0).version }
        for (what, version) in zip(["a vote", "the adjudicator", "the reason", "the rationale"], versions) {
            #expect(version != base, "changing only \(what) kept the version")
        }
        #expect(Set(versions).count == 4)
    }
}
