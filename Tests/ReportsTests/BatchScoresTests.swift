import OpinionScores
@testable import Reports
import Rubric
@testable import Store
import Testing

/// `BatchScores`: a batch's current labels as numbers — ordinal options by value or rank,
/// numeric values as they are, models only when asked, raters in the project's order, units
/// only the items someone rated, raters left out on request; nominal and text refused.
@Suite struct BatchScoresTests {
    static let rubric = try! Rubric.parse("""
        name: r
        criteria:
          - id: acr
            question: Quality?
            scale: ordinal
            options: ["1", "2", "3", "4", "5"]
          - id: severity
            question: How bad?
            scale: ordinal
            options: [none, minor, major]
          - id: delay
            question: Delay (s)?
            scale: ratio
            range: [0, 100]
          - id: kind
            question: Kind?
            scale: nominal
            options: [cut, fade]
          - id: notes
            question: Notes?
            scale: text
        """, file: "r.yaml")

    /// `rows`: (item index, rater index, criterion, value); raters "ann", "bob", "cy", "m1" (a model).
    static func labels(_ rows: [(Int32, Int32, String, String)], items: [Int64] = [10, 11, 12],
                       raters: [String] = ["ann", "bob", "cy", "m1"]) -> BatchLabels {
        BatchLabels(batch: "b", rubric: rubric, rubricHash: "h", items: items, clipNames: items.map { "c\($0).mp4" },
                    raters: raters, roles: raters.map { $0.hasPrefix("m") ? .model : .rater },
                    itemIndex: rows.map(\.0), raterIndex: rows.map(\.1), criterion: rows.map(\.2), value: rows.map(\.3),
                    submittedAt: rows.map { _ in "t" }, dwellMs: rows.map { _ in -1 })
    }

    static func criterion(_ id: String) -> Criterion { rubric.criterion(id)! }

    @Test func ordinalOptionsAreTheirValuesOrTheirRanks() throws {
        // Labels arrive in the store's order, not the raters'.
        let labels = Self.labels([(0, 2, "acr", "5"), (0, 0, "acr", "2"), (1, 1, "acr", "4"), (0, 3, "acr", "1"),
                                  (0, 0, "severity", "major"), (0, 1, "severity", "none"), (2, 1, "severity", "minor")])
        let acr = try BatchScores(labels, criterion: Self.criterion("acr")).data()
        #expect(acr.unitNames == ["10:c10.mp4", "11:c11.mp4"])
        #expect(acr.raterNames == ["ann", "bob", "cy"])
        #expect(acr[0, 0] == 2 && acr[0, 1] == nil && acr[0, 2] == 5 && acr[1, 1] == 4)
        let severity = try BatchScores(labels, criterion: Self.criterion("severity")).data()
        #expect(severity.unitNames == ["10:c10.mp4", "12:c12.mp4"])
        #expect(severity.raterNames == ["ann", "bob"])
        #expect(severity[0, 0] == 3 && severity[0, 1] == 1 && severity[1, 1] == 2)
    }

    @Test func numericValuesModelsAndLeftOutRaters() throws {
        let labels = Self.labels([(0, 0, "delay", "1.5"), (0, 1, "delay", "2"), (1, 3, "delay", "40"), (1, 1, "delay", "0.25")])
        let people = try BatchScores(labels, criterion: Self.criterion("delay"))
        #expect(people.raters == ["ann", "bob"])
        #expect(people.ratings.map(\.score).sorted() == [0.25, 1.5, 2])
        let everyone = try BatchScores(labels, criterion: Self.criterion("delay"), includeModels: true).data()
        #expect(everyone.raterNames == ["ann", "bob", "m1"] && everyone[1, 2] == 40)
        // bob left out: item 11 has no other rating, so it goes too.
        let withoutBob = try people.data(excluding: ["bob"])
        #expect(withoutBob.raterNames == ["ann"] && withoutBob.unitNames == ["10:c10.mp4"])
        let (_, outcome) = try people.score(method: .mos, excluding: ["bob"])
        #expect(outcome == .undefined(reason: "needs ratings from at least 2 raters; only 'ann' has labelled delay"))
        #expect(try people.score(method: .mos, excluding: ["ann", "bob"]).outcome == .undefined(reason: "no rater has labelled delay yet"))
    }

    @Test func scoresAreTheMethodsOnTheData() throws {
        let labels = Self.labels([(0, 0, "acr", "1"), (0, 1, "acr", "3"), (1, 0, "acr", "4"), (1, 1, "acr", "5"), (1, 2, "acr", "3")])
        let (data, outcome) = try BatchScores.score(labels, criterion: Self.criterion("acr"), method: .mos, includeModels: false)
        #expect(outcome == OpinionScores.score(data, method: .mos))
        #expect(outcome.result?.units.map(\.score) == [2, 4])
    }

    @Test func nominalAndTextCriteriaAreRefused() {
        let labels = Self.labels([(0, 0, "kind", "cut")])
        #expect(BatchScores.refusal(Self.criterion("kind")) == "'kind' is a nominal criterion: its options are not ordered, so they have no mean opinion score; choose an ordinal or numeric criterion")
        #expect(BatchScores.refusal(Self.criterion("notes")) == "'notes' is a text criterion: notes have no score")
        #expect(BatchScores.refusal(Self.criterion("acr")) == nil && BatchScores.refusal(Self.criterion("delay")) == nil)
        #expect(throws: StoreError.self) { try BatchScores(labels, criterion: Self.criterion("kind")) }
    }
}
