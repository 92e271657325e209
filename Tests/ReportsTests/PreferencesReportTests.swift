import Foundation
import Pairwise
@testable import Reports
import Rubric
import Store
import Testing

/// The Preferences section of a real pairwise project's report (Store in-process, as
/// `concord report` reads it): the numbers are the answers' counts and `Pairwise.fit`'s, the
/// positions the raters' recorded sides, the Scores section points to it, an auditor's report
/// numbers the clips, and the HTML renders in headless Chromium.
@Suite struct PreferencesReportTests {
    static let rubricYAML = """
    name: pref
    criteria:
      - id: overall
        question: Which clip is better?
        type: pairwise
        tie: true
      - id: notes
        question: Notes
        scale: text
    """

    /// Clips x, y, z (systems alpha, beta, gamma) in the pool of batch pb, the pairs x–y, y–z,
    /// x–z given to r1, r2 and r3, who answer (a, b or tie for each pair in that order):
    /// r1 a a a (x > y > z); r2 a b a (x > y, z > y, x > z); r3 b a tie (y > x, y > z, x = z).
    /// Returns the lead's session and each rater's (decisive answers, left-side wins).
    static func project() throws -> (ProjectSession, ProjectSession, [String: (Int, Int)]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pref-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "pref.yaml"), sourcePath: "pref.yaml")
        for (name, role) in [("r1", Role.rater), ("r2", .rater), ("r3", .rater), ("lee", .lead), ("aud", .auditor)] {
            try admin.addRater(name, role: role)
        }
        let clips = ["x", "y", "z"].enumerated().map { i, name in
            ClipFacts(path: "/c/\(name).mp4", name: "\(name).mp4", sha256: String(format: "%064x", i + 1), sizeBytes: 1, codec: "h264",
                      duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "pb", rubric: "pref")
        _ = try admin.tagClips(zip(["x", "y", "z"], ["alpha", "beta", "gamma"]).map { ClipTag(clip: "\($0).mp4", group: "g", system: $1) })
        _ = try admin.addPairs([PairRequest(a: "x.mp4", b: "y.mp4"), PairRequest(a: "y.mp4", b: "z.mp4"), PairRequest(a: "x.mp4", b: "z.mp4")],
                               batch: "pb", rubric: nil)
        _ = try admin.assign(batch: "pb", raters: ["r1", "r2", "r3"], overlap: nil, goldRate: nil)
        let answers = ["r1": ["a", "a", "a"], "r2": ["a", "b", "a"], "r3": ["b", "a", "tie"]]
        var left: [String: (Int, Int)] = [:]
        for (rater, values) in answers {
            let session = try store.session(login: rater)
            let entries = try session.ratingQueue(batch: "pb").entries
            #expect(entries.map { "\($0.clip)-\($0.pair?.clipB ?? "")" } == ["x.mp4-y.mp4", "y.mp4-z.mp4", "x.mp4-z.mp4"])
            var count = (0, 0)
            for (entry, value) in zip(entries, values) {
                _ = try session.submitItem(ItemSubmission(item: entry.item, answers: ["overall": value, "notes": ""],
                                                          frame: 1, pts: 0, dwellMs: 900, watchedShare: 1))
                guard value != "tie" else { continue }
                count.0 += 1
                if (value == "a") == entry.pair!.leftIsA { count.1 += 1 }
            }
            left[rater] = count
        }
        return (try store.session(login: "lee"), try store.session(login: "aud"), left)
    }

    static func report(_ session: ProjectSession) throws -> (BatchReport, ReportExtras, ReportInputs) {
        let inputs = try session.reportInputs(batch: "pb")
        var report = try BatchReport(labels: inputs.labels, activity: inputs.activity, gold: inputs.gold, goldThreshold: inputs.goldThreshold,
                                     version: "t", resamples: 20, seed: 1, viewing: inputs.viewing, namingClips: inputs.context != nil)
        report.preferences = try PreferencesSection.make(rubric: inputs.labels.rubric, comparisons: inputs.comparisons,
                                                         namingClips: inputs.context != nil)
        return (report, try ReportExtras(context: inputs.context, resamples: 20, seed: 1), inputs)
    }

    @Test func theSectionHoldsTheAnswersCountsFitAndSides() throws {
        let (lee, aud, left) = try Self.project()
        let (report, extras, inputs) = try Self.report(lee)
        let c = try #require(report.preferences?.criteria.first)
        #expect(report.preferences?.criteria.count == 1 && c.id == "overall")
        // The win rates by system (every clip is tagged), best first.
        #expect(c.matrix.axis == .system && c.matrix.entries == ["alpha", "beta", "gamma"])
        #expect(ReportRender.matrixRows(c.matrix) == [["row beats column", "alpha", "beta", "gamma"],
                                                      ["alpha", "—", "0.667 (2/3)", "1.000 (2/2), 1 tie"],
                                                      ["beta", "0.333 (1/3)", "—", "0.667 (2/3)"],
                                                      ["gamma", "0.000 (0/2), 1 tie", "0.333 (1/3)", "—"]])
        // The clips' scores are Pairwise.fit's on the answers read.
        let stored = try #require(inputs.comparisons["overall"]), overall = try #require(inputs.labels.rubric.criterion("overall"))
        let read = try #require(BatchPairwise(stored, criterion: overall))
        let direct = Pairwise.fit(read.data)
        #expect(c.result == direct)
        let items = stored.items
        #expect(c.scored.map { c.data.items[$0.item] } == zip(items, ["x.mp4", "y.mp4", "z.mp4"]).map { "\($0):\($1)" })
        #expect(c.scored.map(\.wins) == [4, 3, 1] && c.scored.map(\.losses) == [1, 3, 4] && c.scored.map(\.ties) == [1, 0, 1])
        // Each rater's share of left wins is the hand count from the sides the queue showed.
        for r in c.result.raters {
            let name = c.data.raters[r.rater], p = try r.leftWins.get()
            #expect(p.n == left[name]!.0 && p.share == Double(left[name]!.1) / Double(left[name]!.0), "\(name)")
        }
        #expect(c.result.raters.map(\.circularTriads) == [0, 0, 0])
        // JSON: the fit exactly; CSV the same numbers; the Scores section points here.
        let json = ReportRender.json(report, extras)
        let x = try #require(direct.items[0].score), ci = try #require(direct.items[0].ci95)
        #expect(json.contains("{\"item\": \"\(items[0]):x.mp4\", \"score\": \(x), \"se\": ") && json.contains("\"ci95\": [\(ci.0), \(ci.1)]"))
        let csv = ReportRender.csv(report, extras)
        #expect(csv.contains("preferences.overall,item.\(items[0]):x.mp4.score,\(x)\n"))
        #expect(csv.contains("preferences.overall,win.alpha|beta.wins,2\n"))
        let md = ReportRender.markdown(report, extras)
        #expect(md.contains("## Preferences\n") && md.contains("'overall' is a pairwise criterion\\: its answers compare two clips"))
        #expect(md.contains("| 1 | \(items[0])\\:x\\.mp4 | \(fixed(x, 3)) | [\(fixed(ci.0, 3)), \(fixed(ci.1, 3))] | 4 | 1 | 1 | 1 |"))
        // An auditor's report: the same numbers, the clips by their pool item numbers.
        let (audited, audExtras, audInputs) = try Self.report(aud)
        let a = try #require(audited.preferences?.criteria.first)
        #expect(try #require(audInputs.comparisons["overall"]).items == items)
        #expect(a.data.items == items.map { "\($0)" } && a.result == direct)
        let audMD = ReportRender.markdown(audited, audExtras)
        #expect(!audMD.contains("x\\.mp4") && audMD.contains("| 1 | \(items[0]) | \(fixed(x, 3)) |"))
        // The HTML draws it, and Chromium renders it.
        let html = ReportRender.html(report, extras)
        #expect(html.contains("<h2>Preferences</h2>") && html.contains("aria-label=\"win rates of overall\"") && html.contains(">0.67</text>"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pref-\(UUID().uuidString).html").path
        try html.write(toFile: file, atomically: true, encoding: .utf8)
        try Self.renderInChromium(file, expect: fixed(x, 3))
    }

    /// Headless Chromium (`make test` installs it): a screenshot that is not blank, and a DOM
    /// with the section and a known value.
    static func renderInChromium(_ path: String, expect value: String) throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            Issue.record("/usr/bin/chromium is not installed; `make test` installs it (scripts/deps.sh test)")
            return
        }
        let shot = path + ".png"
        let common = ["--headless", "--no-sandbox", "--disable-gpu"]
        _ = try run(chromium, common + ["--screenshot=\(shot)", "--window-size=1200,3000", "file://" + path])
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.count > 20_000, "screenshot is \(png.count) bytes")
        let dom = try run(chromium, common + ["--dump-dom", "file://" + path])
        #expect(dom.contains("Preferences: overall") && dom.contains("Leaderboard") && dom.contains(value))
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process(), out = Pipe()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
