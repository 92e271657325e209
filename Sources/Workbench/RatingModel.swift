import Foundation
import Rubric
import Store

/// What a key asks the workbench to do beyond changing the model itself: things that touch
/// the project file or the player.
public enum Command: Equatable, Sendable {
    case none
    /// Save the current item with these answers (then call `didSubmit`).
    case submit([String: String])
    case skip(reason: String)
    case flag(note: String)
    case quit
    /// `o`: watch the clip in an external player from the frame on screen.
    case openPlayer
    /// A player key (`.step(10)`, `.togglePlay`… name these too: `PlayerCommanding`).
    case player(PlayerCommand)
}

extension Command: PlayerCommanding {}

/// The rater's side of the workbench as a pure state machine: the queue, the answers being
/// given, the focused criterion, prompts and the count prefix. Keys go in, `Command`s come
/// out; nothing here draws, decodes or writes, so every key binding is tested without a
/// terminal (and the tmux tests check the same bindings end to end).
///
/// Digits answer the focused criterion (its options' keys, or a number being typed); on
/// the submit line, after the last criterion, they are a count prefix for movement
/// (`10→` steps ten frames). That keeps option picking a single keystroke. Neither is
/// silent: an answer given by a digit is named on the message line, a pending count is
/// shown there, and a digit that is no option says where counts work.
public struct RatingModel: Sendable {
    public enum Mode: Equatable, Sendable {
        case normal
        /// Typing a number for the focused numeric criterion.
        case number(String)
        /// Editing the focused text criterion.
        case text(String)
        case skipReason(String)
        case flagNote(String)
        case gotoFrame(String)
        case help
        /// A pairwise criterion with a strength scale: `side` won, its strength's key next.
        case strength(PairSide)
    }

    public private(set) var queue: RatingQueue
    /// The item on screen; `queue.entries.count` when every item is done.
    public private(set) var index: Int
    /// Answers given so far on this item: criterion → value.
    public private(set) var answers: [String: String]
    /// Index into `shownCriteria`, or `shownCriteria.count` for the submit line.
    public private(set) var focus = 0
    public internal(set) var mode: Mode = .normal
    /// Digits typed as a count prefix.
    public private(set) var count = ""
    /// One line of feedback ("saved", what is missing, an error).
    public var message: String?
    /// What the rater watches on (set by the workbench from the terminal's picture mode);
    /// criteria whose rubric `display:` leaves it out are neither answered nor submitted
    /// from it (docs/rubrics.md, "Display"). nil: unknown, nothing refused.
    public var display: Display?
    /// A pair item shows one clip at a time (the terminal is too narrow for both; set by the
    /// workbench from its layout): `Tab` flips `shownSide`.
    public var oneAtATime = false
    /// The clip of a pair on screen when one is shown at a time; the left one on opening.
    public internal(set) var shownSide: PairSide = .left

    public init(queue: RatingQueue) {
        self.queue = queue
        self.index = queue.entries.isEmpty ? 0 : queue.resumeIndex
        if !queue.entries.isEmpty && queue.isFinished(queue.entries[index]) { index = queue.entries.count }
        self.answers = index < queue.entries.count ? queue.entries[index].answers : [:]
        focus = firstUnansweredFocus()
        if let note = entry?.sentBack { message = Self.sentBackMessage(note) }
    }

    public var isDone: Bool { index >= queue.entries.count }
    public var entry: QueueEntry? { isDone ? nil : queue.entries[index] }
    public var rubric: Rubric? { entry.map { queue.rubric(for: $0) } }

    /// The criteria shown for the answers given so far, in rubric order.
    public var shownCriteria: [Criterion] {
        guard let rubric else { return [] }
        return rubric.criteria.filter { rubric.isShown($0, answers: answers) }
    }

    public var focusedCriterion: Criterion? {
        let shown = shownCriteria
        return focus < shown.count ? shown[focus] : nil
    }

    /// Required criteria still to answer.
    public var missing: [Criterion] { rubric?.unanswered(answers) ?? [] }

    /// The item `didSubmit` would open next (for rendering its first frame ahead).
    public var nextEntry: QueueEntry? {
        guard !isDone else { return nil }
        let i = nextUnfinished(after: index)
        return i < queue.entries.count && i != index ? queue.entries[i] : nil
    }

    public var finishedCount: Int { queue.entries.filter { queue.isFinished($0) }.count }

    // MARK: - Keys

    public mutating func handle(_ key: Key) -> Command {
        if key == .interrupt { return .quit }
        switch mode {
        case .help:
            mode = .normal
            return .none
        case .number(let buffer): return number(key, buffer)
        case .text(let buffer): return text(key, buffer)
        case .skipReason(let buffer):
            guard let reason = prompt(key, buffer, into: { .skipReason($0) }) else { return .none }
            guard !reason.isEmpty else { message = "a skip needs a reason"; return .none }
            return .skip(reason: reason)
        case .flagNote(let buffer):
            guard let note = prompt(key, buffer, into: { .flagNote($0) }) else { return .none }
            guard !note.isEmpty else { message = "a flag needs a note"; return .none }
            return .flag(note: note)
        case .gotoFrame(let buffer):
            guard let text = prompt(key, buffer, into: { .gotoFrame($0) }) else { return .none }
            guard let frame = Int(text), frame >= 0 else { message = "type a frame number, then Enter"; return .none }
            return .gotoFrame(frame)
        case .strength(let side): return strength(key, winner: side)
        case .normal: return normal(key)
        }
    }

    private mutating func normal(_ key: Key) -> Command {
        let repeats = max(1, Int(count) ?? 1)
        let pending = count
        count = ""
        message = nil
        if let command = PlayerCommand(key: key, count: repeats) { return .player(command) }
        if key == .tab, flipSide() { return .none }
        switch key {
        case .char("q"): return .quit
        case .char("?"): mode = .help; return .none
        case .char("g"): mode = .gotoFrame(""); return .none
        case .char("j"), .down, .tab: moveFocus(repeats); return .none
        case .char("k"), .up: moveFocus(-repeats); return .none
        case .char("u"): reopenPrevious(); return .none
        case .escape: return .none
        case .resize: return .none
        default: break
        }
        if isDone {
            message = "every item is done: u revises the last one, q quits"
            return .none
        }
        switch key {
        // o is not a reserved key (rubrics stored before it may use it): an option keyed o
        // on the focused criterion wins.
        case .char("o") where focusedCriterion?.option(forKey: "o") == nil: return .openPlayer
        case .char("s"): mode = .skipReason(""); return .none
        case .char("f"): mode = .flagNote(""); return .none
        case .char("e"):
            guard let criterion = focusedCriterion, criterion.scale == .text else {
                message = "e edits a text criterion; move to one with j/k"
                return .none
            }
            if let refusal = refusal(criterion) { message = refusal; return .none }
            mode = .text(answers[criterion.id] ?? "")
            return .none
        case .enter:
            if let criterion = focusedCriterion, criterion.scale.isNumeric, missing.contains(criterion) {
                message = "type a number for \(criterion.id), then Enter"
                return .none
            }
            return submitIfComplete()
        case .char(let c):
            guard let criterion = focusedCriterion else {
                // A count prefix on the submit line, shown while it waits for its key.
                if c.isASCII && c.isNumber {
                    count = pending + String(c)
                    message = "count \(count): ← → h l j k use it"
                }
                return .none
            }
            if let refusal = refusal(criterion) {
                message = refusal
                return .none
            }
            if criterion.isPairwise {
                pairKey(c, criterion)
            } else if criterion.scale.hasOptions {
                guard let option = criterion.option(forKey: c) else {
                    // "1 0 →" on a criterion answers with 1 and then lands here: say where counts work.
                    message = "\(c) is not an option of \(criterion.id); its keys are \(criterion.options.map { String($0.key) }.joined(separator: " "))"
                        + (c.isASCII && c.isNumber ? " (a count such as 10→ works on the submit line only)" : "")
                    return .none
                }
                answer(criterion, option.value)
                // Never silently: the answer a digit gave is named on the message line.
                message = "\(criterion.id): \(option.label)"
            } else if criterion.scale.isNumeric, c.isASCII, c.isNumber || c == "." || c == "-" {
                mode = .number(String(c))
            } else if criterion.scale == .text {
                mode = .text(answers[criterion.id, default: ""] + String(c))
            }
            return .none
        default:
            return .none
        }
    }

    private mutating func number(_ key: Key, _ buffer: String) -> Command {
        guard let criterion = focusedCriterion else { mode = .normal; return .none }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "." || c == "-"): mode = .number(buffer + String(c))
        case .backspace:
            let rest = String(buffer.dropLast())
            mode = rest.isEmpty ? .normal : .number(rest)
        case .escape: mode = .normal
        case .enter:
            if let problem = criterion.problem(with: buffer) {
                message = "\(criterion.id): \(problem)"
                return .none
            }
            mode = .normal
            answer(criterion, criterion.canonicalAnswer(buffer))
        default: break
        }
        return .none
    }

    private mutating func text(_ key: Key, _ buffer: String) -> Command {
        guard let criterion = focusedCriterion else { mode = .normal; return .none }
        switch key {
        case .char(let c): mode = .text(buffer + String(c))
        case .backspace: mode = .text(String(buffer.dropLast()))
        case .escape: mode = .normal
        case .enter:
            mode = .normal
            let note = buffer.trimmingCharacters(in: .whitespaces)
            if note.isEmpty { answers[criterion.id] = nil; focus += 1 } else { answer(criterion, note) }
        default: break
        }
        return .none
    }

    /// A one-line prompt: typing edits it, Escape cancels, Enter finishes it and returns
    /// the text (trimmed); nil while editing or cancelled.
    private mutating func prompt(_ key: Key, _ buffer: String, into wrap: (String) -> Mode) -> String? {
        switch PromptEdit(key, buffer) {
        case .editing(let text)?: mode = wrap(text)
        case .cancelled?: mode = .normal
        case .finished(let text)?:
            mode = .normal
            return text
        case nil: break
        }
        return nil
    }

    mutating func answer(_ criterion: Criterion, _ value: String) {
        answers[criterion.id] = value
        // The list of shown criteria may have changed; focus the one after this.
        let shown = shownCriteria
        let position = shown.firstIndex { $0.id == criterion.id } ?? focus
        focus = min(position + 1, shown.count)
        // Jump over criteria already answered (a revision), to the next one still open.
        while focus < shown.count && answers[shown[focus].id] != nil && shown[focus].scale != .text { focus += 1 }
    }

    private mutating func moveFocus(_ by: Int) {
        focus = max(0, min(shownCriteria.count, focus + by))
    }

    private mutating func submitIfComplete() -> Command {
        // A criterion this display may not judge blocks the item if it is answered (the
        // answer would be recorded as given here) or required (it cannot be answered here).
        if let blocked = shownCriteria.first(where: { (answers[$0.id] != nil || $0.required) && refusal($0) != nil }) {
            message = "\(blocked.id) needs \(Self.list(blocked.display.map(\.rawValue))), not \(display!.rawValue): "
                + "s skips this item (say why), or rate it in another terminal"
            if let place = shownCriteria.firstIndex(of: blocked) { focus = place }
            return .none
        }
        let missing = self.missing
        guard missing.isEmpty else {
            message = "still to answer: \(missing.map(\.id).joined(separator: ", "))"
            if let first = shownCriteria.firstIndex(where: { $0.id == missing[0].id }) { focus = first }
            return .none
        }
        // Only what is shown is sent; hidden answers are withdrawn by the Store.
        let shown = Set(shownCriteria.map(\.id))
        return .submit(answers.filter { shown.contains($0.key) })
    }

    /// Why `criterion` cannot be answered on this display and where it can (kept under a
    /// 120-column message line for a two-display list); nil when it can.
    func refusal(_ criterion: Criterion) -> String? {
        guard let display, !criterion.allows(display) else { return nil }
        var ways: [String] = []
        let terminals = criterion.display.filter { $0 != .player }.map(Self.whereToFind)
        if !terminals.isEmpty { ways.append("open concord in " + Self.list(terminals)) }
        if criterion.allows(.player) { ways.append("press o to watch it in mpv") }
        return "\(criterion.id) needs \(Self.list(criterion.display.map(\.rawValue))), not \(display.rawValue): "
            + ways.joined(separator: ", or ")
    }

    /// The terminals that give a rater each terminal display.
    static func whereToFind(_ display: Display) -> String {
        switch display {
        case .kitty: "kitty/WezTerm/Ghostty/Konsole"
        case .sixel: "xterm -ti vt340/mlterm/foot"
        case .blocks: "any colour terminal"
        case .ascii, .player: "any terminal"
        }
    }

    /// "a", "a or b", "a, b or c".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    private func firstUnansweredFocus() -> Int {
        let shown = shownCriteria
        return shown.firstIndex { answers[$0.id] == nil && $0.required } ?? shown.count
    }

    // MARK: - Results of commands

    /// The item was saved: record it and open the next unfinished one.
    public mutating func didSubmit(_ saved: [String: String]) {
        guard !isDone else { return }
        queue.entries[index].answers = saved
        queue.entries[index].submitted = true
        queue.entries[index].sentBack = nil
        message = "saved \(name(of: index))"
        open(nextUnfinished(after: index))
    }

    public mutating func didSkip() {
        guard !isDone else { return }
        queue.entries[index].skipped = true
        message = "skipped \(name(of: index))"
        open(nextUnfinished(after: index))
    }

    public mutating func didFlag() {
        guard !isDone else { return }
        queue.entries[index].flagged = true
        message = "flagged \(name(of: index)) for the lead"
    }

    /// `u`: the previous submitted (or skipped) item, with its saved answers.
    private mutating func reopenPrevious() {
        var i = index - 1
        while i >= 0 && !(queue.entries[i].submitted || queue.entries[i].skipped || !queue.entries[i].answers.isEmpty) { i -= 1 }
        guard i >= 0 else { message = "no earlier submitted item to revise"; return }
        open(i)
        focus = 0   // a revision starts from the top: every answer is there to change
        message = "revising \(name(of: i)): change answers, Enter saves a new revision"
    }

    private func nextUnfinished(after i: Int) -> Int {
        let entries = queue.entries
        if let next = entries.indices.first(where: { $0 > i && !queue.isFinished(entries[$0]) }) { return next }
        if let earlier = entries.indices.first(where: { !queue.isFinished(entries[$0]) }) { return earlier }
        return entries.count
    }

    private mutating func open(_ i: Int) {
        index = i
        answers = isDone ? [:] : queue.entries[i].answers
        mode = .normal
        count = ""
        shownSide = .left
        focus = firstUnansweredFocus()
        if let note = entry?.sentBack { message = Self.sentBackMessage(note) }
    }

    static func sentBackMessage(_ note: String) -> String {
        "sent back by the lead" + (note.isEmpty ? "" : ": \(note)") + " — review your answers, Enter resubmits"
    }
}
