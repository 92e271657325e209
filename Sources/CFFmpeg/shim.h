// FFmpeg's libraries (libavformat, libavcodec, libswscale, libavutil), used in-process by
// Media. The inline functions stand in for macros Swift cannot import.
#ifndef CONCORD_CFFMPEG_SHIM_H
#define CONCORD_CFFMPEG_SHIM_H
#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/sha.h>

/// AVERROR(EAGAIN): the decoder wants more input before it can give a frame.
static inline int concord_averror_eagain(void) { return AVERROR(EAGAIN); }
/// AVERROR_EOF: the stream or decoder is drained.
static inline int concord_averror_eof(void) { return AVERROR_EOF; }
/// AV_NOPTS_VALUE: "no timestamp".
static inline int64_t concord_av_nopts_value(void) { return AV_NOPTS_VALUE; }
/// AV_TIME_BASE: libavformat's internal time unit per second.
static inline int concord_av_time_base(void) { return AV_TIME_BASE; }
#endif
