// CFFmpegLoader has no API of its own: it defines the FFmpeg functions concord calls
// (declared by CFFmpeg's headers) as stubs that load FFmpeg's libraries on first use.
// See README.md for why.
#ifndef CONCORD_CFFMPEG_LOADER_H
#define CONCORD_CFFMPEG_LOADER_H
#endif
