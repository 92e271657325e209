import Foundation
import Rubric
import Store
import Testing

/// Labels of pair items out and in (docs/pairwise.md "Projects"): the export names clip b
/// and the side the rater saw clip a on; an import of answers about pairs is refused with
/// each line — on both stores.
@Suite struct PairLabelsTests {
    typealias P = PairsStoreTests

    @Test(arguments: StoreKind.all)
    func theExportNamesClipBAndTheSide(kind: StoreKind) throws {
        let project = try P.project(kind)
        _ = try project.admin.addPairs([PairRequest(a: "p1.mp4", b: "p2.mp4"), PairRequest(a: "p4.mp4", b: "p3.mp4")], batch: "pb", rubric: nil)
        _ = try project.admin.assign(batch: "pb", raters: ["alice"], overlap: nil, goldRate: nil)
        let alice = try project.session("alice")
        let queue = try alice.ratingQueue(batch: "pb").entries
        for (entry, value) in zip(queue, ["a", "tie"]) {
            _ = try alice.submitItem(ItemSubmission(item: entry.item, answers: ["better": value], frame: 0, pts: 0, dwellMs: 800, watchedShare: 1))
        }
        _ = try alice.submitItem(ItemSubmission(item: 1, answers: ["present": "no"], frame: 0, pts: 0, dwellMs: 500, watchedShare: 1))
        let rows = try project.session("lee").exportLabels()
        #expect(rows.map { "\($0.batch) \($0.item) \($0.clip) \($0.clipB ?? "-") \($0.criterion)=\($0.value)" }
                == ["b 1 c1.mp4 - present=no", "pb 7 p1.mp4 p2.mp4 better=a", "pb 8 p4.mp4 p3.mp4 better=tie"])
        #expect(rows.map(\.left) == [nil] + queue.map { $0.pair!.leftIsA ? "a" : "b" })
        #expect(try alice.exportLabels(batch: "pb").map(\.clipB) == ["p2.mp4", "p3.mp4"])
    }

    @Test(arguments: StoreKind.all)
    func anImportOfAnswersAboutPairsIsRefusedLineByLine(kind: StoreKind) throws {
        let project = try P.project(kind)
        _ = try project.admin.addPairs([PairRequest(a: "p1.mp4", b: "p2.mp4")], batch: "pb", rubric: nil)
        let rows = [LabelImportRow(line: 2, clip: "c1.mp4", rater: "alice", criterion: "present", value: "no"),
                    LabelImportRow(line: 3, clip: "p1.mp4", rater: "alice", criterion: "better", value: "a", batch: "pb")]
        do {
            _ = try project.admin.importLabels(rows, file: "labels.csv", fileSHA256: String(repeating: "0", count: 64))
            Issue.record("answers about pairs were imported")
        } catch let error as StoreError {
            #expect(error.kind == .input)
            #expect(error.message == "labels.csv: 1 problem; nothing was imported")
            #expect(error.details == ["labels.csv:3: batch 'pb' compares pairs of clips; label import does not take answers about pairs "
                                      + "(the side each rater saw is part of them): raters answer pairs in concord rate"])
        }
        #expect(try project.admin.exportLabels().isEmpty)
        // The rest of the project imports as before.
        #expect(try project.admin.importLabels(Array(rows.prefix(1)), file: "labels.csv", fileSHA256: String(repeating: "0", count: 64)).added == 1)
    }
}
