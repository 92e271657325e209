/// A key the workbench understands, decoded from ncurses' `wget_wch` (or built by tests).
public enum Key: Equatable, Sendable {
    case char(Character)
    case up, down, left, right
    case enter, backspace, escape, tab
    /// Ctrl-C: in raw mode the terminal sends it as a key, not SIGINT.
    case interrupt
    case resize

    /// A short name for the trace log and the help screen.
    public var name: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .enter: return "enter"
        case .backspace: return "backspace"
        case .escape: return "escape"
        case .tab: return "tab"
        case .interrupt: return "ctrl-c"
        case .resize: return "resize"
        }
    }
}
