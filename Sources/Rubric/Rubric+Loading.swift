/// The three ways to get a `Rubric`; all go through the same validation.
extension Rubric {
    /// Reads and validates a rubric file. Throws `RubricErrors` for a missing or unreadable
    /// file, text that is not UTF-8, invalid YAML, or any rule of the format broken.
    public static func load(path: String) throws -> Rubric {
        switch SourceText.read(path: path) {
        case .success(let text): return try parse(text, file: path)
        case .failure(let errors): throw errors
        }
    }

    /// Validates rubric YAML. `file` is used only in messages.
    public static func parse(_ yaml: String, file: String) throws -> Rubric {
        var reader = RubricReader(file: file)
        if let root = YAMLDocument.compose(yaml, log: &reader.log),
           let rubric = reader.rubric(from: root) {
            return rubric
        }
        throw reader.log.errors()
    }

    /// Rebuilds a rubric from the canonical JSON the Store keeps.
    ///
    /// JSON is YAML, so this is `parse` under another file name: stored JSON is held to
    /// exactly the rules a file is, and there is one validator to keep right. The result's
    /// `canonicalJSON` is recomputed; it equals `json` whenever `json` is canonical JSON
    /// this library wrote, and compare `contentHash` to the stored hash to be sure.
    public static func fromCanonicalJSON(_ json: String) throws -> Rubric {
        try parse(json, file: "<canonical JSON>")
    }
}
