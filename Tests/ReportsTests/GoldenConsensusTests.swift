import Aggregation
import Foundation
import JSONWriter
@testable import Reports
import Store
import Testing

/// The golden set with a consensus method: which units it adds (nominal and ordinal, not
/// unanimous, not resolved), their source and rounded posterior, ties left out and listed,
/// adjudicated answers winning, and the version (the plain set's lines unchanged).
@Suite struct GoldenConsensusTests {
    static func entries(_ g: GoldenSet) -> [String: GoldenSet.Entry] {
        Dictionary(uniqueKeysWithValues: g.entries.map { ("\($0.clip):\($0.criterion)", $0) })
    }

    static func posterior(_ e: GoldenSet.Entry?) -> [String: Double]? {
        e?.posterior.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.value, $0.p) }) }
    }

    /// mv on the crafted labels: kind i2 (car, truck, car) and i6 (ann's car alone), risk i2
    /// (none, extreme, none) and i3 (medium, high, medium) get consensus entries; kind i4
    /// (car, truck, bike) is a tie; gap i4 (10, 12, 40) is numeric and stays out.
    @Test func majorityVoteFillsTheUnitsNeitherUnanimousNorAdjudicated() throws {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let context = try lead.adjudicationContext(batch: "b")
        let plain = GoldenSet(context)
        let consensus = try GoldenSet.Consensus(context, method: .mv)
        #expect(consensus.undefined.isEmpty)
        let golden = GoldenSet(context, consensus: consensus)
        let byKey = Self.entries(golden)
        #expect(Set(byKey.keys) == Set(Self.entries(plain).keys).union(["i2.mp4:kind", "i6.mp4:kind", "i2.mp4:risk", "i3.mp4:risk"]))
        let i2 = try #require(byKey["i2.mp4:kind"])
        #expect(i2.source == "consensus:mv" && i2.value == "car" && i2.adjudicator == nil)
        #expect(Self.posterior(i2) == ["car": 0.666667, "truck": 0.333333, "bike": 0])
        #expect(i2.votes.map { "\($0.rater)=\($0.value)" } == ["ann=car", "ben=truck", "cat=car"])
        #expect(Self.posterior(byKey["i6.mp4:kind"]) == ["car": 1, "truck": 0, "bike": 0])
        #expect(byKey["i2.mp4:risk"]?.value == "none" && byKey["i3.mp4:risk"]?.value == "medium")
        #expect(Self.posterior(byKey["i3.mp4:risk"]) == ["none": 0, "low": 0, "medium": 0.666667, "high": 0.333333, "extreme": 0])
        #expect(golden.ties == [GoldenSet.Tie(item: context.labels.items[3], criterion: "kind", options: ["car", "truck", "bike"])])
        #expect(byKey["i4.mp4:gap"] == nil)
        // The unanimous entries are the plain set's, line for line; the consensus entry's line
        // carries its source and posterior (keys sorted, no whitespace).
        for (key, e) in Self.entries(plain) { #expect(byKey[key]?.canonicalLine == e.canonicalLine) }
        #expect(i2.canonicalLine.contains(#""posterior":{"bike":0,"car":0.666667,"truck":0.333333}"#))
        #expect(i2.canonicalLine.contains(#""source":"consensus:mv""#))
        #expect(golden.consensusMethod == .mv && plain.consensusMethod == nil && plain.ties.isEmpty)
        // The version is the hash of the lines: new entries, a new version.
        #expect(golden.version != plain.version)
        #expect(golden.version == sha256Hex(golden.entries.map { $0.canonicalLine + "\n" }.joined()))
    }

    @Test func adjudicatedAnswersWinAndReopenedUnitsWaitForTheLead() throws {
        let (store, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        try lead.resolve(item: try lead.item("i2.mp4", batch: "b"), criterion: "kind", value: "truck", reason: .raterError, note: "see 0:03")
        try lead.resolve(item: try lead.item("i4.mp4", batch: "b"), criterion: "kind", value: "bike", reason: .clipAmbiguous, note: nil)
        // ann changes her risk vote on i3 after a decision on it: re-opened, so no entry.
        try lead.resolve(item: try lead.item("i3.mp4", batch: "b"), criterion: "risk", value: "high", reason: .genuineDisagreement, note: nil)
        Thread.sleep(forTimeInterval: 0.01)   // timestamps have millisecond resolution
        let ann = try store.session(login: "admin", actingAs: "ann")
        try ann.submitItem(ItemSubmission(item: try lead.item("i3.mp4", batch: "b"), answers: ["kind": "bike", "risk": "low", "gap": "5"],
                                          frame: nil, pts: nil, dwellMs: 100, watchedShare: 1))
        let context = try lead.adjudicationContext(batch: "b")
        let golden = GoldenSet(context, consensus: try GoldenSet.Consensus(context, method: .mv))
        let byKey = Self.entries(golden)
        #expect(byKey["i2.mp4:kind"]?.source == "adjudicated" && byKey["i2.mp4:kind"]?.value == "truck" && byKey["i2.mp4:kind"]?.posterior == nil)
        #expect(byKey["i4.mp4:kind"]?.source == "adjudicated" && byKey["i4.mp4:kind"]?.value == "bike")
        #expect(golden.ties.isEmpty)   // the tie was resolved
        #expect(byKey["i3.mp4:risk"] == nil)
    }

    /// ds: each consensus entry is the label and the posterior (rounded to six decimals) of
    /// `Aggregation.aggregate` on the criterion's labels; a tie or undefined criterion is said.
    @Test func dawidSkeneEntriesAreTheMethodsLabelAndPosterior() throws {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let context = try lead.adjudicationContext(batch: "b")
        let consensus = try GoldenSet.Consensus(context, method: .ds)
        let golden = GoldenSet(context, consensus: consensus)
        let byKey = Self.entries(golden)
        var undefined: [String] = []
        for id in ["kind", "risk"] {
            let data = try BatchConsensus(context.labels, criterion: try #require(context.labels.rubric.criterion(id)))
            guard case .aggregated(let result) = Aggregation.aggregate(data.data, method: .ds) else { undefined.append(id); continue }
            let plain = Set(GoldenSet(context).entries.filter { $0.criterion == id }.map(\.item))
            for c in result.items where !plain.contains(data.items[c.item]) {
                let key = "\(context.labels.clipNames[context.labels.items.firstIndex(of: data.items[c.item])!]):\(id)"
                guard let label = c.label else {
                    #expect(byKey[key] == nil && golden.ties.contains { $0.item == data.items[c.item] && $0.criterion == id })
                    continue
                }
                let e = try #require(byKey[key])
                #expect(e.source == "consensus:ds" && e.value == data.data.classNames[label])
                let p = try #require(Self.posterior(e))
                for (k, option) in data.data.classNames.enumerated() {
                    #expect(p[option] == (c.posterior[k] * 1e6).rounded() / 1e6)
                }
            }
        }
        #expect(consensus.undefined.map(\.criterion) == undefined && undefined.isEmpty)   // ds is defined on both
    }
}
