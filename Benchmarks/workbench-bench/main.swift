// workbench-bench: builds the project the keypress-latency benchmark of `concord rate` runs on.
//
//   workbench-bench setup --project P --clips A.mp4,B.mp4,… --rubric R.yaml [--items N] [--done K]
//
// A batch of N items (default 100,000) with the av-cut-in rubric, assigned to the current
// login and to two other raters. Item i's clip row points at the real clip i mod k of the
// k given (each probed once; every row gets its own name and SHA-256, as distinct clips
// would), because making 100,000 distinct video files would take an hour and the
// workbench only ever opens the clip on screen; consecutive items have different clips. The other raters have labels on every item, and the current login has
// submitted the first K (default N/2), so the queue resumes in the middle and the labels
// table is a realistic size. Everything goes through Store's public API: the same code
// `concord clip add`, `assign`, `label import` and the workbench use.
import Foundation
import Media
import Rubric
import Store

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.first == "setup", let project = option("--project", args), let clipList = option("--clips", args),
      let rubricPath = option("--rubric", args) else {
    FileHandle.standardError.write(Data("usage: workbench-bench setup --project P --clips A.mp4,B.mp4 --rubric av-cut-in.yaml [--items N] [--done K]\n".utf8))
    exit(2)
}
let items = Int(option("--items", args) ?? "") ?? 100_000
let done = Int(option("--done", args) ?? "") ?? items / 2
let login = String(cString: getpwuid(getuid())!.pointee.pw_name)

do {
    let started = Date()
    let clips = clipList.split(separator: ",").map(String.init)
    let probes = try clips.map { try ClipProbe.probe(path: $0) }
    let sizes = try clips.map { (try FileManager.default.attributesOfItem(atPath: $0)[.size] as? NSNumber)?.int64Value ?? 0 }
    let store = try ProjectStore.create(path: project, name: "workbench-bench", admin: login)
    let admin = try store.session(login: login)
    let rubric = try Rubric.load(path: rubricPath)
    _ = try admin.addRubric(rubric, sourcePath: rubricPath)
    for name in ["sim-a", "sim-b"] { try admin.addRater(name, role: .rater) }
    let facts = (0..<items).map { i in
        let k = i % clips.count, probe = probes[k], size = sizes[k], clip = clips[k]
        return ClipFacts(path: clip, name: String(format: "item%06d.mp4", i), sha256: String(format: "%064x", i + 1), sizeBytes: size,
                  codec: probe.codec, duration: probe.duration, frameRate: probe.frameRate, frameCount: probe.frameCount,
                  width: probe.width, height: probe.height, rotation: probe.rotation)
    }
    _ = try admin.addClips(facts, batch: "bench", rubric: rubric.name)
    _ = try admin.assign(batch: "bench", raters: [login, "sim-a", "sim-b"], overlap: nil, goldRate: nil)
    var rows: [LabelImportRow] = []
    var line = 1
    let values = ["yes", "no", "yes", "unclear"]
    for i in 0..<items {
        let name = facts[i].name
        for rater in ["sim-a", "sim-b"] + (i < done ? [login] : []) {
            line += 1
            let present = values[(i &* 7 &+ rater.utf8.count) % values.count]
            rows.append(LabelImportRow(line: line, clip: name, rater: rater, criterion: "present", value: present,
                                       frame: nil, submittedAt: nil, batch: nil))
            if present == "yes" {
                line += 1
                rows.append(LabelImportRow(line: line, clip: name, rater: rater, criterion: "severity",
                                           value: ["minor", "moderate", "severe"][i % 3], frame: nil, submittedAt: nil, batch: nil))
                line += 1
                rows.append(LabelImportRow(line: line, clip: name, rater: rater, criterion: "ego-response",
                                           value: ["good", "acceptable"][i % 2], frame: nil, submittedAt: nil, batch: nil))
                line += 1
                rows.append(LabelImportRow(line: line, clip: name, rater: rater, criterion: "ttc", value: "\(1 + i % 5).5",
                                           frame: nil, submittedAt: nil, batch: nil))
            }
        }
    }
    let summary = try admin.importLabels(rows, file: "workbench-bench", fileSHA256: String(repeating: "0", count: 64), batch: "bench")
    print("{\"items\": \(items), \"labels\": \(summary.added), \"done\": \(done), \"seconds\": \(String(format: "%.1f", Date().timeIntervalSince(started)))}")
} catch {
    FileHandle.standardError.write(Data("workbench-bench: \(error)\n".utf8))
    exit(1)
}
