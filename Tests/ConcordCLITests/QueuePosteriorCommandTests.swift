import Aggregation
import Foundation
import Testing

/// `concord queue --order posterior` on both stores: the least certain consensus first, ties
/// in the magnitude order, each entry with its posterior; ds unless --method says otherwise.
@Suite struct QueuePosteriorCommandTests {
    static func entries(_ json: String) throws -> [[String: Any]] { try #require(try CLI.json(json)["entries"] as? [[String: Any]]) }
    static func clips(_ entries: [[String: Any]]) -> [String] { entries.compactMap { $0["clip"] as? String } }

    /// mv on AggregateBatchTests' project: c (yes, no, unclear) is 2/3 uncertain; a and b
    /// (two votes of three alike) 1/3 each, so they keep the magnitude order.
    @Test(arguments: StoreKind.available)
    func leastCertainFirstThenTheMagnitudeOrder(_ kind: StoreKind) throws {
        let project = try AggregateBatchTests.project(kind)
        let magnitude = try Self.entries(try project.ok(["queue", "--format", "json"]))
        #expect(Set(Self.clips(magnitude)) == ["a.mp4", "b.mp4", "c.mp4"] && magnitude.allSatisfy { $0["consensus"] == nil })
        let json = try project.ok(["queue", "--order", "posterior", "--method", "mv", "--format", "json"])
        #expect(try CLI.json(json)["order"] as? String == "posterior" && (try CLI.json(json)["method"] as? String) == "mv")
        let posterior = try Self.entries(json)
        #expect(Self.clips(posterior) == ["c.mp4"] + Self.clips(magnitude).filter { $0 != "c.mp4" })
        let c = try #require(posterior[0]["consensus"] as? [String: Any])
        #expect(c["label"] is NSNull && c["posterior"] as? [String: Double] == ["yes": 1.0 / 3, "no": 1.0 / 3, "unclear": 1.0 / 3])
        #expect(abs((c["uncertainty"] as? Double ?? 0) - 2.0 / 3) < 1e-15)
        let b = try #require(posterior.first { $0["clip"] as? String == "b.mp4" }?["consensus"] as? [String: Any])
        #expect(b["label"] as? String == "no" && abs((b["uncertainty"] as? Double ?? 0) - 1.0 / 3) < 1e-15)
        // The text shows each entry's top option and posterior.
        let text = try project.ok(["queue", "--order", "posterior", "--method", "mv"])
        #expect(text.contains("  posterior  flags\n") && text.contains("tie 0.333") && text.contains("no 0.667") && text.contains("yes 0.667"))
        #expect(!(try project.ok(["queue"])).contains("posterior"))
    }

    /// ds by default: each entry's posterior is Aggregation's on the same labels.
    @Test(arguments: StoreKind.available)
    func dawidSkeneByDefault(_ kind: StoreKind) throws {
        let project = try AggregateBatchTests.project(kind)
        let names = try #require(try CLI.json(try project.ok(["aggregate", "--batch", "b1", "--criterion", "present", "--method", "mv",
                                                              "--format", "json"]))["units"] as? [[String: Any]]).compactMap { $0["unit"] as? String }
        let run = try project.run(["queue", "--order", "posterior", "--format", "json"])
        #expect(run.status == 0)
        #expect(try CLI.json(run.stdout)["method"] as? String == "ds")
        let entries = try Self.entries(run.stdout)
        switch Aggregation.aggregate(try AggregateBatchTests.labelData(names: names), method: .ds) {
        case .undefined(let reason):
            Issue.record("ds is undefined on three raters' labels of three items: \(reason)")
        case .aggregated(let result):
            #expect(run.stderr.isEmpty)
            let order = ["a.mp4", "b.mp4", "c.mp4"]
            var uncertainties: [Double] = []
            for e in entries {
                let i = try #require(order.firstIndex(of: e["clip"] as? String ?? ""))
                let p = try #require((e["consensus"] as? [String: Any])?["posterior"] as? [String: Double])
                for (k, option) in AggregateBatchTests.options.enumerated() { #expect(abs((p[option] ?? -1) - result.items[i].posterior[k]) < 1e-12) }
                uncertainties.append(1 - result.items[i].posterior.max()!)
            }
            #expect(uncertainties == uncertainties.sorted(by: >))
        }
    }

    @Test func badInput() throws {
        let project = try Standard.copy()
        let method = try project.run(["queue", "--method", "mv"])
        #expect(method.status == 2 && method.stdout.isEmpty && method.stderr.contains("--method applies to --order posterior"))
        let unknown = try project.run(["queue", "--order", "posterior", "--method", "vote"])
        #expect(unknown.status == 2 && unknown.stdout.isEmpty && unknown.stderr.contains("--method must be one of mv, ds, one-coin, mace, glad; got 'vote'"))
        let order = try project.run(["queue", "--order", "size"])
        #expect(order.status == 2 && order.stdout.isEmpty)
    }
}
