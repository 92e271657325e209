import Foundation
import Rubric
import Store
import Testing

/// Writers at once, each with a connection of its own (docs/project-file.md "Invariants";
/// docs/server.md): every submission is written exactly once, and the audit log stays one
/// intact chain whose rows are all covered, on both stores.
@Suite struct ConcurrentWritersTests {
    @Test(arguments: StoreKind.all)
    func eightRatersSubmittingAtOnceLeaveOneIntactLog(kind: StoreKind) throws {
        let project = try TestProject.empty(kind)
        let admin = project.admin
        _ = try admin.addRubric(try Rubric.parse(StoreTests.rubricYAML, file: "demo.yaml"), sourcePath: "demo.yaml")
        let raters = (1...8).map { "w\($0)" }
        for rater in raters { try project.addRater(rater, role: .rater) }
        let clips = (1...10).map { i in
            ClipFacts(path: "/c\(i)", name: "c\(i).mp4", sha256: String(format: "%064d", i), sizeBytes: 1, codec: "h264",
                      duration: 1, frameRate: 25, frameCount: 25, width: 8, height: 8, rotation: 0)
        }
        _ = try admin.addClips(clips, batch: "b", rubric: "demo")
        #expect(try admin.assign(batch: "b", raters: raters, overlap: nil, goldRate: nil) == 80)
        let events = try admin.verifyAudit().events
        // A store per writer: its own SQLite connection, or its own PostgreSQL login.
        let sessions = try raters.map { rater in
            kind == .sqlite ? try ProjectStore.open(path: project.location).session(login: rater) : try project.session(rater)
        }
        let failures = Failures()
        // A thread per writer (concurrentPerform would run only as many as there are cores).
        let done = DispatchGroup()
        for writer in sessions.indices {
            done.enter()
            Thread {
                defer { done.leave() }
                for item in Int64(1)...10 {
                    let answers = item % 2 == 0 ? ["present": "yes", "severity": "low"] : ["present": "no"]
                    do {
                        _ = try sessions[writer].submitItem(ItemSubmission(item: item, answers: answers, frame: 0, pts: 0, dwellMs: 1,
                                                                           watchedShare: 1))
                    } catch {
                        failures.add("\(raters[writer]) item \(item): \(error)")
                    }
                }
            }.start()
        }
        done.wait()
        #expect(failures.all == [])
        let report = try admin.verifyAudit()
        #expect(report.problems == [])
        #expect(report.events == events + 80)
        #expect(try admin.exportLabels().count == 8 * (5 * 2 + 5))
        #expect(try admin.status(batch: "b")[0].raters.map(\.labeled) == Array(repeating: 10, count: 8))
    }
}

/// Failures collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ failure: String) { lock.lock(); list.append(failure); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
