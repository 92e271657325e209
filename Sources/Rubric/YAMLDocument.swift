import Yams
import Printable

/// Composes rubric text into one YAML node tree, keeping every node's line and column.
///
/// The tree, not `Codable`, because validation must point at the offending node and go on to
/// find the next problem; a decoder stops at the first one and knows no columns.
enum YAMLDocument {
    /// The root node, or nil when the text is not one YAML document (the problem, with its
    /// position, is in `log`).
    static func compose(_ text: String, log: inout ProblemLog) -> Node? {
        do {
            // The basic resolver leaves every scalar a string: rubric fields decide for
            // themselves what a number or a boolean is, so YAML 1.1's `no` → false and
            // `1:30` → 90 never silently change a value.
            let parser = try Parser(yaml: text, resolver: .basic)
            guard let root = try parser.nextRoot() else {
                log.add("the file is empty; a rubric needs at least name and criteria", line: 1, column: 1)
                return nil
            }
            if let second = try parser.nextRoot() {
                log.add("a rubric file holds one YAML document; found a second one", at: second)
                return nil
            }
            let limit = expansionLimit(forBytes: text.utf8.count)
            if let anchor = ExpandedSize.firstNodePast(limit, in: root) {
                log.add("aliases expand this document past \(limit) bytes at this value (the limit is 8 MB or 16 times the file's size, "
                        + "whichever is larger); write the values out or use fewer aliases",
                        at: anchor)
                return nil
            }
            return root
        } catch let error as YamlError {
            report(error, in: text, log: &log)
            return nil
        } catch {
            log.add("cannot read the YAML: \(error)", line: 1, column: 1)
            return nil
        }
    }

    /// How many bytes of scalars the composed tree may hold: 8 MB, or 16 times the text
    /// when that is larger. An alias repeats its anchor's whole value, so a 1 MB scalar
    /// named by 200 aliases is 200 MB for every step after composing (validation, canonical
    /// JSON); past this the file is refused before any of that runs.
    static func expansionLimit(forBytes count: Int) -> Int { max(8 << 20, count.multipliedReportingOverflow(by: 16).partialValue) }

    private static func report(_ error: YamlError, in text: String, log: inout ProblemLog) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            log.add(message, at: mark)
        case .reader(let problem, let offset, _, _):
            let (line, column) = position(ofCharacter: offset ?? 0, in: text)
            log.add("invalid YAML: \(problem)", line: line, column: column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams stops at the first mapping with a repeated key and keeps only the first
            // occurrence's position.
            let keys = duplicates.map { quoted($0) }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key" : "keys"
            let verb = duplicates.count == 1 ? "is" : "are"
            log.add("\(noun) \(keys) \(verb) given more than once in this mapping; give each key once", at: context.mark)
        default:
            log.add("cannot read the YAML: \(error)", line: 1, column: 1)
        }
    }

    /// Line and column (in Unicode scalars, from 1) of the character at `offset`.
    private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character.isNewline { line += 1; column = 1 } else { column += character.unicodeScalars.count }
        }
        return (line, column)
    }
}
