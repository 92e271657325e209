import Aggregation
import Foundation
@testable import Reports
import Rubric
import Store
import Testing

/// A batch's labels of one nominal or ordinal criterion as `LabelData`, through a real project
/// file: which items, raters and options, models left out unless asked, auditors' item
/// numbers, refusals — and the consensus equal to `Aggregation.aggregate` on the same labels
/// built independently from the crafted table, for mv (counted by hand) and ds.
@Suite struct BatchConsensusTests {
    static func setUp() throws -> (BatchLabels, Criterion) {
        let (_, lead) = try AdjudicationTests.project(AdjudicationTests.crafted)
        let labels = try lead.labelsForAgreement(batch: "b")
        return (labels, try #require(labels.rubric.criterion("kind")))
    }

    /// The crafted table's labels of `criterion` as LabelData, built without BatchConsensus:
    /// items i1… in order, raters ann, ben, cat (and mo when `models`), the rubric's options.
    static func independent(_ labels: BatchLabels, criterion: Criterion, models: Bool = false) throws -> LabelData {
        let raters = ["ann", "ben", "cat"] + (models ? ["mo"] : [])
        let options = criterion.options.map(\.value)
        var names: [String] = [], item: [Int32] = [], rater: [Int32] = [], label: [Int32] = []
        for (i, clip) in labels.clipNames.enumerated() {
            let votes = AdjudicationTests.crafted[String(clip.dropLast(4))] ?? [:]
            let given = raters.enumerated().compactMap { r, name in votes[name]?[criterion.id].map { (r, $0) } }
            guard !given.isEmpty else { continue }
            for (r, value) in given {
                item.append(Int32(names.count)); rater.append(Int32(r)); label.append(Int32(options.firstIndex(of: value)!))
            }
            names.append("\(labels.items[i]):\(clip)")
        }
        return try LabelData(itemNames: names, raterNames: raters, classNames: options, item: item, rater: rater, label: label)
    }

    @Test func itemsRatersAndOptionsAsTheRubricAndTheStoreHaveThem() throws {
        let (labels, kind) = try Self.setUp()
        let c = try BatchConsensus(labels, criterion: kind)
        let expected = try Self.independent(labels, criterion: kind)
        #expect(c.data.itemNames == expected.itemNames && c.data.itemNames.count == 6)
        #expect(c.data.raterNames == ["ann", "ben", "cat"])
        #expect(c.data.classNames == ["car", "truck", "bike"])
        #expect(c.data.labelCount == 15)   // 3 + 3 + 3 + 3 + 2 + 1: mo's truck on i1 left out
        #expect(c.items == labels.items)
        // Each label lands on the same (item, rater, option) as the crafted table says.
        let pairs = Set((0..<c.data.labelCount).map { "\(c.data.item[$0]) \(c.data.rater[$0]) \(c.data.label[$0])" })
        #expect(pairs == Set((0..<expected.labelCount).map { "\(expected.item[$0]) \(expected.rater[$0]) \(expected.label[$0])" }))
        // With models: mo is a fourth rater with one label.
        let withModels = try BatchConsensus(labels, criterion: kind, includeModels: true)
        #expect(withModels.data.raterNames == ["ann", "ben", "cat", "mo"] && withModels.data.labelCount == 16)
        // An auditor's names: item numbers alone.
        let blind = try BatchConsensus(labels, criterion: kind, namingClips: false)
        #expect(blind.data.itemNames == labels.items.map { "\($0)" })
    }

    /// mv by counting: i2 car, truck, car → car 2/3, truck 1/3; i4 car, truck, bike → a
    /// three-way tie (no label); i6 ann's car alone → car 1.
    @Test func majorityVoteByCounting() throws {
        let (labels, kind) = try Self.setUp()
        let c = try BatchConsensus(labels, criterion: kind)
        guard case .aggregated(let result) = c.aggregate(method: .mv) else { Issue.record("mv undefined"); return }
        let byItem = c.byItem(result)
        let i2 = try #require(byItem[labels.items[1]]), i4 = try #require(byItem[labels.items[3]]), i6 = try #require(byItem[labels.items[5]])
        #expect(i2.label == 0 && i2.posterior == [2.0 / 3, 1.0 / 3, 0] && i2.n == 3)
        #expect(i4.label == nil && i4.tiedLabels == [0, 1, 2] && i4.posterior == [1.0 / 3, 1.0 / 3, 1.0 / 3])
        #expect(i6.label == 0 && i6.posterior == [1, 0, 0] && i6.n == 1)
        // ben agrees with the consensus on i1, i3 and i5 of the five items with a label he voted on.
        #expect(result.raters[1].accuracy == 3.0 / 4 && result.raters[1].n == 5)
    }

    /// Every method gives on the bridge's data what it gives on the independently built
    /// labels (the same labels, maybe in another order): ds, one-coin, mace and glad alike.
    @Test(arguments: AggregationMethod.allCases)
    func theSameAsAggregatingTheLabelsDirectly(_ method: AggregationMethod) throws {
        let (labels, _) = try Self.setUp()
        for id in ["kind", "risk"] {
            let criterion = try #require(labels.rubric.criterion(id))
            let bridged = try BatchConsensus(labels, criterion: criterion).aggregate(method: method)
            let direct = Aggregation.aggregate(try Self.independent(labels, criterion: criterion), method: method)
            switch (bridged, direct) {
            case (.aggregated(let a), .aggregated(let b)):
                #expect(a.items.map(\.label) == b.items.map(\.label) && a.items.map(\.tiedLabels) == b.items.map(\.tiedLabels))
                for (x, y) in zip(a.items, b.items) {
                    #expect(zip(x.posterior, y.posterior).allSatisfy { abs($0 - $1) < 1e-9 }, "\(id) \(method) \(x) \(y)")
                }
                for (x, y) in zip(a.raters, b.raters) {
                    #expect(abs((x.accuracy ?? -1) - (y.accuracy ?? -1)) < 1e-9 && x.n == y.n)
                }
            case (.undefined(let a), .undefined(let b)): #expect(a == b)
            default: Issue.record("\(id) \(method): \(bridged) but directly \(direct)")
            }
        }
    }

    @Test func numericAndTextCriteriaAreRefusedAndNoLabelsIsAnOutcome() throws {
        let (labels, _) = try Self.setUp()
        #expect(throws: StoreError.self) { try BatchConsensus(labels, criterion: try #require(labels.rubric.criterion("gap"))) }
        #expect(BatchConsensus.refusal(try #require(labels.rubric.criterion("gap")))
                == "'gap' is a ratio criterion: a consensus label is one of a criterion's options; choose a nominal or ordinal criterion (concord mos scores numbers)")
        #expect(BatchConsensus.refusal(try #require(labels.rubric.criterion("notes"))) == "'notes' is a text criterion: notes have no consensus label")
        #expect(BatchConsensus.criteria(labels.rubric).map(\.id) == ["kind", "risk"])
        // A criterion nobody labelled yet: no labels, said as such.
        let (_, lead) = try AdjudicationTests.project(["i1": ["ann": ["risk": "low"]]])
        let sparse = try lead.labelsForAgreement(batch: "b")
        let kind = try BatchConsensus(sparse, criterion: try #require(sparse.rubric.criterion("kind")))
        #expect(kind.data.itemCount == 0)
        #expect(kind.aggregate(method: .ds) == .undefined(reason: "no rater has labelled kind yet"))
    }
}
