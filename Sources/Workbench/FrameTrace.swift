/// `rate --trace FILE` lines for the clip's frames, beside the key lines, for the slow-link
/// benchmark and tests (bench/run_slowlink.py): monotonic microseconds, the clock the
/// player runs on (`WorkbenchTerminal.now`), so a reader of the terminal can compare when
/// a frame arrived with when it was due.
///
///     frame<TAB>index<TAB>due<TAB>write started<TAB>write returned<TAB>bytes<TAB>WxH
///     skip<TAB>index<TAB>due<TAB>at
///
/// `due`: when the frame's time came on the player's clock (the moment drawn, when paused).
/// `WxH`: the picture as decoded and sent, in pixels (half-blocks: one a column, two a
/// row); smaller than the pane's while playing over a slow link (`PlaybackScale`), though
/// the submission records the full size the rater judged on.
enum FrameTrace {
    static func written(frame: Int, due: Double, start: Double, end: Double, bytes: Int, size: (width: Int, height: Int)) -> String {
        "frame\t\(frame)\t\(micro(due))\t\(micro(start))\t\(micro(end))\t\(bytes)\t\(size.width)x\(size.height)"
    }

    static func skipped(frame: Int, due: Double, at: Double) -> String {
        "skip\t\(frame)\t\(micro(due))\t\(micro(at))"
    }

    private static func micro(_ seconds: Double) -> Int { Int((seconds * 1e6).rounded()) }
}
