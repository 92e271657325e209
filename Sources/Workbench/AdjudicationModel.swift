import Foundation
import Reports
import Rubric
import Store

/// What a key asks the lead's workbench to do beyond changing the model: decisions that
/// the Store records, and the player.
public enum AdjudicationAction: Equatable, Sendable {
    case none
    case quit
    /// Record the final value of the entry's criterion (then call `didResolve`).
    case resolve(value: String, reason: DecisionReason, note: String?)
    /// Send the entry's item back to these raters (then call `didSendBack`).
    case sendBack(raters: [String], note: String?)
    /// Mark the entry's criterion as needing revision (then call `didMarkRevision`).
    case needsRevision(note: String)
    /// Record a gold answer for the entry's item and criterion (then call `didAddGold`).
    case addGold(value: String)
    /// A player key, as in `concord rate`.
    case player(PlayerCommand)
}

extension AdjudicationAction: PlayerCommanding {}

/// The lead's side of the workbench as a pure state machine: the adjudication queue, the
/// entry on screen, the decision being keyed in and the dashboard toggle. Keys go in,
/// `AdjudicationAction`s come out; nothing here reads or writes the project, so every
/// binding is tested without a terminal (the tmux tests check them end to end).
///
/// A decision is three steps, each one key or one line: the final value (an option's key;
/// for a numeric criterion digits then Enter), the reason code (1–5, in
/// `DecisionReason.allCases` order), then an optional rationale (Enter ends it; Enter on
/// an empty line skips it). Escape cancels at any step. The workbench keys (n p b x d g h
/// l j k q ?) come before option keys, as in `concord rate`.
public struct AdjudicationModel: Sendable {
    public enum Mode: Equatable, Sendable {
        case normal
        /// Typing a number for a numeric criterion's final value.
        case number(String)
        /// The final value is chosen; waiting for the reason code.
        case reason(value: String)
        case rationale(value: String, reason: DecisionReason, text: String)
        /// Choosing raters (positions in `senders`) to send the item back to.
        case sendBack(selected: [Int])
        case sendBackNote(raters: [String], text: String)
        case revisionNote(String)
        /// `G`: choosing the known answer that makes this entry a gold question (typed
        /// digits for a numeric criterion).
        case goldValue(String)
        /// A pairwise criterion with a strength scale: the winner is chosen (for the final
        /// value, or the gold answer when `gold`); waiting for the strength's number.
        case strength(winner: String, gold: Bool)
        case gotoFrame(String)
        case help
        case dashboard
    }

    /// What has been decided on an entry: in this session, or a send-back of an earlier one
    /// that its raters have not answered yet.
    public enum Status: Equatable, Sendable {
        case open
        case resolved(value: String, reason: DecisionReason)
        case sentBack([String])
    }

    public let batch: String
    public let rubric: Rubric
    public private(set) var entries: [AdjudicationQueue.Entry]
    public private(set) var status: [Status]
    /// Entries whose criterion was marked as needing revision in this session.
    public private(set) var markedForRevision: Set<Int> = []
    /// The entry on screen; `entries.count` once every entry is decided.
    public private(set) var index = 0
    /// Set by this file and the pairwise keys (AdjudicationModel+Pairwise.swift).
    public internal(set) var mode: Mode = .normal
    /// The criterion focused on the dashboard (index into the agreement criteria).
    public private(set) var dashboardFocus = 0
    public private(set) var dashboardCriteria = 0
    /// One line of feedback.
    public var message: String?
    /// The entry whose clip b is on screen (`Tab` on a pair item); nil: clip a.
    private var clipBShownAt: Int?

    /// `sentBack`: items sent back earlier, to raters who have not answered since
    /// (`ProjectSession.pendingSendBacks`). Their entries say so, and the session
    /// starts at the first entry still open.
    public init(batch: String, rubric: Rubric, entries: [AdjudicationQueue.Entry], sentBack: [Int64: [String]] = [:]) {
        self.batch = batch
        self.rubric = rubric
        self.entries = entries
        status = entries.map { entry in sentBack[entry.item].map(Status.sentBack) ?? .open }
        index = status.firstIndex(of: .open) ?? 0
        dashboardCriteria = rubric.criteria.filter(\.isPartOfAgreement).count
    }

    public var isDone: Bool { index >= entries.count }
    public var entry: AdjudicationQueue.Entry? { isDone ? nil : entries[index] }
    public var criterion: Criterion? { entry.flatMap { rubric.criterion($0.criterion) } }
    public var decidedCount: Int { status.filter { $0 != .open }.count }
    public var showsDashboard: Bool { mode == .dashboard }
    /// On a pair item: whether the picture shows clip b (`Tab` flips it); false otherwise.
    public var showsClipB: Bool { clipBShownAt == index && entry?.clipB != nil }
    /// The name of the clip the picture shows: the entry's clip, or clip b of a pair after `Tab`.
    public var shownClip: String? { showsClipB ? entry?.clipB : entry?.clip }

    /// Raters the item can be sent back to, numbered from 1: those whose votes put it in
    /// the queue.
    public var senders: [String] { entry?.votes.map(\.rater) ?? [] }

    /// The entry after this one that is still open (for rendering its clip ahead).
    public var nextEntry: AdjudicationQueue.Entry? {
        guard !isDone else { return nil }
        let i = nextOpen(after: index)
        return i < entries.count && i != index ? entries[i] : nil
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key) -> AdjudicationAction {
        if key == .interrupt { return .quit }
        switch mode {
        case .help:
            mode = .normal
            return .none
        case .dashboard: return dashboard(key)
        case .number(let buffer): return number(key, buffer)
        case .reason(let value): return reason(key, value)
        case .rationale(let value, let reason, let text):
            guard let note = prompt(key, text, into: { .rationale(value: value, reason: reason, text: $0) }) else { return .none }
            return .resolve(value: value, reason: reason, note: note.isEmpty ? nil : note)
        case .sendBack(let selected): return sendBack(key, selected)
        case .goldValue(let buffer): return goldValue(key, buffer)
        case .strength(let winner, let gold): return strength(key, winner: winner, gold: gold)
        case .sendBackNote(let raters, let text):
            guard let note = prompt(key, text, into: { .sendBackNote(raters: raters, text: $0) }) else { return .none }
            return .sendBack(raters: raters, note: note.isEmpty ? nil : note)
        case .revisionNote(let text):
            guard let note = prompt(key, text, into: { .revisionNote($0) }) else { return .none }
            guard !note.isEmpty else {
                message = "a revision mark needs a note: what in the rubric misled the raters"
                mode = .revisionNote("")
                return .none
            }
            return .needsRevision(note: note)
        case .gotoFrame(let text):
            guard let typed = prompt(key, text, into: { .gotoFrame($0) }) else { return .none }
            guard let frame = Int(typed), frame >= 0 else { message = "type a frame number, then Enter"; return .none }
            return .gotoFrame(frame)
        case .normal: return normal(key)
        }
    }

    private mutating func normal(_ key: Key) -> AdjudicationAction {
        message = nil
        if let command = PlayerCommand(key: key) { return .player(command) }
        switch key {
        case .char("q"): return .quit
        case .char("?"): mode = .help; return .none
        case .char("d"): mode = .dashboard; return .none
        case .char("n"): move(1); return .none
        case .char("p"): move(-1); return .none
        case .char("g"): mode = .gotoFrame(""); return .none
        case .tab:
            guard entry?.clipB != nil else { message = "Tab flips between the two clips of a pair; this entry has one clip"; return .none }
            clipBShownAt = showsClipB ? nil : index
            return .none
        case .escape, .resize: return .none
        default: break
        }
        guard let criterion else {
            message = "every entry is decided: p goes back to the last one, d shows agreement, q quits"
            return .none
        }
        switch key {
        case .char("b"):
            guard !senders.isEmpty else { message = "no rater voted on this entry"; return .none }
            mode = .sendBack(selected: [])
        case .char("x"):
            mode = .revisionNote("")
        case .char("G"):
            mode = .goldValue("")
            message = criterion.isPairwise ? "gold answer: \(Self.pairKeys(criterion)), Esc cancels"
                : criterion.scale.isNumeric ? "gold answer: type the number, Enter records it, Esc cancels"
                                            : "gold answer: press the option's key, Esc cancels"
        case .char(let c) where criterion.isPairwise:
            return pairwise(c, criterion: criterion, gold: false)
        case .char(let c) where criterion.scale.hasOptions:
            guard let option = criterion.option(forKey: c) else {
                message = "\(c) is not an option of \(criterion.id); its keys are \(criterion.options.map { String($0.key) }.joined(separator: " "))"
                return .none
            }
            mode = .reason(value: option.value)
        case .char(let c) where criterion.scale.isNumeric && c.isASCII && (c.isNumber || c == "." || c == "-"):
            mode = .number(String(c))
        case .enter where criterion.scale.isNumeric:
            message = "type the final number for \(criterion.id), then Enter"
        default:
            message = criterion.isPairwise
                ? "\(Self.pairKeys(criterion)) give the final value · Tab clip a/b · b send back · x rubric needs revision · G gold answer · n/p · ? help"
                : criterion.scale.isNumeric
                ? "digits and Enter give the final value · b send back · x rubric needs revision · G gold answer · n/p · ? help"
                : "\(criterion.options.first.map { String($0.key) } ?? "1")… pick the final value · b send back · x rubric needs revision · G gold answer · n/p · ? help"
        }
        return .none
    }

    /// The known answer for a gold question: an option's key, or digits then Enter.
    private mutating func goldValue(_ key: Key, _ buffer: String) -> AdjudicationAction {
        guard let criterion else { mode = .normal; return .none }
        switch key {
        case .escape:
            mode = .normal
            message = "gold answer cancelled"
        case .char(let c) where criterion.isPairwise:
            return pairwise(c, criterion: criterion, gold: true)
        case .char(let c) where criterion.scale.hasOptions:
            guard let option = criterion.option(forKey: c) else {
                message = "\(c) is not an option of \(criterion.id); its keys are \(criterion.options.map { String($0.key) }.joined(separator: " "))"
                return .none
            }
            mode = .normal
            return .addGold(value: option.value)
        case .char(let c) where c.isASCII && (c.isNumber || c == "." || c == "-"):
            mode = .goldValue(buffer + String(c))
        case .backspace:
            mode = .goldValue(String(buffer.dropLast()))
        case .enter where criterion.scale.isNumeric:
            let value = criterion.canonicalAnswer(buffer)
            if let problem = criterion.problem(with: value) {
                message = "\(criterion.id): \(problem)"
                return .none
            }
            mode = .normal
            return .addGold(value: value)
        default: break
        }
        return .none
    }

    public mutating func didAddGold(value: String) {
        guard let entry else { return }
        message = "gold answer recorded: \(entry.title) \(entry.criterion) = \(shown(value))"
    }

    private mutating func number(_ key: Key, _ buffer: String) -> AdjudicationAction {
        guard let criterion else { mode = .normal; return .none }
        switch key {
        case .char(let c) where c.isASCII && (c.isNumber || c == "." || c == "-"): mode = .number(buffer + String(c))
        case .backspace:
            let rest = String(buffer.dropLast())
            mode = rest.isEmpty ? .normal : .number(rest)
        case .escape: mode = .normal
        case .enter:
            let value = criterion.canonicalAnswer(buffer)
            if let problem = criterion.problem(with: value) {
                message = "\(criterion.id): \(problem)"
                return .none
            }
            mode = .reason(value: value)
        default: break
        }
        return .none
    }

    private mutating func reason(_ key: Key, _ value: String) -> AdjudicationAction {
        switch key {
        case .char(let c):
            guard let n = c.wholeNumberValue, n >= 1, n <= DecisionReason.allCases.count else {
                message = "the reason: " + Self.reasonKeys
                return .none
            }
            message = nil
            mode = .rationale(value: value, reason: DecisionReason.allCases[n - 1], text: "")
        case .escape, .backspace:
            mode = .normal
            message = "decision cancelled"
        default: break
        }
        return .none
    }

    private mutating func sendBack(_ key: Key, _ selected: [Int]) -> AdjudicationAction {
        let raters = senders
        switch key {
        case .char(let c):
            guard let n = c.wholeNumberValue, n >= 1, n <= raters.count else {
                message = "pick raters by number (1–\(raters.count)), then Enter"
                return .none
            }
            message = nil
            mode = .sendBack(selected: selected.contains(n - 1) ? selected.filter { $0 != n - 1 } : (selected + [n - 1]).sorted())
        case .enter:
            guard !selected.isEmpty else { message = "pick at least one rater by number, then Enter"; return .none }
            message = nil
            mode = .sendBackNote(raters: selected.map { raters[$0] }, text: "")
        case .escape:
            mode = .normal
            message = "send-back cancelled"
        default: break
        }
        return .none
    }

    /// The dashboard is a view over the queue: q leaves it as d and Esc do (it once quit the
    /// whole program, where a lead expects to step back); Ctrl-C still quits.
    private mutating func dashboard(_ key: Key) -> AdjudicationAction {
        switch key {
        case .char("d"), .char("q"), .escape: mode = .normal
        case .char("j"), .down, .tab: dashboardFocus = min(max(0, dashboardCriteria - 1), dashboardFocus + 1)
        case .char("k"), .up: dashboardFocus = max(0, dashboardFocus - 1)
        default: break
        }
        return .none
    }

    /// A one-line prompt: typing edits it, Escape cancels, Enter finishes it and returns
    /// the text (trimmed); nil while editing or cancelled.
    private mutating func prompt(_ key: Key, _ buffer: String, into wrap: (String) -> Mode) -> String? {
        switch PromptEdit(key, buffer) {
        case .editing(let text)?: mode = wrap(text)
        case .cancelled?:
            mode = .normal
            message = "cancelled"
        case .finished(let text)?:
            mode = .normal
            return text
        case nil: break
        }
        return nil
    }

    /// n / p: the next or previous entry, decided ones included (a decision can be revised).
    private mutating func move(_ by: Int) {
        guard !entries.isEmpty else { message = "the adjudication queue is empty"; return }
        let target = index + by
        if target < 0 { message = "this is the first entry"; return }
        if target >= entries.count {
            message = isDone ? "no entry after the last" : "this is the last entry"
            return
        }
        index = target
        mode = .normal
        clipBShownAt = nil
    }

    // MARK: - Results of actions

    public mutating func didResolve(value: String, reason: DecisionReason) {
        guard let entry else { return }
        status[index] = .resolved(value: value, reason: reason)
        message = "resolved \(entry.title) \(entry.criterion) as \(shown(value)) (\(Self.reasonTitle(reason)))"
        index = nextOpen(after: index)
        clipBShownAt = nil
    }

    public mutating func didSendBack(raters: [String]) {
        guard let entry else { return }
        status[index] = .sentBack(raters)
        message = "sent \(entry.title) back to \(raters.joined(separator: ", "))"
        index = nextOpen(after: index)
        clipBShownAt = nil
    }

    public mutating func didMarkRevision() {
        guard let entry else { return }
        markedForRevision.insert(index)
        message = "marked \(entry.criterion) of the rubric as needing revision"
    }

    /// A value as messages say it: "a better" on a pairwise criterion, else the value.
    private func shown(_ value: String) -> String { criterion?.isPairwise == true ? Self.pairText(value) : value }

    /// The first open entry after `i`, wrapping; `entries.count` when none is open.
    private func nextOpen(after i: Int) -> Int {
        if let next = entries.indices.first(where: { $0 > i && status[$0] == .open }) { return next }
        if let earlier = entries.indices.first(where: { status[$0] == .open }) { return earlier }
        return entries.count
    }

    // MARK: - Wording

    public static func reasonTitle(_ reason: DecisionReason) -> String {
        switch reason {
        case .raterError: return "rater error"
        case .rubricAmbiguous: return "rubric ambiguous"
        case .clipAmbiguous: return "clip ambiguous"
        case .genuineDisagreement: return "genuine disagreement"
        case .other: return "other"
        }
    }

    /// "1 rater error · 2 rubric ambiguous · …".
    public static var reasonKeys: String {
        DecisionReason.allCases.enumerated().map { "\($0.offset + 1) \(reasonTitle($0.element))" }.joined(separator: " · ")
    }
}
