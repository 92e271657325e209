// store-bench: commit latency of one label through the Store, as the workbench commits it:
// `submitItem`, the whole item in one IMMEDIATE transaction (the changed answer's label, a
// submission row, the audit event; synchronous=FULL), for `make bench` and for the tests that
// label from many processes at once. Prints one JSON object.
//
// It opens the project as `concord rate` does before the first commit: the session, the
// rater's queue, then `warmUpCommits` (on PostgreSQL a dry run of the commit that compiles
// and plans the write functions for the connection; nothing on a project file).
//
// Commit i sets --criterion of the rater's item i (mod the queue) to value i (mod --values),
// or to the next value when it already holds that one, so each commit changes exactly one
// answer and writes one label. The item's other answers are the rater's own (after an
// import: all of them); a required criterion still unanswered gets its first option (its
// lowest number, or "bench" for text), as a rater must answer it before submitting.
//
// P is a project file or a PostgreSQL URI; on PostgreSQL the writer is the URI's login role,
// and --as names it (or, for an admin's login, the rater it acts as).
//
//   store-bench commit --project P --as RATER [--count N] [--criterion C] [--values a,b,c] [--start-at EPOCH_MS] [--interval-ms M]
//   store-bench soak   --project P --as RATER --acks FILE     (Soak.swift: the crash soak's writer)
//   store-bench read   --project P --as LEAD --seconds S     (Soak.swift: the dashboard's reads meanwhile)
import Dispatch
import Foundation
import Store

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

/// `who`'s session: the login's own when it is `who` (on PostgreSQL the URI's role; `--as`
/// oneself is refused there as in the CLI), else the login acting as `who` (an admin's).
func benchSession(project: String, as who: String) throws -> ProjectSession {
    let login = String(cString: getpwuid(getuid())!.pointee.pw_name)
    let store = try ProjectStore.open(path: project)
    let own = try store.session(login: login)
    return own.actor.name == who ? own : try store.session(login: login, actingAs: who)
}

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "soak" || args.first == "read" { runSoakRole(args) }
guard args.first == "commit", let project = option("--project", args), let rater = option("--as", args) else {
    FileHandle.standardError.write(Data("usage: store-bench commit --project P --as RATER [--count N] [--criterion C] [--values a,b]\n".utf8))
    exit(2)
}
let count = Int(option("--count", args) ?? "") ?? 1000
let criterion = option("--criterion", args) ?? "prompt-adherence"
let values = (option("--values", args) ?? "1,2,3,4,5").split(separator: ",").map(String.init)
do {
    let session = try benchSession(project: project, as: rater)
    let queue = try session.ratingQueue()
    guard !queue.entries.isEmpty else { throw StoreError(.input, "\(rater) has no assigned items") }
    session.warmUpCommits()
    var answers = queue.entries.map(\.answers)
    // --start-at EPOCH_MS: wait for a common start, so concurrent writers really overlap.
    if let startAt = option("--start-at", args).flatMap(Double.init) {
        let wait = startAt / 1000 - Date().timeIntervalSince1970
        if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
    }
    let began = Date().timeIntervalSince1970
    var latencies: [Double] = []
    latencies.reserveCapacity(count)
    // --interval-ms M: commits arrive at random, M ms apart on average (a Poisson process,
    // not seeded), as independent people's do, instead of back to back.
    let interval = Double(option("--interval-ms", args) ?? "") ?? 0
    var rng = SystemRandomNumberGenerator()
    var due = DispatchTime.now().uptimeNanoseconds
    for i in 0..<count {
        let k = i % queue.entries.count
        let rubric = queue.rubric(for: queue.entries[k])
        var value = values[i % values.count]
        if answers[k][criterion] == value, values.count > 1 { value = values[(i + 1) % values.count] }
        answers[k][criterion] = value
        for missing in rubric.unanswered(answers[k]) {
            answers[k][missing.id] = missing.options.first?.value ?? missing.range.map { String($0.lowerBound) } ?? "bench"
        }
        let submission = ItemSubmission(item: queue.entries[k].item, answers: answers[k], frame: 0, pts: 0, dwellMs: 1000, watchedShare: 1)
        if interval > 0 {
            due += UInt64(-log(1 - Double.random(in: 0..<1, using: &rng)) * interval * 1_000_000)
            let now = DispatchTime.now().uptimeNanoseconds
            if due > now { usleep(UInt32((due - now) / 1000)) }
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        try session.submitItem(submission)
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
    }
    // latencies_us in commit order: the first is the session's first commit, which on
    // PostgreSQL still compiles and plans what the warm-up's dry run did not reach (the
    // write lock's call, the submission's digest of a real row).
    let sorted = latencies.sorted()
    func q(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))] }
    let ended = Date().timeIntervalSince1970
    print("{\"count\": \(count), \"began\": \(began), \"ended\": \(ended), \"p50_us\": \(q(0.5)), \"p99_us\": \(q(0.99)), \"max_us\": \(sorted.last!), \"latencies_us\": [\(latencies.map { String(format: "%.1f", $0) }.joined(separator: ","))]}")
} catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(1)
}
