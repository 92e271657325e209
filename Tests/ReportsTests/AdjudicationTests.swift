import Agreement
import Foundation
import Reports
import Rubric
import Store
import Testing

/// The adjudication queue, the golden set and gold accuracy on crafted labels, through a
/// real project file (Store in-process).
@Suite struct AdjudicationTests {
    static let rubricYAML = """
    name: crafted
    criteria:
      - id: kind
        question: Which kind?
        scale: nominal
        options: [car, truck, bike]
      - id: risk
        question: How risky?
        scale: ordinal
        options: [none, low, medium, high, extreme]
      - id: gap
        question: Gap in metres?
        scale: ratio
        range: [0, 100]
      - id: notes
        question: Notes
        scale: text
    """

    /// Items i1…i6, raters ann, ben, cat (raters), lee (lead), mo (model); labels as given:
    /// item → rater → [criterion: value].
    static func project(_ labels: [String: [String: [String: String]]]) throws -> (ProjectStore, ProjectSession) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("adj-\(UUID().uuidString).db").path
        let store = try ProjectStore.create(path: path, name: "t", admin: "admin")
        let admin = try store.session(login: "admin")
        _ = try admin.addRubric(try Rubric.parse(rubricYAML, file: "crafted.yaml"), sourcePath: "crafted.yaml")
        for (name, role) in [("ann", Role.rater), ("ben", .rater), ("cat", .rater), ("lee", .lead), ("mo", .model)] {
            try admin.addRater(name, role: role)
        }
        let clips = (1...6).map { i in
            ClipFacts(path: "/c/i\(i).mp4", name: "i\(i).mp4", sha256: String(format: "%064x", i), sizeBytes: 1, codec: "h264",
                      duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "b", rubric: "crafted")
        _ = try admin.assign(batch: "b", raters: ["ann", "ben", "cat", "mo"], overlap: nil, goldRate: nil)
        var rows: [LabelImportRow] = []
        for (clip, byRater) in labels.sorted(by: { $0.key < $1.key }) {
            for (rater, answers) in byRater.sorted(by: { $0.key < $1.key }) {
                for (criterion, value) in answers.sorted(by: { $0.key < $1.key }) {
                    rows.append(LabelImportRow(line: rows.count + 2, clip: clip + ".mp4", rater: rater, criterion: criterion, value: value))
                }
            }
        }
        _ = try admin.importLabels(rows, file: "crafted.csv", fileSHA256: String(repeating: "0", count: 64), batch: "b")
        return (store, try store.session(login: "admin", actingAs: "lee"))
    }

    static let crafted: [String: [String: [String: String]]] = [
        "i1": ["ann": ["kind": "car", "risk": "low"], "ben": ["kind": "car", "risk": "low"], "cat": ["kind": "car", "risk": "low"],
               "mo": ["kind": "truck"]],                                          // unanimous (the model does not vote)
        "i2": ["ann": ["kind": "car", "risk": "none"], "ben": ["kind": "truck", "risk": "extreme"], "cat": ["kind": "car", "risk": "none"]],
        "i3": ["ann": ["kind": "bike", "risk": "medium"], "ben": ["kind": "bike", "risk": "high"], "cat": ["kind": "bike", "risk": "medium"]],
        "i4": ["ann": ["kind": "car", "risk": "high", "gap": "10"], "ben": ["kind": "truck", "risk": "high", "gap": "12"],
               "cat": ["kind": "bike", "risk": "high", "gap": "40"]],
        "i5": ["ann": ["kind": "truck", "risk": "low"], "ben": ["kind": "truck", "risk": "low"]],
        "i6": ["ann": ["kind": "car"]],
    ]

    static func keys(_ queue: AdjudicationQueue) -> [String] { queue.entries.map { "\($0.clip):\($0.criterion)" } }

    @Test func membershipAndOrderOnCraftedLabels() throws {
        let (_, lead) = try Self.project(Self.crafted)
        let queue = try AdjudicationQueue(lead.adjudicationContext(batch: "b"))
        // Nominal: i2 (car/truck/car) and i4 (three kinds); i1's model vote does not count.
        // Ordinal: i2 (none vs extreme: 4 steps), i3 (medium/high: 1 step); i4 agrees.
        // Ratio: i4 (10, 12, 40). Unanimous i1, i5 and single-vote i6 stay out.
        #expect(Set(Self.keys(queue)) == ["i2.mp4:kind", "i4.mp4:kind", "i2.mp4:risk", "i3.mp4:risk", "i4.mp4:gap"])
        let byKey = Dictionary(uniqueKeysWithValues: queue.entries.map { ("\($0.clip):\($0.criterion)", $0) })
        #expect(byKey["i2.mp4:risk"]!.spread == 4 && byKey["i2.mp4:risk"]!.magnitude == 1)
        #expect(byKey["i3.mp4:risk"]!.spread == 1 && byKey["i3.mp4:risk"]!.magnitude == 0.25)
        #expect(byKey["i4.mp4:kind"]!.magnitude == 1 - 1.0 / 3)
        #expect(byKey["i4.mp4:gap"]!.spread == 30 && byKey["i4.mp4:gap"]!.magnitude == 0.3)
        // Ordinal distance matters: the 4-step split comes before the 1-step one.
        let order = Self.keys(queue)
        #expect(order.firstIndex(of: "i2.mp4:risk")! < order.firstIndex(of: "i3.mp4:risk")!)
        // The order is by priority (magnitude + positive alpha gain), descending.
        let priorities = queue.entries.map(\.priority)
        #expect(priorities == priorities.sorted(by: >))
        #expect(byKey["i2.mp4:kind"]!.votes.map { "\($0.rater)=\($0.value)" } == ["ann=car", "ben=truck", "cat=car"])
    }

    @Test func alphaGainIsAlphaWithoutTheUnitMinusAlpha() throws {
        let (_, lead) = try Self.project(Self.crafted)
        let context = try lead.adjudicationContext(batch: "b")
        let queue = try AdjudicationQueue(context)
        let risk = try #require(context.labels.rubric.criterion("risk"))
        let data = try BatchReliability.data(context.labels, criterion: risk, includeModels: false)
        let all = try #require(AgreementSummary(data).outcomes[.krippendorffAlphaOrdinal]?.value)
        for entry in queue.entries where entry.criterion == "risk" {
            // An independent path: the same labels with the unit's ratings left out.
            var labels = Self.crafted
            labels[String(entry.clip.dropLast(4))] = labels[String(entry.clip.dropLast(4))]!.mapValues { $0.filter { $0.key != "risk" } }
            let (_, other) = try Self.project(labels)
            let otherContext = try other.adjudicationContext(batch: "b")
            let without = try BatchReliability.data(otherContext.labels, criterion: risk, includeModels: false)
            let alphaWithout = try #require(AgreementSummary(without).outcomes[.krippendorffAlphaOrdinal]?.value)
            #expect(abs(try #require(entry.alphaGain) - (alphaWithout - all)) < 1e-12)
        }
    }

    @Test func thresholdFlagsResolutionsAndReopening() throws {
        let (store, lead) = try Self.project(Self.crafted)
        let admin = try store.session(login: "admin")
        // A spread threshold of 1 keeps only ordinal splits of 2+ steps and gaps over 1 m.
        try admin.setBatchRule(batch: "b", spreadThreshold: 1, goldThreshold: nil)
        var queue = try AdjudicationQueue(lead.adjudicationContext(batch: "b"))
        #expect(Set(Self.keys(queue)) == ["i2.mp4:kind", "i4.mp4:kind", "i2.mp4:risk", "i4.mp4:gap"])
        // A flag brings a unanimous item in (for each criterion it has votes on).
        let ann = try store.session(login: "admin", actingAs: "ann")
        try ann.markItem(try lead.item("i5.mp4", batch: "b"), kind: .flag, note: "is that a bus?")
        queue = try AdjudicationQueue(lead.adjudicationContext(batch: "b"))
        let flagged = queue.entries.filter { $0.clip == "i5.mp4" }
        #expect(Set(flagged.map(\.criterion)) == ["kind", "risk"])
        #expect(flagged.allSatisfy { $0.flags == ["ann: is that a bus?"] })
        // Resolving takes an entry out; a vote changed afterwards re-opens it.
        let i2 = try lead.item("i2.mp4", batch: "b")
        try lead.resolve(item: i2, criterion: "kind", value: "car", reason: .raterError, note: "ben misread the trailer")
        queue = try AdjudicationQueue(lead.adjudicationContext(batch: "b"))
        #expect(!Self.keys(queue).contains("i2.mp4:kind"))
        Thread.sleep(forTimeInterval: 0.01)   // timestamps have millisecond resolution
        let ben = try store.session(login: "admin", actingAs: "ben")
        try ben.submitItem(ItemSubmission(item: i2, answers: ["kind": "bike", "risk": "extreme", "gap": "5"], frame: 0, pts: 0, dwellMs: 1, watchedShare: 1))
        queue = try AdjudicationQueue(lead.adjudicationContext(batch: "b"))
        #expect(queue.entries.first { $0.clip == "i2.mp4" && $0.criterion == "kind" }?.reopened == true)
    }

    @Test func goldenSetContentAndVersion() throws {
        let (_, lead) = try Self.project(Self.crafted)
        let i2 = try lead.item("i2.mp4", batch: "b")
        try lead.resolve(item: i2, criterion: "risk", value: "none", reason: .raterError, note: "no hazard")
        let golden = GoldenSet(try lead.adjudicationContext(batch: "b"))
        let lines = golden.entries.map { "\($0.clip) \($0.criterion)=\($0.value) \($0.source)" }
        #expect(lines == ["i1.mp4 kind=car unanimous", "i1.mp4 risk=low unanimous", "i2.mp4 risk=none adjudicated",
                          "i3.mp4 kind=bike unanimous", "i4.mp4 risk=high unanimous", "i5.mp4 kind=truck unanimous",
                          "i5.mp4 risk=low unanimous"])
        let adjudicated = try #require(golden.entries.first { $0.source == "adjudicated" })
        #expect(adjudicated.adjudicator == "lee" && adjudicated.reason == "rater_error" && adjudicated.rationale == "no hazard")
        #expect(adjudicated.votes.map { "\($0.rater)=\($0.value)" } == ["ann=none", "ben=extreme", "cat=none"])
        #expect(adjudicated.canonicalLine.hasPrefix(#"{"adjudicator":"lee","clip":"i2.mp4","clip_sha256":"#))
        // The version is the SHA-256 of the canonical lines.
        let text = golden.entries.map { $0.canonicalLine + "\n" }.joined()
        #expect(golden.version == sha256Hex(text))

        // Same content in another project file (other ids' timestamps): same version.
        let (_, lead2) = try Self.project(Self.crafted)
        try lead2.resolve(item: try lead2.item("i2.mp4", batch: "b"), criterion: "risk", value: "none", reason: .raterError, note: "no hazard")
        #expect(GoldenSet(try lead2.adjudicationContext(batch: "b")).version == golden.version)
        // Any change — here only the rationale — gives a new version.
        try lead2.resolve(item: try lead2.item("i2.mp4", batch: "b"), criterion: "risk", value: "none", reason: .raterError, note: "no hazard at all")
        #expect(GoldenSet(try lead2.adjudicationContext(batch: "b")).version != golden.version)
    }

    @Test func goldAccuracyDriftAndThreshold() throws {
        let (store, lead) = try Self.project(Self.crafted)
        for (clip, criterion, value) in [("i1", "kind", "car"), ("i2", "kind", "car"), ("i3", "risk", "medium"), ("i4", "kind", "truck")] {
            try lead.addGold(item: try lead.item(clip + ".mp4", batch: "b"), criterion: criterion, value: value)
        }
        try store.session(login: "admin").setBatchRule(batch: "b", spreadThreshold: nil, goldThreshold: 0.6)
        let accuracy = GoldAccuracy(try lead.adjudicationContext(batch: "b"))
        #expect(accuracy.goldQuestions == 4)
        let rows = Dictionary(uniqueKeysWithValues: accuracy.rows.map { ($0.rater, $0) })
        #expect(rows["ann"]!.answered == 4 && rows["ann"]!.correct == 3 && !rows["ann"]!.flagged)     // i4: car ≠ truck
        #expect(rows["ben"]!.answered == 4 && rows["ben"]!.correct == 2 && rows["ben"]!.flagged)      // i2 truck, i3 high
        #expect(rows["cat"]!.correct == 3)
        #expect(rows["mo"]!.answered == 1 && rows["mo"]!.correct == 0 && rows["mo"]!.role == .model)
        #expect(rows["ben"]!.earlier != nil && rows["ben"]!.later != nil)
        #expect(throws: StoreError.self) {
            try lead.addGold(item: 1, criterion: "kind", value: "plane")
        }
    }
}

func sha256Hex(_ text: String) -> String {
    // An independent SHA-256 for the test: the sha256sum CLI.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString).txt").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    process.waitUntilExit()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return String(out.prefix(64))
}
