import Foundation
import Testing

/// `concord report`'s Scores section as a user gets it: in the JSON and Markdown of the
/// standard project with ttc scores, by the default method or `--scores-method`, and a bad
/// method refused in one line with exit 2 and no file written.
@Suite struct ReportScoresTests {
    static func scores(_ project: Project, _ extra: [String] = []) throws -> [String: Any] {
        let root = try CLI.json(try project.ok(["report", "--batch", "b1", "--format", "json", "--out", "-"] + extra, as: "lena"))
        return try #require(root["scores"] as? [String: Any])
    }

    @Test func everyOrdinalAndNumericCriterionIsScoredAndNominalOnesSayWhy() throws {
        let project = try ScoresPanelTmuxTests.project()
        let scores = try Self.scores(project)
        #expect(Set(scores.keys) == ["present", "severity", "ego-response", "ttc"])
        let present = try #require(scores["present"] as? [String: Any])
        #expect((present["undefined"] as? String)?.contains("is a nominal criterion") == true)
        let ttc = try #require(scores["ttc"] as? [String: Any])
        // p910 is the default (docs/mos.md) and is defined here (mle's content term runs away on
        // one clip per content). Scores as sureal 0.9.0's P910 gives them on the same ratings
        // (sureal_reference.py, method p910): a 3.2222222, b 7.2222223, c 3.7222222; the
        // biases alice −0.7222, bob −0.2222, lena +0.9444.
        let method = try #require(ttc["method"] as? String)
        #expect(method == "p910" && ttc["preferred_method"] == nil && ttc["preferred_undefined"] == nil)
        let units = try #require(ttc["units"] as? [[String: Any]])
        #expect(units.map { $0["unit"] as? String } == ["2:b.mp4", "3:c.mp4", "1:a.mp4"])
        let sureal = [3.2222221822222217, 7.2222222722222265, 3.7222222122222184]   // a, b, c
        #expect(zip(units.compactMap { $0["score"] as? Double }, [sureal[1], sureal[2], sureal[0]]).allSatisfy { abs($0 - $1) < 1e-6 })
        let bias = Dictionary(uniqueKeysWithValues: try #require(ttc["raters"] as? [[String: Any]]).compactMap { r in
            (r["rater"] as? String).map { ($0, r["bias"] as? Double ?? .nan) } })
        #expect(abs((bias["alice"] ?? .nan) + 13.0 / 18) < 1e-6 && abs((bias["bob"] ?? .nan) + 2.0 / 9) < 1e-6
                && abs((bias["lena"] ?? .nan) - 17.0 / 18) < 1e-6)
        #expect(units.map { $0["rank"] as? Int } == [1, 2, 3] && units.allSatisfy { $0["n"] as? Int == 3 })
        // The Markdown names the same method in its sentence.
        let md = try project.ok(["report", "--batch", "b1", "--format", "md", "--out", "-"], as: "lena")
        #expect(md.contains("### Scores: ttc (ratio)\n\n"))
        #expect(md.contains("the scores are by \(method) (") || md.contains("Scores by \(method) ("))
    }

    /// `--scores-method mle` is still there; on ttc (one clip per content) its fit runs away,
    /// so the section shows mos and says why (docs/mos.md, "When the fit is undefined").
    @Test func scoresMethodMleFallsBackToMosWithItsReason() throws {
        let project = try ScoresPanelTmuxTests.project()
        let ttc = try #require(try Self.scores(project, ["--scores-method", "mle"])["ttc"] as? [String: Any])
        #expect(ttc["method"] as? String == "mos" && ttc["preferred_method"] as? String == "mle")
        #expect(ttc["preferred_undefined"] as? String
                == "mle's fit ran away: content 3:c.mp4's ambiguity grew without bound (too few ratings per content for the model); use mle_co or p910, or collect more ratings")
    }

    /// ttc by mos: a 2, 3, 4 → 3, s = 1, SE = 1/√3, interval 3 ± 1.95996/√3; b 6, 7, 8.5 →
    /// 7.1667; c 4, 3.5, 4.5 → 4, s = 0.5.
    @Test func scoresMethodMosByHand() throws {
        let project = try ScoresPanelTmuxTests.project()
        let ttc = try #require(try Self.scores(project, ["--scores-method", "mos"])["ttc"] as? [String: Any])
        #expect(ttc["method"] as? String == "mos" && ttc["preferred_undefined"] == nil)
        let units = try #require(ttc["units"] as? [[String: Any]])
        let a = try #require(units.first { $0["unit"] as? String == "1:a.mp4" })
        let ci = try #require(a["ci95"] as? [Double])
        #expect(a["score"] as? Double == 3)
        #expect(abs(ci[0] - (3 - 1.95996 / 3.0.squareRoot())) < 1e-4 && abs(ci[1] - (3 + 1.95996 / 3.0.squareRoot())) < 1e-4)
        let b = try #require(units.first { $0["unit"] as? String == "2:b.mp4" }?["score"] as? Double)
        #expect(abs(b - 21.5 / 3) < 1e-12)
        // mos estimates no rater figures: none in the JSON.
        let raters = try #require(ttc["raters"] as? [[String: Any]])
        #expect(raters.map { $0["rater"] as? String } == ["alice", "bob", "lena"] && raters.allSatisfy { $0["bias"] == nil })
    }

    /// docs/security.md: an auditor's report names no clip — the same scores by item number.
    @Test func anAuditorsScoresNameItemsNotClips() throws {
        let project = try ScoresPanelTmuxTests.project()
        let lead = try #require(try Self.scores(project, ["--scores-method", "mos"])["ttc"] as? [String: Any])
        let root = try CLI.json(try project.ok(["report", "--batch", "b1", "--format", "json", "--out", "-", "--scores-method", "mos"], as: "aud"))
        let aud = try #require((root["scores"] as? [String: Any])?["ttc"] as? [String: Any])
        let names: ([String: Any]) -> [String?] = { (($0["units"] as? [[String: Any]]) ?? []).map { $0["unit"] as? String } }
        #expect(names(lead) == ["2:b.mp4", "3:c.mp4", "1:a.mp4"] && names(aud) == ["2", "3", "1"])
        let scores: ([String: Any]) -> [Double?] = { (($0["units"] as? [[String: Any]]) ?? []).map { $0["score"] as? Double } }
        #expect(scores(aud) == scores(lead))
        for format in ["md", "html", "csv"] {
            let text = try project.ok(["report", "--batch", "b1", "--format", format, "--out", "-", "--scores-method", "mos"], as: "aud")
            #expect(!text.contains(".mp4"), "\(format)")
        }
    }

    @Test func anUnknownScoresMethodIsOneLineExit2AndNoFile() throws {
        let project = try ScoresPanelTmuxTests.project()
        let out = project.dir + "/report.html"
        let result = try project.run(["report", "--batch", "b1", "--out", out, "--scores-method", "median"], as: "lena")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("concord: --scores-method must be one of mos, bt500, p913, mle, mle_co, p910; got 'median'\n"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
