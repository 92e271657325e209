import Rubric

/// The display a submission was judged on (docs/project-file.md "submission_display"):
/// raters look for banding, blocking and colour shifts, and a 256-colour palette or a
/// half-block picture adds exactly those, so a label says what it was judged on.
public struct DisplayRecord: Sendable, Equatable {
    /// kitty, sixel, blocks, ascii, or the external player (`o`).
    public var mode: Display
    /// The picture's size in pixels: the box the frame was drawn into (for the player, the
    /// clip's shown size).
    public var width: Int
    public var height: Int
    /// "24-bit", a palette's size ("256", "16", or any count of sixel registers up to 256),
    /// or "none".
    public var colors: String
    /// Each playback speed at which frames advanced while playing, ascending; empty when the
    /// clip was never played.
    public var speeds: [Double]

    public init(mode: Display, width: Int, height: Int, colors: String, speeds: [Double] = []) {
        self.mode = mode
        self.width = width
        self.height = height
        self.colors = colors
        self.speeds = Array(Set(speeds)).sorted()
    }

    /// The largest side a picture is recorded with: far beyond any screen, it only keeps
    /// nonsense out.
    static let maxSide = 100_000

    /// `speeds` as stored: comma-separated, ascending, each in its shortest decimal
    /// ("0.5,1,2"); "" when none. One spelling, so equal records are equal text.
    public var speedsText: String { speeds.map(Self.decimal).joined(separator: ",") }

    /// "640x360", as `label export` writes it.
    public var sizeText: String { "\(width)x\(height)" }

    /// 1 → "1", 0.25 → "0.25": Swift's shortest round-trip spelling, without a ".0".
    static func decimal(_ value: Double) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// Why the record cannot be stored, or nil: the checks both stores make (PostgreSQL's
    /// `concord.op_submission_display` makes them again).
    var problem: String? {
        guard (0...Self.maxSide).contains(width), (0...Self.maxSide).contains(height) else {
            return "the display's picture size \(width)x\(height) is not between 0x0 and \(Self.maxSide)x\(Self.maxSide)"
        }
        guard Self.isColors(colors) else {
            return "the display's colours \(quoted(colors)) are not 24-bit, none or a palette size from 1 to 256"
        }
        // Within 0.01...64 every speed's shortest spelling is a plain decimal ("0.25", not "1e-05").
        if let bad = speeds.first(where: { !($0 >= 0.01 && $0 <= 64) }) {
            return "the playback speed \(Self.decimal(bad)) is not at least 0.01 and at most 64"
        }
        return nil
    }

    static func isColors(_ text: String) -> Bool {
        if text == "24-bit" || text == "none" { return true }
        guard let n = Int(text), (1...256).contains(n) else { return false }
        return String(n) == text
    }
}
