import Foundation
import Testing

/// Counts and roles read as English in every message ("an auditor", "1 row").
@Suite struct ProjectWordingTests {
    @Test(arguments: StoreKind.available)
    func articlesAndSingulars(_ kind: StoreKind) throws {
        let project = try Project.create("wording", kind: kind)
        defer { project.remove() }
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact: 1 event, chain and 2 audited rows verified\nanchor "))
        #expect(try project.ok(["rater", "add", "aud", "--role", "auditor"]) == "aud is now an auditor\n")
        #expect(try project.ok(["rater", "add", "adm2", "--role", "admin"]) == "adm2 is now an admin\n")
        #expect(try project.ok(["rater", "add", "aud", "--role", "auditor"]) == "aud is already an auditor; nothing changed\n")
        let refused = try project.run(["label", "export"], as: "aud")
        #expect(refused.stderr == "concord: aud is an auditor and cannot read labels (raters see their own; leads and admins all)\n")

        try project.ok(["rubric", "add", Standard.rubric])
        try project.ok(["rater", "add", "alice", "--role", "rater"])
        #expect(try project.ok(["clip", "add", try Standard.clip("a.mp4"), "--batch", "b1", "--rubric", "av-cut-in"])
                == "item 1: a.mp4\nadded 1 clip to batch 'b1'\n")
        #expect(try project.ok(["assign", "--batch", "b1", "--raters", "alice"]) == "1 new assignment in batch 'b1'\n")
        #expect(try project.ok(["status"]).hasPrefix("batch b1: 1 item, rubric av-cut-in ("))
        let labels = project.dir + "/labels.csv"
        try writeFile(labels, "clip,rater,criterion,value\na.mp4,alice,present,yes\na.mp4,alice,severity,minor\n")
        #expect(try project.ok(["label", "import", labels]) == "\(labels): imported 2 new labels and 0 revisions\n")
        try writeFile(labels, "clip,rater,criterion,value\na.mp4,alice,present,yes\na.mp4,alice,severity,severe\n")
        #expect(try project.ok(["label", "import", labels]) == "\(labels): imported 0 new labels and 1 revision; 1 row unchanged\n")
        try writeFile(labels, "clip,rater,criterion,value\na.mp4,alice,present,yes\n")
        let same = try project.ok(["label", "import", labels])
        #expect(same.hasPrefix("\(labels): 1 row") && !same.contains("1 rows") && same.hasSuffix("; nothing imported\n"), "\(same)")
    }
}
