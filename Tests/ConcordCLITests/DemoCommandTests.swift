import Foundation
import Testing

/// `concord demo --no-rate` end to end with the real binary, from the repository root as
/// `make demo` runs it: the project it builds holds what assets/demo/README.md promises
/// (its truth table is read here, so the README, the Swift table and the clips cannot drift
/// apart unnoticed), the simulated raters really disagree, a second run changes nothing, and
/// bad input builds nothing.
@Suite struct DemoCommandTests {
    static let assets = CLI.packageRoot.appendingPathComponent("assets/demo").path
    static let simulatedRaters = ["sim-ana", "sim-ben", "sim-chen"]
    /// The criteria the rubric asks only when `present` is yes.
    static let whenPresent = ["severity", "ego-response", "ttc"]

    /// The truth table of assets/demo/README.md: each clip and its `present` answer.
    static func truth() throws -> [(clip: String, present: String)] {
        let readme = try String(contentsOfFile: assets + "/README.md", encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let table = rows.filter { $0.count > 3 && $0[1].hasSuffix(".mp4`") }
            .map { (clip: String($0[1].dropFirst().dropLast()), present: $0[2]) }
        try #require(!table.isEmpty, "no truth table rows ('| `clip.mp4` | present | …') in assets/demo/README.md")
        return table
    }

    static func metric(_ json: [String: Any], _ name: String) -> Double? {
        ((json["metrics"] as? [String: Any])?[name] as? [String: Any])?["value"] as? Double
    }

    @Test func buildsARealProjectThatASecondRunReuses() throws {
        let truth = try Self.truth()
        let dir = try scratchDirectory("demo") + "/demo"
        let project = Project(dir: dir, db: dir + "/concord.db")
        defer { project.remove() }

        let first = try CLI.run(["demo", "--dir", dir, "--no-rate"])
        try #require(first.status == 0, "concord demo failed (\(first.status)): \(first.stderr)")
        #expect(first.stderr.isEmpty, "\(first.stderr)")
        #expect(first.stdout.contains("Next: concord rate --project \(dir)/concord.db"), "\(first.stdout)")

        // status: every clip an item of batch demo; the simulated raters and the current
        // user (the admin) each assigned every item.
        let status = try #require(JSONSerialization.jsonObject(with: Data(try project.ok(["status", "--format", "json"]).utf8))
                                  as? [[String: Any]])
        #expect(status.count == 1)
        let batch = try #require(status.first)
        #expect(batch["batch"] as? String == "demo" && batch["rubric"] as? String == "av-cut-in")
        #expect(batch["items"] as? Int == truth.count)
        let progress = try #require(batch["raters"] as? [[String: Any]])
        #expect(Set(progress.compactMap { $0["rater"] as? String }) == Set(Self.simulatedRaters + [testLogin]))
        #expect(progress.allSatisfy { $0["assigned"] as? Int == truth.count }, "\(progress)")
        let raters = try #require(JSONSerialization.jsonObject(with: Data(try project.ok(["rater", "list", "--format", "json"]).utf8))
                                  as? [[String: String]])
        #expect(raters.map { "\($0["name"] ?? ""):\($0["role"] ?? "")" }.sorted()
                == (Self.simulatedRaters.map { "\($0):rater" } + ["\(testLogin):admin"]).sorted())

        // label export: one `present` per clip and simulated rater; the criteria its `when`
        // names exactly where the truth is yes (the simulated habits never cross yes/not-yes);
        // a note with every "unclear". So the count follows from the truth table.
        let csv = try project.ok(["label", "export"])
        let rows = exportedRows(csv)
        let unclear = rows.filter { $0["criterion"] == "present" && $0["value"] == "unclear" }.count
        let expected = truth.reduce(0) { sum, clip in
            sum + Self.simulatedRaters.count * (1 + (clip.present == "yes" ? Self.whenPresent.count : 0))
        } + unclear
        #expect(rows.count == expected, "\(csv)")
        for clip in truth {
            for rater in Self.simulatedRaters {
                let theirs = rows.filter { $0["clip"] == clip.clip && $0["rater"] == rater }
                let criteria = Set(theirs.compactMap { $0["criterion"] })
                let present = theirs.first { $0["criterion"] == "present" }?["value"]
                #expect((present == "yes") == (clip.present == "yes"), "\(clip.clip) \(rater): present \(present ?? "none")")
                var asked: Set = ["present"]
                if present == "yes" { asked.formUnion(Self.whenPresent) }
                if present == "unclear" { asked.insert("notes") }
                #expect(criteria == asked, "\(clip.clip) \(rater): \(criteria.sorted())")
            }
        }
        #expect(!rows.contains { $0["rater"] == testLogin }, "the current user has nothing rated yet")
        let labelsPerRater = Dictionary(grouping: rows, by: { $0["rater"] ?? "" }).mapValues(\.count)
        for entry in progress {
            let name = try #require(entry["rater"] as? String)
            #expect(entry["labels"] as? Int == labelsPerRater[name] ?? 0, "\(name)")
        }

        // agreement: real but imperfect on present (nominal) and severity (ordinal), and the
        // same numbers as `concord agreement FILE` on a reliability CSV built from the export.
        let agreement = try CLI.json(try project.ok(["agreement", "--batch", "demo", "--format", "json"]))
        let criteria = try #require(agreement["criteria"] as? [String: Any])
        for (criterion, name) in [("present", "krippendorff_alpha_nominal"), ("severity", "krippendorff_alpha_ordinal")] {
            let report = try #require(criteria[criterion] as? [String: Any])
            let alpha = try #require(Self.metric(report, name), "\(criterion) \(name): \(report)")
            #expect(alpha > 0 && alpha < 1, "\(criterion) \(name) = \(alpha)")
            let order = try #require(report["categories"] as? [String]).joined(separator: ",")
            let reliability = "unit,rater,value\n" + rows.filter { $0["criterion"] == criterion }
                .map { "\($0["clip"]!),\($0["rater"]!),\($0["value"]!)" }.joined(separator: "\n") + "\n"
            let file = try CLI.temporaryFile(reliability, name: "\(criterion).csv")
            let fromFile = try CLI.run(["agreement", file, "--order", order, "--format", "json"])
            try #require(fromFile.status == 0, "agreement \(file): \(fromFile.stderr)")
            let other = try #require(Self.metric(try CLI.json(fromFile.stdout), name), "\(fromFile.stdout)")
            #expect(abs(other - alpha) < 1e-12, "\(criterion) \(name): batch \(alpha), file \(other)")
        }

        // A second run reuses the project unchanged.
        let eventsBefore = try project.auditEventCount()
        let second = try CLI.run(["demo", "--dir", dir, "--no-rate"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("reusing it unchanged"), "\(second.stdout)")
        #expect(exportedRows(try project.ok(["label", "export"])).count == rows.count)
        #expect(try project.auditEventCount() == eventsBefore)
        #expect(try project.ok(["audit", "verify"]).hasPrefix("audit log intact"))
    }

    @Test func missingAssetsExitTwoAndBuildNothing() throws {
        let parent = try scratchDirectory("demo-missing")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let dir = parent + "/demo"
        let result = try CLI.run(["demo", "--dir", dir, "--assets", "/nonexistent", "--no-rate"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(concordMessage(result.stderr).hasPrefix("concord: --assets /nonexistent: no such directory"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/concord.db"))
        #expect(!FileManager.default.fileExists(atPath: dir), "the --dir it would have made")
    }

    @Test func aFileThatIsNotAProjectIsLeftAlone() throws {
        let dir = try scratchDirectory("demo-junk")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try writeFile(dir + "/concord.db", "not a database\n")
        let result = try CLI.run(["demo", "--dir", dir, "--no-rate"])
        #expect(result.status == 2)
        #expect(concordMessage(result.stderr).contains("\(dir)/concord.db") && result.stderr.contains("choose another --dir"),
                "\(result.stderr)")
        #expect(try String(contentsOfFile: dir + "/concord.db", encoding: .utf8) == "not a database\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["concord.db"])
    }

    @Test func bundledClipsAreTheTableAndSmall() throws {
        let truth = try Self.truth()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.assets).filter { $0.hasSuffix(".mp4") }
        #expect(Set(files) == Set(truth.map(\.clip)))
        let total = try files.reduce(0) { sum, file in
            sum + (try #require(try FileManager.default.attributesOfItem(atPath: Self.assets + "/" + file)[.size] as? Int))
        }
        #expect(total > 0 && total < 5_000_000, "assets/demo clips total \(total) bytes")
    }
}
