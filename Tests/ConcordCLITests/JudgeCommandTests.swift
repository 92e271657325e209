import Foundation
import Testing

/// `concord judge RATER` on the standard project: the model m1 against the golden set,
/// beside the humans, with exact values; and what is refused.
@Suite struct JudgeCommandTests {
    @Test(arguments: StoreKind.available)
    func aModelBesideTheHumansAgainstTheGoldenSet(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        // Golden set: b.mp4 present = no (alice and bob agree); a.mp4 present resolved as yes.
        try project.ok(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "rater_error"], as: "lena")
        let json = try project.ok(["judge", "m1", "--format", "json", "--bootstrap", "200"], as: "lena")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let present = try #require((root["criteria"] as? [String: Any])?["present"] as? [String: Any])
        func stat(_ rater: [String: Any], _ name: String) -> Double? {
            ((rater["statistics"] as? [String: Any])?[name] as? [String: Any])?["value"] as? Double
        }
        let judge = try #require(present["judge"] as? [String: Any])
        #expect(judge["n"] as? Int == 2)
        #expect(stat(judge, "accuracy") == 1 && stat(judge, "cohen_kappa") == 1)   // m1: a yes, b no
        #expect((judge["confusion"] as? [[Int]]) == [[1, 0, 0], [0, 1, 0], [0, 0, 0]])
        let humans = Dictionary(uniqueKeysWithValues: try #require(present["humans"] as? [[String: Any]]).map { ($0["rater"] as! String, $0) })
        #expect(stat(humans["alice"]!, "accuracy") == 1)
        #expect(stat(humans["bob"]!, "accuracy") == 0.5)   // bob said no on a
        #expect(humans["lena"]?["n"] as? Int == 1)
        #expect(root["golden_version"] as? String == String(try project.ok(["golden", "export"], as: "lena").split(separator: "\"version\":\"")[1].prefix(64)))
        let text = try project.ok(["judge", "m1", "--bootstrap", "200"], as: "lena")
        #expect(text.contains("present (nominal): 2 golden entries answered by m1"))
        #expect(text.contains("m1 (model)  2  1.000 [1.000, 1.000]"))
    }

    @Test(arguments: StoreKind.available)
    func refusals(_ kind: StoreKind) throws {
        let project = try Standard.forReading(kind)
        for (args, who, message) in [
            (["judge", "alice"], "lena", "concord: 'alice' is a rater, not a model; concord judge scores raters of role model\n"),
            (["judge", "nobody"], "lena", "concord: 'nobody' has no labels in batch b1; import the judge's predictions first (concord label import)\n"),
            (["judge", "m1"], "alice", "concord: alice is a rater and cannot see the adjudication queue or decide items (leads and admins)\n"),
        ] {
            let result = try project.run(args, as: who)
            #expect(result.status == 2, "\(args)")
            #expect(concordMessage(result.stderr) == message, "\(args)")
        }
    }
}
