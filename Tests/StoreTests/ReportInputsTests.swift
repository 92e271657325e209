import Foundation
@testable import Store
import Testing

/// `concord report`'s reads (`reportInputs`): what the report's parts read one by one, read
/// in one snapshot and each once — the gold answers come with the lead's context, not
/// again — with the lead-only context left out for auditors and raters refused.
@Suite struct ReportInputsTests {
    /// Alice and bob answer both items; alice's first answer to the gold question on c1
    /// ("no") is later revised to "yes"; the gold threshold is 0.5.
    static func project(_ kind: StoreKind) throws -> TestProject {
        let project = try TestProject.demo(kind)
        try project.addRater("lee", role: .lead)
        let alice = try project.session("alice"), bob = try project.session("bob"), lead = try project.session("lee")
        let items = try alice.assignedItems(batch: "b").map(\.item)
        let answers: [(ProjectSession, Int64, String)] = [(alice, items[0], "no"), (bob, items[0], "yes"), (alice, items[1], "yes"),
                                                          (bob, items[1], "no"), (alice, items[0], "yes")]
        for (rater, item, present) in answers {
            try rater.submitItem(ItemSubmission(item: item, answers: ["present": present, "severity": present == "yes" ? "low" : ""],
                                                frame: nil, pts: nil, dwellMs: 400, watchedShare: 1))
        }
        try lead.addGold(item: items[0], criterion: "present", value: "yes")
        try lead.setBatchRule(batch: "b", spreadThreshold: nil, goldThreshold: 0.5)
        return project
    }

    @Test(arguments: StoreKind.all)
    func aReportReadsWhatItsPartsRead(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lead = try project.session("lee")
        let inputs = try lead.reportInputs(batch: "b")

        let labels = try lead.labelsForAgreement(batch: "b")
        #expect(inputs.labels.raters == ["alice", "bob"])
        #expect(inputs.labels.raters == labels.raters)
        #expect(inputs.labels.value == labels.value)
        #expect(inputs.labels.value.count == 7)   // present and severity where present is yes
        #expect(inputs.labels.itemIndex == labels.itemIndex)
        #expect(inputs.labels.raterIndex == labels.raterIndex)
        #expect(inputs.labels.criterion == labels.criterion)
        #expect(inputs.labels.submittedAt == labels.submittedAt)

        let context = try #require(inputs.context)
        let separate = try lead.adjudicationContext(batch: "b")
        #expect(context.decisions == separate.decisions)
        #expect(context.clipHashes == separate.clipHashes)
        #expect(context.labels.value == labels.value)

        let gold = try lead.goldAnswers(batch: "b")
        #expect(inputs.gold == gold.answers)
        #expect(inputs.goldThreshold == 0.5)
        #expect(gold.threshold == 0.5)
        let responses = try #require(inputs.gold.first?.responses)
        #expect(responses.map(\.rater) == ["alice", "bob"])
        #expect(responses.map(\.value) == ["no", "yes"])
        #expect(responses.map(\.revised) == [true, false])

        let activity = try lead.activity(batch: "b")
        #expect(inputs.activity.assigned == activity.assigned)
        #expect(inputs.activity.assigned["alice"]?.count == 2)
        #expect(inputs.activity.work == activity.work)
        #expect(inputs.auditAnchor == (try lead.auditHead()))
        #expect(inputs.auditAnchor != nil)
    }

    /// An auditor gets the same aggregates without the lead's context; a rater is refused.
    @Test(arguments: StoreKind.all)
    func auditorsGetNoContextAndRatersNothing(_ kind: StoreKind) throws {
        let project = try Self.project(kind)
        let lead = try project.session("lee").reportInputs(batch: "b")
        let auditor = try project.session("aud").reportInputs(batch: "b")
        #expect(auditor.context == nil)
        #expect(auditor.gold == lead.gold)
        #expect(auditor.gold.count == 1)
        #expect(auditor.goldThreshold == 0.5)
        #expect(auditor.labels.value == lead.labels.value)
        #expect(auditor.auditAnchor == lead.auditAnchor)
        let refused = #expect(throws: StoreError.self) { try project.session("alice").reportInputs(batch: "b") }
        #expect(refused?.kind == .permission)
    }
}
