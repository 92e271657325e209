import PostgresClient
import PostgresTestSupport
import Rubric
import Store
import Testing

/// `ProjectSession.assign(batch:items:)`, the write of `assign --until-ci`: exactly the pairs
/// given, existing ones kept, all or nothing, audited — the same on both stores (on
/// PostgreSQL it is `concord.assign_items`).
@Suite struct AssignItemsTests {
    @Test(arguments: StoreKind.all)
    func addsExactlyThePairsAllOrNothing(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        try project.addRater("carl", role: .rater)
        try project.addRater("lee", role: .lead)
        let other = ClipFacts(path: "/clips/c3.mp4", name: "c3.mp4", sha256: String(repeating: "3", count: 64), sizeBytes: 100,
                              codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        _ = try project.admin.addClips([other], batch: "b2", rubric: "demo")   // item 3, another batch
        let lee = try project.session("lee")
        #expect(try lee.assign(batch: "b", items: []) == 0)
        // alice already has item 1: kept, not counted.
        #expect(try lee.assign(batch: "b", items: [ItemAssignment(item: 1, rater: "carl"), ItemAssignment(item: 1, rater: "alice")]) == 1)
        let carl = try project.session("carl")
        #expect(try carl.assignedItems().map(\.clip) == ["c1.mp4"])
        func refused(_ pairs: [ItemAssignment], as session: ProjectSession, _ kind: StoreError.Kind, _ words: String) {
            #expect {
                try session.assign(batch: "b", items: pairs)
            } throws: { error in
                guard let error = error as? StoreError else { return false }
                return error.kind == kind && "\(error)".contains(words)
            }
        }
        refused([ItemAssignment(item: 2, rater: "carl"), ItemAssignment(item: 3, rater: "carl")], as: lee, .input, "item 3 is not in batch 'b'")
        refused([ItemAssignment(item: 2, rater: "carl"), ItemAssignment(item: 2, rater: "zed")], as: lee, .input,
                "no rater named 'zed'; add them with: concord rater add zed --role rater")
        refused([ItemAssignment(item: 2, rater: "aud")], as: lee, .input, "'aud' is an auditor; auditors read reports and do not label")
        refused([ItemAssignment(item: 2, rater: "carl")], as: carl, .permission, "carl is a rater and cannot assign work")
        #expect { try lee.assign(batch: "nope", items: [ItemAssignment(item: 2, rater: "carl")]) } throws: { error in
            (error as? StoreError)?.kind == .input && "\(error)".contains("no batch named 'nope'")
        }
        #expect(try carl.assignedItems().map(\.clip) == ["c1.mp4"])      // nothing of the refused lists
        #expect(try lee.assign(batch: "b", items: [ItemAssignment(item: 2, rater: "carl")]) == 1)
        #expect(try carl.assignedItems().map(\.clip) == ["c1.mp4", "c2.mp4"])
        let audit = try project.admin.verifyAudit(anchors: [])
        #expect(audit.intact)
    }

    /// A PostgreSQL project installed before `concord.assign_items` existed: one line that
    /// says what to do, not PostgreSQL's "function does not exist".
    @Test(arguments: StoreKind.all.filter { $0 == .postgres })
    func aDatabaseWithoutTheFunctionSaysHowToMoveOn(kind: StoreKind) throws {
        let project = try TestProject.demo(kind)
        let superuser = try PostgresConnection(uri: SharedCluster.uri(database: project.location, user: PostgresCluster.superuser))
        _ = try superuser.execute("DROP FUNCTION concord.assign_items(text, bigint[], text[], text)")
        #expect {
            try project.admin.assign(batch: "b", items: [ItemAssignment(item: 1, rater: "aud")])
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.kind == .project && error.message.hasPrefix("this PostgreSQL project was made before assign --until-ci existed")
                && error.message.contains("two migrates through a project file (docs/server.md §13)")
        }
    }
}
