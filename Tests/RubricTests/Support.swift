import Foundation
import Rubric
import Testing

/// The package root, found from this file's path, so tests read the real rubrics/ folder
/// whatever directory `swift test` runs in.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // RubricTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The problems `yaml` has, as the lines a user sees; [] when it is a valid rubric.
func problems(_ yaml: String, file: String = "r.yaml") -> [String] {
    do {
        _ = try Rubric.parse(yaml, file: file)
        return []
    } catch let errors as RubricErrors {
        return errors.problems.map(\.description)
    } catch {
        return ["unexpected error type: \(error)"]
    }
}

/// A rubric that must be valid; records the problems as a failure otherwise.
func rubric(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Rubric {
    do {
        return try Rubric.parse(yaml, file: "r.yaml")
    } catch let errors as RubricErrors {
        Issue.record("unexpected problems:\n\(errors)", sourceLocation: sourceLocation)
        throw errors
    }
}
