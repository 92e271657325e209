import Aggregation
import Foundation
import Testing

/// `concord aggregate --batch B --criterion C`: a project's current labels of one nominal or
/// ordinal criterion, through the Store API (SQLite and PostgreSQL alike); mv checked by
/// counting, ds against `Aggregation.aggregate` on the same labels built here from the table;
/// models left out unless asked; auditors' items by number; bad input one line, exit 2.
@Suite struct AggregateBatchTests {
    /// The standard project with lena's and alice's labels added, so that on `present`
    /// three raters disagree: a yes, no, yes; b no, no, unclear; c yes, no, unclear (bob,
    /// alice, lena) — and the model m1's yes on a, no on b (left out unless asked).
    static let extra = """
        clip,rater,criterion,value
        b.mp4,lena,present,unclear
        c.mp4,alice,present,no
        c.mp4,lena,present,unclear

        """
    static let present: [(clip: String, votes: [(rater: String, value: String)])] = [
        ("a.mp4", [("alice", "yes"), ("bob", "no"), ("lena", "yes")]),
        ("b.mp4", [("alice", "no"), ("bob", "no"), ("lena", "unclear")]),
        ("c.mp4", [("alice", "no"), ("bob", "yes"), ("lena", "unclear")]),
    ]
    static let options = ["yes", "no", "unclear"]

    static func project(_ kind: StoreKind) throws -> Project {
        let project = try Standard.copy(kind)
        try writeFile(project.dir + "/extra.csv", extra)
        try project.ok(["label", "import", project.dir + "/extra.csv"])
        return project
    }

    /// The table's labels as LabelData, named as a lead sees units (`ITEM:CLIP`, from `names`).
    static func labelData(names: [String]) throws -> LabelData {
        let raters = ["alice", "bob", "lena"]
        var item: [Int32] = [], rater: [Int32] = [], label: [Int32] = []
        for (i, unit) in present.enumerated() {
            for vote in unit.votes {
                item.append(Int32(i)); rater.append(Int32(raters.firstIndex(of: vote.rater)!)); label.append(Int32(options.firstIndex(of: vote.value)!))
            }
        }
        return try LabelData(itemNames: names, raterNames: raters, classNames: options, item: item, rater: rater, label: label)
    }

    static func units(_ json: String) throws -> [[String: Any]] { try #require(try CLI.json(json)["units"] as? [[String: Any]]) }
    static func posterior(_ unit: [String: Any]) -> [String: Double] { unit["posterior"] as? [String: Double] ?? [:] }

    @Test(arguments: StoreKind.available)
    func majorityVoteByCountingAndDawidSkeneAsAggregation(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let mv = try CLI.json(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv", "--format", "json"]))
        // aggregate FILE's shape (AggregationReport): method, units, raters, ties.
        #expect(mv["method"] as? String == "mv" && mv["ties"] as? Int == 1)
        let units = try #require(mv["units"] as? [[String: Any]])
        let names = units.compactMap { $0["unit"] as? String }
        #expect(names.map { $0.split(separator: ":").last.map(String.init) } == ["a.mp4", "b.mp4", "c.mp4"])
        #expect(units[0]["label"] as? String == "yes" && Self.posterior(units[0]) == ["yes": 2.0 / 3, "no": 1.0 / 3, "unclear": 0])
        #expect(units[1]["label"] as? String == "no" && Self.posterior(units[1]) == ["yes": 0, "no": 2.0 / 3, "unclear": 1.0 / 3])
        #expect(units[2]["label"] is NSNull && units[2]["tied"] as? [String] == Self.options && units[2]["n"] as? Int == 3)
        let raters = try #require(mv["raters"] as? [[String: Any]])
        #expect(raters.map { $0["rater"] as? String } == ["alice", "bob", "lena"])   // m1 is a model
        // alice: yes on a and no on b agree with the consensus (c is a tie): 2 of 2; bob 1 of 2.
        #expect(raters.map { $0["accuracy"] as? Double } == [1, 0.5, 0.5])

        // ds: what Aggregation gives on the same labels, built from the table above.
        let ds = try CLI.json(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--format", "json"]))
        switch Aggregation.aggregate(try Self.labelData(names: names), method: .ds) {
        case .undefined(let reason):
            Issue.record("ds is undefined on three raters' labels of three items: \(reason)")
        case .aggregated(let result):
            #expect(ds["method"] as? String == "ds" && ds["iterations"] as? Int == result.iterations)
            let dsUnits = try #require(ds["units"] as? [[String: Any]])
            for (unit, expected) in zip(dsUnits, result.items) {
                #expect(unit["label"] as? String == expected.label.map { Self.options[$0] })
                for (k, option) in Self.options.enumerated() {
                    #expect(abs((Self.posterior(unit)[option] ?? -1) - expected.posterior[k]) < 1e-12, "\(unit)")
                }
            }
            let dsRaters = try #require(ds["raters"] as? [[String: Any]])
            for (rater, expected) in zip(dsRaters, result.raters) {
                #expect(abs((rater["accuracy"] as? Double ?? -1) - (expected.accuracy ?? -2)) < 1e-12)
                let confusion = try #require(rater["confusion"] as? [String: [String: Double]])
                for (t, truth) in Self.options.enumerated() { for (g, given) in Self.options.enumerated() {
                    #expect(abs((confusion[truth]?[given] ?? -1) - (expected.confusion?[t][g] ?? -2)) < 1e-12)
                } }
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func auditorsSeeItemsByNumberAndModelsCountOnlyWhenAsked(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lead = try Self.units(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv", "--format", "json"], as: "lena"))
        let audited = try Self.units(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv", "--format", "json"], as: "aud"))
        #expect(audited.map { $0["unit"] as? String } == lead.map { ($0["unit"] as? String)?.split(separator: ":").first.map(String.init) })
        #expect(audited.map(Self.posterior) == lead.map(Self.posterior))
        for format in ["text", "csv", "json"] {
            #expect(!(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv", "--format", format], as: "aud")).contains(".mp4"))
        }
        // m1's yes on a and no on b: a 3 yes of 4, b 3 no of 4.
        let models = try CLI.json(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv", "--format", "json", "--include-models"]))
        let units = try #require(models["units"] as? [[String: Any]])
        #expect(Self.posterior(units[0]) == ["yes": 0.75, "no": 0.25, "unclear": 0] && Self.posterior(units[1])["no"] == 0.75)
        #expect((models["raters"] as? [[String: Any]])?.map { $0["rater"] as? String } == ["alice", "bob", "lena", "m1"])
    }

    @Test func textAndCSV() throws {
        let project = try Self.project(.sqlite)
        let text = try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv"])
        #expect(text.hasPrefix("concord aggregate: batch b1 · present (nominal); model raters excluded · mv (majority vote, ties reported)\n"
                               + "3 units · 3 raters · 9 labels · 3 options (yes, no, unclear) · 1 tie\n\n"), "\(text)")
        #expect(text.contains(":c.mp4  tie (yes, no, unclear)  0.3333     3\n"), "\(text)")
        #expect(text.contains("\nrater  accuracy  n\nalice  1.0000    3\nbob    0.5000    3\nlena   0.5000    3\n"), "\(text)")
        let csv = try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv", "--format", "csv"])
            .split(separator: "\n").map(String.init)
        #expect(csv.count == 4 && csv[0] == "unit,label,tied,n,posterior:yes,posterior:no,posterior:unclear")
        #expect(csv[1].hasSuffix(":a.mp4,yes,,3,\(2.0 / 3),\(1.0 / 3),0.0") && csv[3].hasSuffix(":c.mp4,,yes|no|unclear,3,\(1.0 / 3),\(1.0 / 3),\(1.0 / 3)"))
        // An ordinal criterion: severity has alice's minor on a alone.
        let severity = try Self.units(try project.ok(["aggregate", "--batch", "b1", "--criterion", "severity", "--method", "mv", "--format", "json"]))
        #expect(severity.count == 1 && severity[0]["label"] as? String == "minor")
        #expect(Self.posterior(severity[0]) == ["none": 0, "minor": 1, "moderate": 0, "severe": 0, "critical": 0])
    }

    @Test(arguments: StoreKind.available)
    func badInputIsOneLineAndExitTwo(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        func refused(_ args: [String], as who: String? = nil, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let r = try project.run(["aggregate"] + args, as: who)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(r.stderr)", sourceLocation: sourceLocation)
            #expect(r.stderr == "concord: " + message + "\n", sourceLocation: sourceLocation)
        }
        try refused(["--batch", "b1", "--criterion", "speed"],
                    "the rubric 'av-cut-in' has no criterion 'speed'; nominal and ordinal criteria: present, severity, ego-response")
        try refused(["--batch", "b1", "--criterion", "ttc"],
                    "'ttc' is a ratio criterion: a consensus label is one of a criterion's options; choose a nominal or ordinal criterion (concord mos scores numbers)")
        try refused(["--batch", "b1", "--criterion", "notes"], "'notes' is a text criterion: notes have no consensus label")
        try refused(["--batch", "b1", "--criterion", "present", "--method", "vote"],
                    "unknown method 'vote'; choose from: mv, ds, one-coin, mace, glad")
        let unknown = try project.run(["aggregate", "--batch", "b9", "--criterion", "present"])
        #expect(unknown.status == 2 && unknown.stdout.isEmpty && unknown.stderr.hasPrefix("concord: ") && unknown.stderr.contains("b9"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        // Raters may not read everyone's labels.
        let rater = try project.run(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv"], as: "alice")
        #expect(rater.status == 2 && rater.stdout.isEmpty && rater.stderr.split(separator: "\n").count == 1)
        // No label yet on a criterion: undefined, exit 1, the reason.
        let none = try project.run(["aggregate", "--batch", "b1", "--criterion", "ego-response", "--method", "mv"])
        #expect(none.status == 1 && none.stdout.isEmpty)
        #expect(none.stderr == "concord: mv is undefined on batch b1 · ego-response: no rater has labelled ego-response yet\n")
    }
}
