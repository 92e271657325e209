import Foundation
import Testing

/// `concord assign --batch B --until-ci W`: raters only for the clips `status --target-ci W`
/// says need ratings, the lightest-loaded rater without the clip first, ties by name, never
/// more than --max-per-clip (docs/quality-rules.md, "Topping up"). QualityProject's batch:
/// at W = 1, s0000.mp4 wants 9 and holds 7 (r1–r6 rated, r7 assigned); s0005.mp4 wants 4 and
/// holds 2 (r1 rated, r8 assigned); the other clips hold more than they want.
@Suite struct AssignUntilCITests {
    /// Assignments per clip as the project holds them: "clip:rater" lines in order.
    static func assignments(_ project: Project) throws -> [String] {
        try project.sql("SELECT c.name || ':' || r.name FROM assignment a JOIN item i ON i.id = a.item_id JOIN clip c ON c.id = i.clip_id "
                        + "JOIN rater r ON r.id = a.rater_id ORDER BY c.name, r.name;")
            .split(separator: "\n").map(String.init)
    }

    @Test(arguments: StoreKind.available)
    func topsUpOnlyTheClipsThatNeedRatingsFairly(_ kind: StoreKind) throws {
        let project = try QualityProject.make(kind)
        defer { project.remove() }
        let before = try Self.assignments(project)
        // Pool r7, r8, r9 (loads 3, 3, 0). s0000.mp4 wants 2: r9, then r8 (r7 has it);
        // s0005.mp4 wants 2: r9 (now 1), then r7 (3; r8 has it).
        let out = try project.ok(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "quality", "--raters", "r7,r8,r9"])
        #expect(out == "4 new assignments in batch 'b' for ±1 on quality:\n  s0000.mp4  r9, r8\n  s0005.mp4  r9, r7\n")
        #expect(Set(try Self.assignments(project)).subtracting(before) == ["s0000.mp4:r8", "s0000.mp4:r9", "s0005.mp4:r7", "s0005.mp4:r9"])
        #expect(try project.lastEvent().hasSuffix("|assign.items"))
        // Assigned but not yet rated counts as on its way: nothing more to give.
        let again = try project.ok(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "quality", "--raters", "r7,r8,r9"])
        #expect(again == "batch 'b': no clip needs more raters for ±1 on quality; nothing assigned\n")
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact"))
    }

    @Test(arguments: StoreKind.available)
    func theBatchsRatersByDefaultCappedPerClip(_ kind: StoreKind) throws {
        let project = try QualityProject.make(kind)
        defer { project.remove() }
        // The pool is everyone who rated or is assigned (r1–r8; not the model m1, not r9).
        // Loads: r1 6, r2–r6 5, r7 3, r8 3. With at most 8 per clip s0000.mp4 (7 held) gets one:
        // r8. s0005.mp4 wants 2: r7 (3), then r2 (5, first by name of r2–r6).
        let out = try project.ok(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "quality", "--max-per-clip", "8"])
        #expect(out == "3 new assignments in batch 'b' for ±1 on quality:\n  s0000.mp4  r8\n  s0005.mp4  r7, r2\n")
        // At ±0.5 with 9 per clip, s0000.mp4 (8 held) wants one more and the pool has no one left.
        let short = try project.ok(["assign", "--batch", "b", "--until-ci", "0.5", "--criterion", "quality", "--max-per-clip", "9"])
        let line = try #require(short.split(separator: "\n").first { $0.hasPrefix("  s0000.mp4 ") })
        #expect(line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                == "s0000.mp4 — 1 short: every rater of the pool already has it; name more with --raters")
        #expect(!(try Self.assignments(project)).contains { $0.hasSuffix(":m1") || $0.hasSuffix(":r9") })
    }

    @Test(arguments: StoreKind.available)
    func badInputIsOneLineAndExit2(_ kind: StoreKind) throws {
        let project = try QualityProject.make(kind)
        defer { project.remove() }
        let before = try Self.assignments(project)
        let refused = { (arguments: [String], words: String) in try QualityProject.refused(project, arguments, words) }
        try refused(["assign", "--batch", "b", "--until-ci", "0"], "--until-ci must be a positive half-width in the criterion's units; got 0")
        try refused(["assign", "--batch", "b", "--until-ci=-0.5"], "--until-ci must be a positive half-width in the criterion's units; got -0.5")
        try refused(["assign", "--batch", "nope", "--until-ci", "1"], "no batch named 'nope'; batches: b")
        try refused(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "kind"], "'kind' is a nominal criterion")
        try refused(["assign", "--batch", "b", "--until-ci", "1"], "several scored criteria; choose one with --criterion")
        try refused(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "mos"], "no clip has two ratings yet")
        try refused(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "quality", "--max-per-clip", "0"],
                    "--max-per-clip takes a count of at least 1; got 0")
        try refused(["assign", "--batch", "b", "--until-ci", "1", "--raters", "r7", "--overlap", "1"],
                    "--until-ci gives raters only to the clips that need them; it does not take --overlap")
        try refused(["assign", "--batch", "b", "--raters", "r7", "--max-per-clip", "3"], "--max-per-clip goes with --until-ci W")
        try refused(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "quality", "--raters", "r9,zed"],
                    "no rater named 'zed'; add them with: concord rater add zed --role rater")
        try refused(["assign", "--batch", "b", "--until-ci", "1", "--criterion", "quality", "--raters", "aud,r9"],
                    "'aud' is an auditor; auditors read reports and do not label")
        try QualityProject.refused(project, ["assign", "--batch", "b", "--until-ci", "1", "--criterion", "quality"], as: "r2",
                                   "r2 is a rater and cannot")
        #expect(try Self.assignments(project) == before)
    }
}
