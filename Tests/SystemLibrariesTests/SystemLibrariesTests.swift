import CCurses
import CFFmpeg
import Testing

/// The system-library modules compile, link and load the libraries Debian ships.
/// Later parts (Media, Workbench) use them; these tests catch a broken pkg-config set-up
/// on a new machine before anything else does.
@Suite struct SystemLibrariesTests {
    @Test func ffmpegLibrariesAreLinkedAndRecentEnough() {
        // Debian 12 ships FFmpeg 5.1: libavformat 59, libavcodec 59, libswscale 6, libavutil 57.
        #expect(avformat_version() >> 16 >= 59)
        #expect(avcodec_version() >> 16 >= 59)
        #expect(swscale_version() >> 16 >= 6)
        #expect(avutil_version() >> 16 >= 57)
        #expect(concord_averror_eagain() == -EAGAIN)
        // The H.264 decoder is the one the clips of later issues need.
        #expect(avcodec_find_decoder(AV_CODEC_ID_H264) != nil)
    }

    @Test func ncursesIsTheWideCharacterBuild() {
        let version = String(cString: curses_version())
        #expect(version.hasPrefix("ncurses 6"), "curses_version() = \(version)")
        #expect(concord_color_pair(3) == 3 << 8)
    }
}
