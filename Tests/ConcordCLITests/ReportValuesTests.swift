import Foundation
import Testing

/// Values from users in the reports (issue 14): a lead's note cannot become Markdown or HTML
/// structure, a spreadsheet formula, or leak Swift's names; readings follow their intervals
/// and every interval says how it was made.
@Suite struct ReportValuesTests {
    /// A note that tries every way out of its table cell: a blank line and a heading, a
    /// link, raw HTML, a script URL, a pipe, emphasis, code, and a bidi override.
    static let note = "fine\n\n# Approved by QA\n[details](https://evil.example/x)<iframe src=\"https://evil.example\"></iframe> javascript:alert(1) | *bold* `code` \u{202E}txt"

    /// The note as the Markdown report writes it, worked out by hand from the rules in
    /// docs/reports.md: specials backslash-escaped, line breaks as ␤, the bidi control as
    /// the text \u{202E}.
    static let noteMarkdown = ##"fine␤␤\# Approved by QA␤\[details\]\(https\://evil\.example/x\)\<iframe src="https\://evil\.example"\>\</iframe\> javascript\:alert\(1\) \| \*bold\* \`code\` \\u{202E}txt"##

    /// The same in HTML: entities for markup, the bidi control shown as text.
    static let noteHTML = "fine\n\n# Approved by QA\n[details](https://evil.example/x)&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt; javascript:alert(1) | *bold* `code` \\u{202E}txt"

    static func project(_ kind: StoreKind = .sqlite) throws -> Project {
        let project = try Standard.copy(kind)
        try project.ok(["resolve", "a.mp4", "--criterion", "present", "--value", "yes", "--reason", "rubric_ambiguous", "--note", note], as: "lena")
        try project.ok(["send-back", "b.mp4", "--raters", "alice", "--note", "look again"], as: "lena")
        return project
    }

    /// The report as the lead (nil: as the project's admin, the demo's case).
    static func report(_ project: Project, _ format: String, as who: String? = "lena") throws -> String {
        let out = project.dir + "/report.\(format)"
        _ = try project.ok(["report", "--format", format, "--out", out, "--bootstrap", "200"], as: who)
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    @Test(arguments: StoreKind.available)
    func aNoteStaysTextInItsCellInMarkdownAndHTML(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let md = try Self.report(project, "md")
        // Internal Swift names (rubricAmbiguous, sendBack) do not leak: the CLI's names do.
        #expect(md.contains("| 1 | present | resolve | yes | lena | rubric_ambiguous | \(Self.noteMarkdown) |\n"), "\(md)")
        #expect(md.contains("| 2 |  | send_back | sent back to alice | lena |  | look again |\n"))
        #expect(!md.contains("rubricAmbiguous") && !md.contains("sendBack"))
        #expect(!md.contains("\n# Approved"))
        try Self.renderMarkdown(md, file: project.dir + "/report.md")

        let html = try Self.report(project, "html")
        #expect(html.contains("<td>rubric_ambiguous</td><td>\(Self.noteHTML)</td>"))
        #expect(html.contains("<td>send_back</td><td>sent back to alice</td>"))
        #expect(!html.contains("<iframe") && !html.contains("\u{202E}") && !html.contains("sendBack"))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(try Self.report(project, "json").utf8)) as? [String: Any])
        let decisions = try #require(json["adjudications"] as? [[String: Any]])
        #expect(decisions.map { "\($0["kind"]!)|\($0["reason"]!)|\($0["value"]!)" } == ["resolve|rubric_ambiguous|yes", "send_back||sent back to alice"])
        #expect(decisions[0]["note"] as? String == Self.note)   // JSON keeps the data exact
    }

    /// A real CommonMark renderer (markdown-it-py, from Tests/Reference/requirements.txt) turns
    /// the report into HTML with no heading, link or iframe from the note, and the note's
    /// text inside one table cell.
    static func renderMarkdown(_ md: String, file: String) throws {
        let python = ProcessInfo.processInfo.environment["CONCORD_TEST_PYTHON"]
            ?? CLI.packageRoot.appendingPathComponent(".build-venv/bin/python3").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("no Python at \(python); `make test` creates .build-venv with markdown-it-py")
            return
        }
        let script = """
        import sys, json
        from markdown_it import MarkdownIt
        html = MarkdownIt("commonmark").enable("table").render(open(sys.argv[1], encoding="utf-8").read())
        cells = [c for c in html.split("<td>") if "Approved by QA" in c]
        print(json.dumps({"h1": html.count("<h1>"), "links": html.count("<a "), "iframes": html.count("<iframe"),
                          "cells": [c.split("</td>")[0] for c in cells]}))
        """
        let result = try Tool.run(python, ["-c", script, file])
        try #require(result.status == 0, "markdown-it-py: \(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(out["h1"] as? Int == 1)   // the report's own title only
        #expect(out["links"] as? Int == 0 && out["iframes"] as? Int == 0)
        let rendered = "fine␤␤# Approved by QA␤[details](https://evil.example/x)&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt; javascript:alert(1) | *bold* `code` \\u{202E}txt"
        #expect(out["cells"] as? [String] == [rendered])
    }

    @Test(arguments: StoreKind.available)
    func csvCellsAreNeverSpreadsheetFormulasButNumbersStayNumbers(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        // c.mp4 present has one vote (bob: yes): a resolve makes it a golden entry whose
        // rationale would be a formula in a spreadsheet.
        let formula = "=HYPERLINK(\"https://evil.example\",\"see\")"
        try project.ok(["resolve", "c.mp4", "--criterion", "present", "--value", "yes", "--reason", "other", "--note", formula], as: "lena")
        let golden = try project.ok(["golden", "export", "--format", "csv"], as: "lena")
        let row = try #require(golden.split(separator: "\n").first { $0.contains(",c.mp4,") })
        #expect(row.contains(",other,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"see\"\")\","), "\(row)")
        #expect(!golden.contains(",=") && !golden.contains(",\"="))
        // The report's CSV: negative numbers (a lower bound below zero) are numbers, not text.
        let csv = try Self.report(project, "csv")
        let negatives = csv.split(separator: "\n").filter { $0.contains(".ci95_lower,-") }
        #expect(!negatives.isEmpty)
        for line in negatives { #expect(Double(line.split(separator: ",").last!) != nil, "\(line)") }
        #expect(!csv.contains(",'-"))
        // --out says how many entries, in English.
        let out = project.dir + "/golden.csv"
        let written = try project.run(["golden", "export", "--format", "csv", "--out", out], as: "lena")
        let entries = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count - 1
        #expect(entries > 1 && written.stderr.hasPrefix("golden set of batch b1: \(entries) entries, version "))
    }

    /// Every interval says how it was made, and the reading follows it. The demo's severity
    /// (the issue's case): ordinal alpha above 0.800 on six items, its interval reaching far
    /// below — "not established", never "reliable"; present, a nominal criterion, is not
    /// called ordered. SQLite only: `concord demo` makes a project file.
    @Test func intervalsNameTheirBootstrapAndReadingsFollowThem() throws {
        let dir = try scratchDirectory("report-demo") + "/demo"
        let project = Project(dir: dir, db: dir + "/concord.db")
        defer { project.remove() }
        let built = try CLI.run(["demo", "--dir", dir, "--no-rate"])
        try #require(built.status == 0, "\(built.stderr)")
        let md = try Self.report(project, "md", as: nil)
        #expect(md.contains("| metric | value | 95% CI (bootstrap B=200 seed 1) | interpretation |\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try Self.report(project, "json", as: nil).utf8)) as? [String: Any])
        let severity = try #require((((json["criteria"] as? [String: Any])?["severity"] as? [String: Any])?["metrics"] as? [String: Any])?["krippendorff_alpha_ordinal"] as? [String: Any])
        let value = try #require(severity["value"] as? Double)
        let lower = try #require(severity["ci95_lower"] as? Double), upper = try #require(severity["ci95_upper"] as? Double)
        let q = try #require(severity["q"] as? Double)
        try #require(value >= 0.8 && lower < 0.667 && upper >= 0.8, "the demo's severity: \(value) [\(lower), \(upper)]")
        #expect(severity["q_minimum"] as? Double == 0.8 && q > 0 && q < 1)
        let reading = "not established: CI straddles 0.667 and 0.800 (q = \(String(format: "%.3f", q)))"
        #expect(severity["interpretation"] as? String == reading)
        #expect(md.contains("| krippendorff_alpha_ordinal | \(String(format: "%.3f", value)) | [\(String(format: "%.3f", lower)), \(String(format: "%.3f", upper))] | \(reading) |\n"))
        // `concord agreement --bootstrap 200` gives the same interval and reading.
        let text = try project.ok(["agreement", "--batch", "demo", "--bootstrap", "200"])
        #expect(text.contains(reading))
        #expect(text.contains("CI: percentile bootstrap B=200 seed 1, units resampled."))
        // present is nominal: its categories are the rubric's list, not an order.
        #expect(text.contains("\n3 categories: yes, no, unclear\n"))
        #expect(text.contains("\n5 categories (ordered): none < minor < moderate < severe < critical\n"))
    }

    /// Heat map headers are turned so names cannot overlap, and long names are cut with the
    /// whole name as a tooltip; the gold chart says why it is empty.
    @Test(arguments: StoreKind.available)
    func heatMapHeadersAndAnEmptyGoldChart(_ kind: StoreKind) throws {
        let project = try Standard.copy(kind)
        let html = try Self.report(project, "html")
        #expect(html.contains("transform=\"rotate(-45 "))
        #expect(html.contains("<p>No gold questions in this batch, so no gold accuracy (<code>concord gold add ITEM --criterion C --value V</code> adds one).</p>"))
        try project.ok(["gold", "add", "c.mp4", "--criterion", "ttc", "--value", "3"], as: "lena")
        #expect(html.contains("<text x=\"0\" y=\"\(28 * 4 + 36)\" font-size=\"11\">bars: 95% CI (bootstrap B=200 seed 1)</text>"))
        let withGold = try Self.report(project, "html")
        // bob answered it (3.5, wrong): one answer is drawn as a dot.
        #expect(withGold.contains("gold accuracy over time") && withGold.contains("<circle cx=\"6\" cy=\"166\" r=\"3\""))
    }
}
