import Foundation
import Interchange

// MARK: - The clips and their truth

/// What a cut-in clip shows on the criteria that apply only when `present` is yes.
struct DemoCutIn: Sendable {
    let severity: String
    let egoResponse: String
    /// Minimum time-to-collision, seconds (the rubric's `ttc`).
    let ttc: Double
}

/// A bundled clip and its intended answers under rubrics/av-cut-in.yaml: the table of
/// assets/demo/README.md, kept equal to it (DemoCommandTests reads that table), and the
/// scenes that scripts/make-demo-clips.sh draws.
struct DemoClip: Sendable {
    let file: String
    /// yes, no or unclear.
    let present: String
    let cutIn: DemoCutIn?
    /// What a rater who answers "unclear" on this clip writes in the notes.
    let doubt: String

    static let all: [DemoClip] = [
        DemoClip(file: "cutin-left-close.mp4", present: "yes",
                 cutIn: DemoCutIn(severity: "severe", egoResponse: "good", ttc: 0.8),
                 doubt: "The blue car fills the view; I could not see its wheels cross the line."),
        DemoClip(file: "cutin-right-far.mp4", present: "yes",
                 cutIn: DemoCutIn(severity: "minor", egoResponse: "good", ttc: 4.6),
                 doubt: "The yellow car is far away; I could not tell whether it ends up in our lane."),
        DemoClip(file: "no-cutin-adjacent.mp4", present: "no", cutIn: nil,
                 doubt: "The white car drifts towards the line at about 2 s; I could not tell whether its wheels crossed it."),
        DemoClip(file: "lead-brakes.mp4", present: "no", cutIn: nil,
                 doubt: "The green car brakes hard ahead of us; I could not tell whether it counts."),
        DemoClip(file: "cutin-truck-moderate.mp4", present: "yes",
                 cutIn: DemoCutIn(severity: "moderate", egoResponse: "acceptable", ttc: 1.2),
                 doubt: "The truck hides the road ahead; I could not tell where it ends up."),
        DemoClip(file: "occluded-unclear.mp4", present: "unclear", cutIn: nil,
                 doubt: "Glare whites out the lane ahead from about 1 s; the purple car cannot be seen when the clip ends."),
    ]
}

/// Where the demo's clips and rubric are.
public struct DemoAssets {
    /// The folder of clips.
    public let clips: String
    /// The rubric file.
    public let rubric: String

    static let rubricFile = "rubrics/av-cut-in.yaml"

    /// `--assets DIR`, or the first assets/demo found walking up from the current directory,
    /// then from the executable (a build inside the repository finds the repository's).
    /// Every clip of the truth table must be there, and the rubric beside the repository.
    public static func locate(explicit: String?) throws -> DemoAssets {
        let roots = ancestors(of: currentDirectory()) + (executableDirectory().map(ancestors(of:)) ?? [])
        let clips: String
        if let explicit {
            guard isDirectory(explicit) else {
                throw InputError("--assets \(explicit): no such directory; give the folder that holds the demo clips (assets/demo of the concord repository)")
            }
            clips = explicit
        } else {
            guard let root = roots.first(where: { isDirectory($0 + "/assets/demo") }) else {
                throw InputError("cannot find the demo clips: no assets/demo in \(currentDirectory()) or its parents"
                                 + (executableDirectory().map { ", nor in \($0) or its parents" } ?? "")
                                 + "; run concord demo inside the concord repository, or pass --assets DIR")
            }
            clips = root + "/assets/demo"
        }
        let missing = DemoClip.all.map(\.file).filter { !FileManager.default.fileExists(atPath: clips + "/" + $0) }
        guard missing.isEmpty else {
            throw InputError("\(clips): missing demo clip\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); rebuild them with scripts/make-demo-clips.sh, or pass --assets DIR")
        }
        // The rubric: beside the clips, in the repository the clips belong to, then upwards.
        let candidates = [clips + "/av-cut-in.yaml", clips + "/../../" + rubricFile] + roots.map { $0 + "/" + rubricFile }
        guard let rubric = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw InputError("cannot find the demo rubric av-cut-in.yaml; looked in: \(candidates.joined(separator: ", ")); run concord demo inside the concord repository")
        }
        return DemoAssets(clips: clips, rubric: standardized(rubric))
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func currentDirectory() -> String { FileManager.default.currentDirectoryPath }

    /// The directory of the running executable (symbolic links resolved), if known.
    static func executableDirectory() -> String? {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
        guard let path, path.contains("/") else { return nil }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// `path` and each of its parents up to /.
    static func ancestors(of path: String) -> [String] {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var result = [url.path]
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            result.append(url.path)
        }
        return result
    }

    static func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}
