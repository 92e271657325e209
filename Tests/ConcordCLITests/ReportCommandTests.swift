import Foundation
import Testing

/// `concord report`: its numbers are `concord agreement --batch`'s, every format is written
/// atomically, the HTML is self-contained, auditors may produce it and raters may not.
@Suite struct ReportCommandTests {
    static func project(_ kind: StoreKind = .sqlite) throws -> Project {
        let project = try Standard.copy(kind)
        try project.ok(["gold", "add", "b.mp4", "--criterion", "present", "--value", "no"], as: "lena")
        return project
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: StoreKind.available)
    func jsonNumbersEqualTheAgreementCommand(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let out = project.dir + "/report.json"
        _ = try project.ok(["report", "--format", "json", "--out", out, "--batch", "b1", "--bootstrap", "200", "--seed", "7"], as: "lena")
        let report = try Self.object(String(contentsOfFile: out, encoding: .utf8))
        let agreement = try Self.object(try project.ok(["agreement", "--batch", "b1", "--format", "json", "--bootstrap", "200", "--seed", "7"]))
        let ours = try #require(report["criteria"] as? [String: Any])
        let theirs = try #require(agreement["criteria"] as? [String: Any])
        #expect(!ours.isEmpty)
        var compared = 0
        for (criterion, value) in ours {
            let mine = try #require((value as? [String: Any])?["metrics"] as? [String: Any])
            let engine = try #require(((theirs[criterion] as? [String: Any])?["metrics"]) as? [String: Any], "\(criterion)")
            for (metric, m) in mine {
                let a = try #require(m as? [String: Any]), b = try #require(engine[metric] as? [String: Any], "\(criterion).\(metric)")
                for key in ["value", "ci95_lower", "ci95_upper"] {
                    if let x = a[key] as? Double {
                        let y = try #require(b[key] as? Double, "\(criterion).\(metric).\(key)")
                        #expect(abs(x - y) < 1e-12, "\(criterion).\(metric).\(key)")
                        compared += 1
                    } else {
                        #expect(b[key] == nil || b[key] is NSNull, "\(criterion).\(metric).\(key)")
                    }
                }
            }
        }
        #expect(compared > 3)
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["items"] as? Int == (agreement["items"] as? Int))
        let method = try #require(report["method"] as? [String: Any])
        #expect(method["concord_version"] as? String == "0.1.0")
        #expect(method["bootstrap_resamples"] as? Int == 200 && method["bootstrap_seed"] as? Int == 7)
        #expect(method["rubric_hash"] as? String == agreement["rubric_hash"] as? String)
        #expect((method["label_snapshot_sha256"] as? String)?.count == 64)
        // The audit anchor is the log's newest event when the report was made, and checks out.
        let anchor = try #require(method["audit_anchor"] as? String)
        let verified = try project.ok(["audit", "verify", "--anchor", anchor])
        #expect(verified.contains("; 1 anchor matched\nanchor \(anchor) "))
        // The lead sees the golden set version and the clip hashes.
        #expect((method["clip_sha256"] as? [String: Any])?.isEmpty == false)
        #expect(report["golden_set_version"] as? String != "not available to auditors")
        // Gold: alice and bob both answered b.mp4 present = no, the gold answer.
        let raters = try #require(report["raters"] as? [[String: Any]])
        let alice = try #require(raters.first { $0["rater"] as? String == "alice" })
        #expect(alice["gold_answered"] as? Int == 1 && alice["gold_accuracy"] as? Double == 1)
        // Median dwell is an aggregate: a number or null, never a note.
        #expect(alice["median_dwell_ms"] as? String == nil)
    }

    /// The judge section equals `concord judge`, and the open disagreements are
    /// `concord queue`'s entries in its order.
    @Test(arguments: StoreKind.available)
    func judgeSectionAndOpenDisagreementsEqualTheirCommands(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        // Before any decision: the open disagreements are the queue's entries, in its order.
        let before = project.dir + "/before.json"
        _ = try project.ok(["report", "--format", "json", "--out", before, "--bootstrap", "20"], as: "lena")
        let queue = try Self.object(try project.ok(["queue", "--format", "json"], as: "lena"))
        let entries = try #require(queue["entries"] as? [[String: Any]])
        let openBefore = try #require(try Self.object(String(contentsOfFile: before, encoding: .utf8))["open_disagreements"] as? [[String: Any]])
        #expect(entries.contains { $0["clip"] as? String == "a.mp4" && $0["criterion"] as? String == "present" })
        #expect(openBefore.map { "\($0["item"]!)|\($0["criterion"]!)" } == entries.map { "\($0["item"]!)|\($0["criterion"]!)" })
        try project.ok(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "rater_error"], as: "lena")
        let out = project.dir + "/report.json"
        _ = try project.ok(["report", "--format", "json", "--out", out, "--bootstrap", "200", "--seed", "3"], as: "lena")
        let report = try Self.object(String(contentsOfFile: out, encoding: .utf8))
        let judge = try Self.object(try project.ok(["judge", "m1", "--format", "json", "--bootstrap", "200", "--seed", "3"], as: "lena"))
        let judges = try #require(report["judges"] as? [[String: Any]])
        #expect(judges.map { $0["judge"] as? String } == ["m1"])
        #expect(judges[0]["golden_version"] as? String == judge["golden_version"] as? String)
        let mine = try #require(judges[0]["criteria"] as? [String: Any]), theirs = try #require(judge["criteria"] as? [String: Any])
        #expect(Set(mine.keys) == Set(theirs.keys) && !mine.isEmpty)
        var compared = 0
        for (criterion, section) in theirs {
            let a = try #require(mine[criterion] as? [String: Any]), b = try #require(section as? [String: Any])
            let rowsA = [a["judge"] as Any] + (a["humans"] as? [Any] ?? []), rowsB = [b["judge"] as Any] + (b["humans"] as? [Any] ?? [])
            #expect(rowsA.count == rowsB.count)
            for (x, y) in zip(rowsA, rowsB) {
                let x = try #require(x as? [String: Any]), y = try #require(y as? [String: Any])
                #expect(x["rater"] as? String == y["rater"] as? String && x["n"] as? Int == y["n"] as? Int)
                let sx = try #require(x["statistics"] as? [String: Any]), sy = try #require(y["statistics"] as? [String: Any])
                #expect(Set(sx.keys) == Set(sy.keys))
                for (name, e) in sy {
                    let ey = try #require(e as? [String: Any]), ex = try #require(sx[name] as? [String: Any])
                    for key in ["value", "ci95_lower", "ci95_upper"] {
                        #expect((ex[key] as? Double) == (ey[key] as? Double), "\(criterion) \(name) \(key)")
                        if ey[key] is Double { compared += 1 }
                    }
                }
                #expect((x["confusion"] as? [[Int]]) == (y["confusion"] as? [[Int]]))
            }
        }
        #expect(compared > 10)
        // a.mp4 present was resolved: it is an adjudication, not an open disagreement.
        let open = try #require(report["open_disagreements"] as? [[String: Any]])
        #expect(open.count == entries.count - 1)
        let decisions = try #require(report["adjudications"] as? [[String: Any]])
        #expect(decisions.contains { $0["criterion"] as? String == "present" && $0["value"] as? String == "yes" })
        #expect(!open.contains { $0["clip"] as? String == "a.mp4" && $0["criterion"] as? String == "present" })
        // Markdown and HTML carry the same sections.
        for format in ["md", "html"] {
            let file = project.dir + "/report.\(format)"
            _ = try project.ok(["report", "--format", format, "--out", file, "--bootstrap", "50"], as: "lena")
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("Model judges against the golden set") && text.contains("m1 (model)"), "\(format)")
            #expect(text.contains("Open disagreements (not yet adjudicated): \(open.count)"), "\(format)")
        }
    }

    @Test(arguments: StoreKind.available)
    func everyFormatIsWrittenAtomically(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        for format in ["html", "md", "csv", "json"] {
            let out = project.dir + "/report.\(format)"
            try "old".write(toFile: out, atomically: true, encoding: .utf8)
            _ = try project.ok(["report", "--format", format, "--out", out, "--bootstrap", "50"], as: "aud")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.count > 200, "\(format)")
            #expect(!text.hasPrefix("old"))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.dir).filter { $0.contains(".concord-") }
        #expect(leftovers.isEmpty)
        let csv = try String(contentsOfFile: project.dir + "/report.csv", encoding: .utf8)
        #expect(csv.hasPrefix("section,key,value\n"))
        #expect(csv.contains("criterion.present,krippendorff_alpha_nominal.value,"))
        let md = try String(contentsOfFile: project.dir + "/report.md", encoding: .utf8)
        #expect(md.hasPrefix("# Audit report: batch b1"))
        #expect(md.contains("## Method"))
    }

    @Test(arguments: StoreKind.available)
    func htmlIsSelfContainedAndAuditorsMayProduceIt(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let out = project.dir + "/report.html"
        _ = try project.ok(["report", "--format", "html", "--out", out, "--bootstrap", "100"], as: "aud")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("http"))
        for heading in ["Summary", "Agreement per criterion", "Raters", "Confusion matrices", "Disagreements and adjudication", "Golden set", "Method"] {
            #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        #expect(html.contains("<svg"))
        #expect(html.contains("@media print"))
        // Lead-only parts are noted, not leaked.
        #expect(html.contains("not available to auditors"))
        let json = project.dir + "/aud.json"
        _ = try project.ok(["report", "--format", "json", "--out", json, "--bootstrap", "20"], as: "aud")
        let audit = try Self.object(String(contentsOfFile: json, encoding: .utf8))
        #expect(audit["adjudications"] as? String == "not available to auditors")
        #expect(audit["judges"] as? String == "not available to auditors")
        #expect(audit["open_disagreements"] as? String == "not available to auditors")
        // The auditor gets the audit anchor too (metadata, no label): the log has not moved.
        #expect(((audit["method"] as? [String: Any])?["audit_anchor"] as? String)?.hasPrefix("\(try project.sql("SELECT max(seq) FROM audit_event;").trimmingCharacters(in: .newlines)):") == true)
        // Per-rater medians are aggregates: the auditor's equal the lead's.
        let leadJSON = project.dir + "/lead.json"
        _ = try project.ok(["report", "--format", "json", "--out", leadJSON, "--bootstrap", "20"], as: "lena")
        let lead = try Self.object(String(contentsOfFile: leadJSON, encoding: .utf8))
        func medians(_ r: [String: Any]) -> [String] {
            (r["raters"] as? [[String: Any]] ?? []).map { "\($0["rater"]!)|\($0["median_dwell_ms"] ?? "-")|\($0["median_watched_share"] ?? "-")|\($0["items_per_hour"] ?? "-")" }
        }
        #expect(medians(audit) == medians(lead) && !medians(audit).isEmpty)
        // One heat map per criterion.
        for criterion in (audit["criteria"] as? [String: Any] ?? [:]).keys {
            #expect(html.contains("Rater × rater agreement: \(criterion)"), "\(criterion)")
        }
        let alpha = try Self.object(try project.ok(["agreement", "--batch", "b1", "--format", "json", "--criterion", "present"]))
        let value = try #require((((alpha["criteria"] as? [String: Any])?["present"] as? [String: Any])?["metrics"] as? [String: Any])?["krippendorff_alpha_nominal"] as? [String: Any])?["value"] as? Double
        let shown = String(format: "%.3f", try #require(value))
        #expect(html.contains(shown))
        try Self.renderInChromium(out, expect: shown)
    }

    @Test(arguments: StoreKind.available)
    func aRaterMayNotProduceIt(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let out = project.dir + "/r.html"
        let result = try project.run(["report", "--format", "html", "--out", out], as: "alice")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Headless Chromium (`make test` installs it): a screenshot that is not blank, and a DOM with
    /// the headings and a known value.
    static func renderInChromium(_ path: String, expect value: String) throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            Issue.record("/usr/bin/chromium is not installed; `make test` installs it (scripts/deps.sh test)")
            return
        }
        // Beside the report, in its test's own directory: the suite's cases run at once, and a
        // shared name let one case read the other's half-written screenshot.
        let shot = path + ".png"
        let common = ["--headless", "--no-sandbox", "--disable-gpu"]
        _ = try Tool.run(chromium, common + ["--screenshot=\(shot)", "--window-size=1200,2000", "file://" + path])
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        // A blank 1200×2000 PNG compresses to a few kilobytes; text and charts do not.
        #expect(png.count > 20_000, "screenshot is \(png.count) bytes")
        let dom = try Tool.run(chromium, common + ["--dump-dom", "file://" + path])
        #expect(dom.stdout.contains("Agreement per criterion") && dom.stdout.contains("Method") && dom.stdout.contains(value))
    }
}
