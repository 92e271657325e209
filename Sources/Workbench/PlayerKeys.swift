/// What a player key asks for, the same in `concord rate` and `concord adjudicate`: both
/// models turn keys into these with `init(key:count:)`, and both apps hand them to
/// `ClipPane.apply`. The help lines are `ClipPane.keyHelp`.
public enum PlayerCommand: Equatable, Sendable {
    case togglePlay
    /// Move by frames (negative: back).
    case step(Int)
    /// Move by seconds (negative: back).
    case seek(Double)
    /// Faster (+1) or slower (−1) along 0.25×, 0.5×, 1×, 2×, 4×.
    case speed(Int)
    case gotoFrame(Int)

    /// The command a key gives outside prompts, `count` times where a count applies
    /// (frames and seconds); nil for any other key. `g` opens each model's own prompt,
    /// whose Enter gives `.gotoFrame`.
    public init?(key: Key, count: Int = 1) {
        switch key {
        case .char(" "): self = .togglePlay
        case .left: self = .step(-count)
        case .right: self = .step(count)
        case .char("h"): self = .seek(-Double(count))
        case .char("l"): self = .seek(Double(count))
        case .char("["): self = .speed(-1)
        case .char("]"): self = .speed(1)
        default: return nil
        }
    }
}

/// The player's commands by their own names, for a workbench's action type.
public protocol PlayerCommanding {
    static func player(_ command: PlayerCommand) -> Self
}

extension PlayerCommanding {
    public static var togglePlay: Self { player(.togglePlay) }
    public static func step(_ frames: Int) -> Self { player(.step(frames)) }
    public static func seek(_ seconds: Double) -> Self { player(.seek(seconds)) }
    public static func speed(_ direction: Int) -> Self { player(.speed(direction)) }
    public static func gotoFrame(_ frame: Int) -> Self { player(.gotoFrame(frame)) }
}
