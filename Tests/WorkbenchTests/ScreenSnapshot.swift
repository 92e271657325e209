import Foundation
import Testing
@testable import Workbench

/// A screen drawn into a `CellGrid`, compared with a text file under `Snapshots/`: the rows
/// between `|` marks (a wide character once, taking two columns, as a terminal shows it),
/// the picture's rectangle, then the runs of styled cells. Reviewed in diffs like code.
///
/// To record them again after a deliberate change to a screen:
///
///     CONCORD_RECORD_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests
///
/// then read `git diff Tests/WorkbenchTests/Snapshots` before committing.
enum ScreenSnapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static var recording: Bool { ProcessInfo.processInfo.environment["CONCORD_RECORD_SNAPSHOTS"] == "1" }

    /// The text a snapshot file holds for `grid`.
    static func text(_ grid: CellGrid, title: String) -> String {
        var out = ["\(title) · \(grid.columns)×\(grid.rows)"]
        out += grid.lines.map { "|\($0)|" }
        out.append(grid.picture.map { "picture: row \($0.row), column \($0.column), \($0.width)×\($0.height) cells" } ?? "picture: none")
        out.append("styles (row first-last):")
        out += grid.styleRuns
        return out.joined(separator: "\n") + "\n"
    }

    /// Compares `grid` with `Snapshots/NAME.txt` (writes it when recording), naming the first
    /// differing line by its row and column.
    static func check(_ grid: CellGrid, name: String, title: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent(name + ".txt")
        let actual = text(grid, title: title)
        if recording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: file, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("cannot record \(file.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no snapshot \(file.path); record it with CONCORD_RECORD_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests",
                         sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        Issue.record(Comment(rawValue: difference(expected: expected, actual: actual, name: name)), sourceLocation: sourceLocation)
    }

    /// "rate-80x24: line 4 (row 2), column 17: expected "…", got "…"" and the whole new text.
    static func difference(expected: String, actual: String, name: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in 0..<max(e.count, a.count) {
            let x = i < e.count ? e[i] : "", y = i < a.count ? a[i] : ""
            guard x != y else { continue }
            let column = zip(x, y).prefix { $0 == $1 }.count
            let row = i >= 1 && i <= a.count - 1 && y.hasPrefix("|") ? " (row \(i - 1))" : ""
            return "\(name): line \(i + 1)\(row), column \(max(0, column - 1)): expected \"\(x)\", got \"\(y)\"\n"
                + "the new screen (CONCORD_RECORD_SNAPSHOTS=1 records it):\n" + actual
        }
        return "\(name): differs"
    }
}
