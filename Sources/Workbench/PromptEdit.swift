/// One key applied to a one-line prompt (a skip reason, a note, a frame number): typing
/// edits it, Backspace deletes, Escape cancels, Enter finishes it with the text trimmed.
/// Shared by both workbenches' key state machines.
enum PromptEdit: Equatable {
    case editing(String)
    case cancelled
    case finished(String)

    /// nil for a key a prompt ignores.
    init?(_ key: Key, _ buffer: String) {
        switch key {
        case .char(let c): self = .editing(buffer + String(c))
        case .backspace: self = .editing(String(buffer.dropLast()))
        case .escape: self = .cancelled
        case .enter: self = .finished(buffer.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }
}
