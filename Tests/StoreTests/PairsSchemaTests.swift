import Foundation
import GRDB
import Rubric
@testable import Store
import Testing

/// Schema v10 on a project file made before it (v9), and the side rule (`PairSides`) worked
/// by hand.
@Suite struct PairsSchemaTests {
    /// A v9 project file as concord 0.1 made one: its admin, the demo rubric, batch b with two
    /// clips, alice assigned both, each write with its audit event.
    static func v9File() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v9-\(UUID().uuidString).db").path
        try ProjectStore.createFile(path)
        let queue = try DatabaseQueue(path: path, configuration: ProjectStore.configuration())
        try Schema.migrator().migrate(queue, upTo: "v9")
        let rubric = try Rubric.parse(TestProject.rubricYAML, file: "demo.yaml")
        try queue.write { db in
            let at = "2026-01-02T03:04:05.000Z"
            try db.execute(sql: "INSERT INTO project (id, name, created_at) VALUES (1, 'old', ?)", arguments: [at])
            try db.execute(sql: "INSERT INTO rater (name, created_at) VALUES ('admin', ?), ('alice', ?)", arguments: [at, at])
            try db.execute(sql: "INSERT INTO rater_role (rater_id, role, created_at) VALUES (1, 'admin', ?), (2, 'rater', ?)", arguments: [at, at])
            try Audit.append(db, actor: "admin", action: "init", details: [:],
                             ranges: [Audit.RowRange(table: "rater", first: 1, last: 2), Audit.RowRange(table: "rater_role", first: 1, last: 2)])
            try db.execute(sql: "INSERT INTO rubric_version (name, hash, canonical_json, source_path, created_at) VALUES (?, ?, ?, 'demo.yaml', ?)",
                           arguments: [rubric.name, rubric.contentHash, rubric.canonicalJSON, at])
            try db.execute(sql: "INSERT INTO batch (name, rubric_version_id, created_at) VALUES ('b', 1, ?)", arguments: [at])
            for i in 1...2 {
                try db.execute(sql: """
                    INSERT INTO clip (sha256, name, path, codec, duration, frame_rate, frame_count, width, height, rotation, size_bytes, created_at)
                    VALUES (?, ?, ?, 'h264', 1, 25, 25, 64, 48, 0, 100, ?)
                    """, arguments: [String(repeating: "\(i)", count: 64), "c\(i).mp4", "/clips/c\(i).mp4", at])
                try db.execute(sql: "INSERT INTO item (batch_id, clip_id, position) VALUES (1, ?, ?)", arguments: [i, i])
                try db.execute(sql: "INSERT INTO assignment (item_id, rater_id, created_at) VALUES (?, 2, ?)", arguments: [i, at])
            }
            try Audit.append(db, actor: "admin", action: "clip.add", details: [:],
                             ranges: [Audit.RowRange(table: "rubric_version", first: 1, last: 1), Audit.RowRange(table: "batch", first: 1, last: 1),
                                      Audit.RowRange(table: "clip", first: 1, last: 2), Audit.RowRange(table: "item", first: 1, last: 2),
                                      Audit.RowRange(table: "assignment", first: 1, last: 2)])
        }
        try queue.close()
        return path
    }

    @Test func aV9ProjectMigratesKeepsItsItemsAndVerifies() throws {
        let path = try Self.v9File()
        let store = try ProjectStore.open(path: path)
        let admin = try store.session(login: "admin")
        #expect(try admin.verifyAudit(anchors: []).intact)
        #expect(try store.session(login: "alice").ratingQueue().entries.map { "\($0.item):\($0.clip)" } == ["1:c1.mp4", "2:c2.mp4"])
        let schema = try store.read { db in
            try db.values(String.self, "SELECT name FROM sqlite_master WHERE tbl_name IN ('item', 'item_pair', 'clip_tag', 'assignment_side') ORDER BY name")
        }
        #expect(schema == ["assignment_side", "assignment_side_no_delete", "assignment_side_no_update", "clip_tag", "clip_tag_by_clip",
                           "clip_tag_no_delete", "clip_tag_no_update", "item", "item_by_batch_clip", "item_no_delete", "item_no_update",
                           "item_pair", "item_pair_no_delete", "item_pair_no_update", "item_pair_once", "sqlite_autoindex_assignment_side_1",
                           "sqlite_autoindex_item_pair_1"])
        // Still append-only; a clip is still once in a batch, now by Store's check.
        #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: "UPDATE item SET position = 9 WHERE id = 1") } }
        let again = ClipFacts(path: "/clips/c1.mp4", name: "c1.mp4", sha256: String(repeating: "1", count: 64), sizeBytes: 100,
                              codec: "h264", duration: 1, frameRate: 25, frameCount: 25, width: 64, height: 48, rotation: 0)
        #expect { _ = try admin.addClips([again], batch: "b", rubric: nil) } throws: { "\($0)".contains("already added to batch 'b' as c1.mp4") }
        // The new tables take audited rows, and the chain verifies over old and new.
        _ = try admin.addRubric(try Rubric.parse(PairsStoreTests.rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        _ = try admin.addPairs([PairRequest(a: "c1.mp4", b: "c2.mp4", group: "g")], batch: "pb", rubric: "pref")
        #expect(try admin.tagClips([ClipTag(clip: "c1.mp4", group: "g", system: "m")]) == 1)
        #expect(try admin.assign(batch: "pb", raters: ["alice"], overlap: nil, goldRate: nil) == 1)
        let report = try admin.verifyAudit(anchors: [])
        #expect(report.intact && report.problems.isEmpty)
        // One pair per batch in either order, kept by the database itself too.
        #expect(throws: (any Error).self) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO item_pair (item_id, batch_id, clip_a_id, clip_b_id, created_at) VALUES (1, 2, 2, 1, 'x')")
            }
        }
    }

    @Test func sidesAreHalfAAndHalfBPerRaterByHand() {
        // 4 new, none before: total 4 → two a-left, two b-left, in a seeded order.
        let four = PairSides.sides(batch: "pb", rater: "alice", hadA: 0, hadB: 0, count: 4)
        #expect(four.filter { $0 }.count == 2 && four.count == 4)
        #expect(PairSides.sides(batch: "pb", rater: "alice", hadA: 0, hadB: 0, count: 4) == four)   // the same call, the same sides
        // 3 a-left already, 3 new: total 6 → 3 a-left, all had: every new one is b-left.
        #expect(PairSides.sides(batch: "pb", rater: "alice", hadA: 3, hadB: 0, count: 3) == [false, false, false])
        // 1 b-left already, 1 new: total 2 → 1 a-left: the new one.
        #expect(PairSides.sides(batch: "pb", rater: "bob", hadA: 0, hadB: 1, count: 1) == [true])
        // Odd totals give the extra one to a or b by the seed; over many raters about half each.
        let extraA = (0..<1_000).filter { PairSides.sides(batch: "pb", rater: "r\($0)", hadA: 0, hadB: 0, count: 1) == [true] }.count
        #expect((430...570).contains(extraA))
        // Every order is reachable: the shuffle of 2 a + 2 b over many raters gives all 6.
        let orders = Set((0..<500).map { PairSides.sides(batch: "pb", rater: "r\($0)", hadA: 0, hadB: 0, count: 4) })
        #expect(orders.count == 6)
        #expect(PairSides.sides(batch: "pb", rater: "alice", hadA: 0, hadB: 0, count: 0) == [])
    }

    /// FNV-1a and SplitMix64 against their published values, so PostgreSQL's side (and any
    /// re-implementation) can check it computes the same sides.
    @Test func theGeneratorsAreTheirPublishedOnes() {
        #expect(PairSides.fnv1a([]) == 0xcbf2_9ce4_8422_2325)
        #expect(PairSides.fnv1a(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(PairSides.fnv1a(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        var random = PairSides.SplitMix64(seed: 1234567)
        #expect([random.next(), random.next(), random.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }
}
