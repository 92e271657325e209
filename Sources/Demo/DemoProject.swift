import ClipIntake
import Foundation
import Interchange
import Media
import Reports
import struct Rubric.Rubric
import struct Rubric.RubricErrors
import Store
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Building the project

/// `concord demo`'s project: the bundled clips, the av-cut-in rubric, three simulated raters
/// whose labels agree and disagree for real, and the current user assigned every item. It
/// is built with the same library calls as `init`, `rubric add`, `rater add`, `clip add`,
/// `assign` and `label import`, so the demo exercises the real paths (audit log included)
/// rather than a shortcut. A target of its own, not the command line's: the command
/// (Concord+Demo.swift) parses its options, then calls this.
public enum DemoProject {
    /// The demo's one batch.
    public static let batch = "demo"

    static let raters = [
        SimulatedRater(name: "sim-ana", severityShift: 0, egoResponseShift: 0, ttcSpread: 0.2, unclearOnce: false, whenUnclear: "unclear"),
        SimulatedRater(name: "sim-ben", severityShift: 1, egoResponseShift: 0, ttcSpread: 0.4, unclearOnce: false, whenUnclear: "no"),
        SimulatedRater(name: "sim-chen", severityShift: 0, egoResponseShift: -1, ttcSpread: 0.3, unclearOnce: true, whenUnclear: "unclear"),
    ]

    /// Builds the project in a temporary file in `dir` and renames it to `path` only when
    /// complete, so a failure leaves nothing behind (not even `dir`, when this made it).
    /// Returns the number of simulated labels imported.
    @discardableResult
    public static func build(at path: String, in dir: String, assets: DemoAssets, login: String) throws -> Int {
        // The outermost directory this creates, removed again on failure.
        var created: String?
        var ancestor = URL(fileURLWithPath: dir).standardizedFileURL
        while !FileManager.default.fileExists(atPath: ancestor.path) {
            created = ancestor.path
            ancestor = ancestor.deletingLastPathComponent()
        }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw InputError("--dir \(dir): cannot create the directory: \(error.localizedDescription)")
        }
        guard DemoAssets.isDirectory(dir) else { throw InputError("--dir \(dir): exists and is not a directory; choose another --dir") }
        let temporary = dir + "/.concord-demo-\(getpid()).db"
        let labelsFile = dir + "/simulated-labels.csv"
        func cleanUp() {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
            try? FileManager.default.removeItem(atPath: labelsFile)
            if let created { try? FileManager.default.removeItem(atPath: created) }
        }
        do {
            let imported = try populate(temporary, assets: assets, login: login, labelsFile: labelsFile)
            // The store is closed here (it lived in populate), so SQLite has checkpointed its
            // WAL into the file; a WAL that is still there travels with it all the same.
            if FileManager.default.fileExists(atPath: temporary + "-wal") {
                guard rename(temporary + "-wal", path + "-wal") == 0 else { throw renameError(path) }
            }
            try? FileManager.default.removeItem(atPath: temporary + "-shm")
            guard rename(temporary, path) == 0 else {
                let error = renameError(path)
                try? FileManager.default.removeItem(atPath: path + "-wal")
                throw error
            }
            return imported
        } catch {
            cleanUp()
            throw error
        }
    }

    private static func renameError(_ path: String) -> InputError {
        InputError("\(path): cannot put the demo project in place: \(String(cString: strerror(errno)))")
    }

    /// init → rubric add → rater add ×3 → clip add → assign → label import, on `path`.
    private static func populate(_ path: String, assets: DemoAssets, login: String, labelsFile: String) throws -> Int {
        let rubric: Rubric
        do { rubric = try Rubric.load(path: assets.rubric) } catch let errors as RubricErrors {
            throw InputError(errors.description)
        }
        let facts: [ClipFacts]
        do { facts = try ClipIntake.facts(DemoClip.all.map { assets.clips + "/" + $0.file }) } catch let problems as ClipIntake.Problems {
            throw InputError(problems.lines.joined(separator: "\n") + "\nrebuild the demo clips with scripts/make-demo-clips.sh")
        }
        let csv = try SimulatedRater.labelsCSV(DemoClip.all, raters: raters, rubric: rubric)

        let session = try ProjectStore.create(path: path, name: "demo", admin: login).session(login: login)
        _ = try session.addRubric(rubric, sourcePath: assets.rubric)
        for rater in raters { try session.addRater(rater.name, role: .rater) }
        _ = try session.addClips(facts, batch: batch, rubric: rubric.name)
        let everyone = raters.map(\.name) + (raters.contains { $0.name == login } ? [] : [login])
        _ = try session.assign(batch: batch, raters: everyone, overlap: nil, goldRate: nil)
        // As `concord label import` does it: the CSV on disk (for anyone curious), parsed
        // by the same reader, imported all or nothing by the same importer.
        // Through the one writer of files for the user (docs/security.md, "Files concord writes").
        try OutputFile(labelsFile, project: path).replace(with: csv)
        let bytes = Array(csv.utf8)
        let rows = try bytes.withUnsafeBufferPointer { try LabelsCSV.parse($0, name: labelsFile) }.map {
            // Interchange's row as the Store imports it (what `label import` does).
            LabelImportRow(line: $0.line, clip: $0.clip, rater: $0.rater, criterion: $0.criterion, value: $0.value,
                           frame: $0.frame, submittedAt: $0.submittedAt, batch: $0.batch)
        }
        let summary = try session.importLabels(rows, file: labelsFile, fileSHA256: FileHash.sha256(bytes: bytes),
                                               batch: batch)
        return summary.added
    }

    /// "batch 'demo' of 6 items (rubric av-cut-in); 4 raters: …; 48 labels", as `login` may see it.
    public static func summary(_ store: ProjectStore, login: String) throws -> String {
        let status = try store.session(login: login).status(batch: nil)
        guard let batch = status.first(where: { $0.batch == Self.batch }) ?? status.first else {
            return "it has no batch yet"
        }
        let names = batch.raters.map { $0.rater == login ? "\($0.rater) (you)" : $0.rater }
        return "batch '\(batch.batch)' of \(plural(batch.items, "item")) (rubric \(batch.rubric)); "
            + "\(plural(names.count, "rater")): \(names.joined(separator: ", ")); "
            + "\(plural(batch.raters.reduce(0) { $0 + $1.labels }, "label"))"
    }
}
