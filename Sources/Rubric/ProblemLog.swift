import Yams

/// Collects the problems of one rubric file as validation walks it, so every problem is
/// reported in one run rather than the first one only.
struct ProblemLog {
    let file: String
    private(set) var problems: [RubricProblem] = []

    init(file: String) { self.file = file }

    var isEmpty: Bool { problems.isEmpty }

    mutating func add(_ message: String, at node: Node) {
        add(message, at: node.mark)
    }

    /// A node without a mark (never produced by the parser, but the type allows it) is
    /// reported at the start of the file rather than dropped.
    mutating func add(_ message: String, at mark: Mark?) {
        add(message, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func add(_ message: String, line: Int, column: Int) {
        problems.append(RubricProblem(file: file, line: line, column: column, message: message))
    }

    /// The problems in file order; problems at the same place keep the order they were found.
    func errors() -> RubricErrors {
        let ordered = problems.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
        return RubricErrors(problems: ordered)
    }
}
