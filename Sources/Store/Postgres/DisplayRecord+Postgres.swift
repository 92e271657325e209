import JSONWriter

extension ProjectSession {
    /// `submit_item`'s p_display: the record as `concord.op_submission_display` reads it,
    /// speeds already in their stored spelling.
    static func displayJSON(_ display: DisplayRecord) -> String {
        JSON.object([("mode", JSON.string(display.mode.rawValue)), ("width", String(display.width)),
                     ("height", String(display.height)), ("colors", JSON.string(display.colors)),
                     ("speeds", JSON.string(display.speedsText))])
    }
}
