// The crash soak's processes (issue 9; bench/soak.py is the supervisor).
//
// soak: a rater submitting whole items through `submitItem` — the workbench's commit path —
// as fast as the project file takes them, until killed. After each submission returns (the
// label is committed), one line is appended to the acknowledgement file with a single
// write(2): "rater item note quality latency_us client_id". The note is unique per submission
// (rater-pid-seq-µs), so the supervisor can check that every acknowledged submission is in the
// label history exactly once, however many times this process was SIGKILLed; the client id is
// the one the submission carried, which a PostgreSQL project records in submission_request
// (retried after a lost connection, the same id never writes twice).
//
// read: a lead reading like the live dashboard: poll the data version every 50 ms and read the
// batch's labels whenever it moved, for S seconds; prints a JSON summary.
import Dispatch
import Foundation
import Store

func runSoakRole(_ args: [String]) -> Never {
    guard let project = option("--project", args), let who = option("--as", args) else {
        FileHandle.standardError.write(Data("usage: store-bench soak|read --project P --as NAME ...\n".utf8))
        exit(2)
    }
    // Store's retry/wait lines go to standard error, where the supervisor counts them.
    StoreLog.setSink { FileHandle.standardError.write(Data("store-bench: \($0)\n".utf8)) }
    do {
        let session = try benchSession(project: project, as: who)
        if args.first == "read" {
            try soakRead(session, seconds: Double(option("--seconds", args) ?? "") ?? 10)
        } else {
            guard let acks = option("--acks", args) else { throw StoreError(.input, "--acks FILE is required") }
            try soakWrite(session, rater: who, acks: acks)
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("store-bench: error: \(error)\n".utf8))
        exit(1)
    }
}

private func soakWrite(_ session: ProjectSession, rater: String, acks: String) throws {
    let fd = open(acks, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard fd >= 0 else { throw StoreError(.input, "cannot open \(acks)") }
    let items = try session.ratingQueue().entries.map(\.item)
    guard !items.isEmpty else { throw StoreError(.input, "\(rater) has no assigned items") }
    var rng = SystemRandomNumberGenerator()
    let pid = getpid()
    var seq = 0
    while true {
        let item = items[Int.random(in: 0..<items.count, using: &rng)]
        let quality = String(Int.random(in: 1...5, using: &rng))
        // Wall-clock µs last: orders one rater's submissions across restarts.
        let note = "\(rater)-\(pid)-\(seq)-\(UInt64(Date().timeIntervalSince1970 * 1_000_000))"
        let t0 = DispatchTime.now().uptimeNanoseconds
        let submission = ItemSubmission(item: item, answers: ["quality": quality, "note": note], frame: 0, pts: 0,
                                        dwellMs: 100, watchedShare: 1)
        _ = try session.submitItem(submission)
        let micros = (DispatchTime.now().uptimeNanoseconds - t0) / 1000
        let id = submission.clientID.uuidString.lowercased()
        let line = Array("\(rater) \(item) \(note) \(quality) \(micros) \(id)\n".utf8)
        guard line.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == line.count else {
            throw StoreError(.input, "cannot write \(acks)")
        }
        seq += 1
    }
}

private func soakRead(_ session: ProjectSession, seconds: Double) throws {
    let batch = try session.defaultBatch()
    let end = Date().addingTimeInterval(seconds)
    var version = -1
    var reads = 0, polls = 0, labels = 0
    var slowest = 0.0
    while Date() < end {
        let now = try session.dataVersion()
        polls += 1
        if now != version {
            version = now
            let t0 = Date()
            labels = try session.labelsForAgreement(batch: batch).value.count
            slowest = max(slowest, Date().timeIntervalSince(t0))
            reads += 1
        }
        usleep(50_000)
    }
    print("{\"polls\": \(polls), \"reads\": \(reads), \"labels\": \(labels), \"slowest_read_ms\": \(slowest * 1000)}")
}
