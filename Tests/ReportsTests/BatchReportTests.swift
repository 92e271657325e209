import Agreement
import Foundation
import Reports
import Rubric
import Store
import Testing

/// The report's per-rater activity columns and completion, from workbench submissions in a
/// real project file: values worked out by hand.
@Suite struct BatchReportTests {
    @Test func completionDwellAndWatchedShareByHand() throws {
        let (store, lead) = try AdjudicationTests.project([:])
        func full(_ kind: String) -> [String: String] { ["kind": kind, "risk": "low", "gap": "5"] }
        let ann = try store.session(login: "admin", actingAs: "ann")
        let ben = try store.session(login: "admin", actingAs: "ben")
        // ann: items 1, 2, 3 with dwell 1000, 3000, 2000 ms, watched 1, 0.5, 0.25; item 1 revised
        // later (dwell 9000, watched 0.75): only kind changes, and the item's dwell is that of
        // its most recent current label (9000), its share the latest submission's (0.75).
        try ann.submitItem(ItemSubmission(item: 1, answers: full("car"), frame: 0, pts: 0, dwellMs: 1000, watchedShare: 1))
        try ann.submitItem(ItemSubmission(item: 2, answers: full("car"), frame: 0, pts: 0, dwellMs: 3000, watchedShare: 0.5))
        try ann.submitItem(ItemSubmission(item: 3, answers: full("bike"), frame: 0, pts: 0, dwellMs: 2000, watchedShare: 0.25))
        try ann.submitItem(ItemSubmission(item: 1, answers: full("truck"), frame: 0, pts: 0, dwellMs: 9000, watchedShare: 0.75))
        // ben: item 1 only, dwell 400, watched 0.2.
        try ben.submitItem(ItemSubmission(item: 1, answers: full("car"), frame: 0, pts: 0, dwellMs: 400, watchedShare: 0.2))
        let activity = try lead.activity(batch: "b")
        #expect(activity.assigned["ann"]?.count == 6 && activity.assigned["cat"]?.count == 6 && activity.assigned["mo"]?.count == 6)
        // ann's latest shares per item: 0.75 (item 1), 0.5, 0.25 → median 0.5. ben: 0.2.
        #expect(activity.medianWatchedShare["ann"] == 0.5 && activity.medianWatchedShare["ben"] == 0.2)
        #expect(activity.medianWatchedShare["cat"] == nil)
        // Workbench time: every submission's dwell, revisits included. ann: 3 items in
        // 1000 + 3000 + 2000 + 9000 ms = 15 s → 720 items/h; ben: 1 item in 0.4 s → 9000/h.
        #expect(activity.work["ann"] == BatchActivity.Work(items: 3, dwellMs: 15_000))
        #expect(activity.work["ben"] == BatchActivity.Work(items: 1, dwellMs: 400) && activity.work["cat"] == nil)
        let report = try BatchReport(labels: lead.labelsForAgreement(batch: "b"), activity: activity, gold: [], goldThreshold: nil,
                                     version: "t", resamples: 0, seed: 1)
        let rows = Dictionary(uniqueKeysWithValues: report.raters.map { ($0.rater, $0) })
        // Item 1's current labels (revision) carry dwell 9000 and item 2, 3: 3000, 2000 → median 3000.
        #expect(rows["ann"]?.medianDwellMs == 3000 && rows["ann"]?.items == 3 && rows["ann"]?.labels == 9)
        #expect(rows["ben"]?.medianDwellMs == 400 && rows["ben"]?.medianWatchedShare == 0.2)
        #expect(rows["ann"]?.itemsPerHour == 720 && rows["ben"]?.itemsPerHour == 9000 && rows["cat"]?.itemsPerHour == nil)
        // cat and mo are assigned but have labeled nothing: listed with zeros.
        #expect(rows["cat"]?.labels == 0 && rows["cat"]?.assigned == 6 && rows["mo"]?.role == .model)
        // Completion: (3 + 1) labeled of 4 × 6 assigned.
        #expect(report.summary.completion == 4.0 / 24.0)
        // Auditors may read activity (aggregates); raters may not.
        let aud = try store.session(login: "admin", actingAs: "admin")
        #expect(try aud.activity(batch: "b").assigned.count == 4)
        #expect(throws: StoreError.self) { try ann.activity(batch: "b") }
    }
}
