import CFFmpeg

/// FFmpeg's libraries are loaded on a command's first FFmpeg call (CFFmpegLoader), and a
/// library that cannot be loaded ends the process with one line on standard error. The
/// full-screen commands call this before they take the terminal, so that line lands on a
/// normal screen rather than inside curses' alternate one.
public enum MediaLibraries {
    /// Loads all four libraries now (each call is FFmpeg's cheapest function).
    public static func load() {
        _ = avformat_version()
        _ = avcodec_version()
        _ = swscale_version()
        _ = avutil_version()
    }
}
