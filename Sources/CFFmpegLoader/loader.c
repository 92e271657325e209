// Lazy loading of FFmpeg's libraries (see README.md): concord does not link libavformat,
// libavcodec, libswscale or libavutil, so a command that never touches a clip does not pay
// for loading them and the ~130 libraries they pull in. Each FFmpeg function concord calls
// is defined here as a stub that, on its first call, dlopen()s the library by its versioned
// soname, dlsym()s the real function from that library's own handle (never RTLD_DEFAULT or
// RTLD_NEXT, which could find this stub again), caches the pointer and calls it.
//
// The real headers are included, so the compiler checks every stub's definition against
// FFmpeg's declaration: a signature that drifts with an FFmpeg upgrade fails the build.
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/pixdesc.h>
#include <libavutil/sha.h>

#define LOADER_STRING_(x) #x
#define LOADER_STRING(x) LOADER_STRING_(x)

/// One of FFmpeg's libraries: the soname concord was built against (the major version is
/// the ABI) and the Debian package that ships it, named in the error when it is missing.
typedef struct {
    const char *soname;
    const char *package;
    void *handle;
} Library;

enum { AVFORMAT, AVCODEC, SWSCALE, AVUTIL, LIBRARY_COUNT };

static Library libraries[LIBRARY_COUNT] = {
    [AVFORMAT] = {"libavformat.so." LOADER_STRING(LIBAVFORMAT_VERSION_MAJOR),
                  "libavformat" LOADER_STRING(LIBAVFORMAT_VERSION_MAJOR), NULL},
    [AVCODEC] = {"libavcodec.so." LOADER_STRING(LIBAVCODEC_VERSION_MAJOR),
                 "libavcodec" LOADER_STRING(LIBAVCODEC_VERSION_MAJOR), NULL},
    [SWSCALE] = {"libswscale.so." LOADER_STRING(LIBSWSCALE_VERSION_MAJOR),
                 "libswscale" LOADER_STRING(LIBSWSCALE_VERSION_MAJOR), NULL},
    [AVUTIL] = {"libavutil.so." LOADER_STRING(LIBAVUTIL_VERSION_MAJOR),
                "libavutil" LOADER_STRING(LIBAVUTIL_VERSION_MAJOR), NULL},
};

/// A missing library is an installation problem the user can fix, not a crash: one line
/// naming the library and its package, exit status 2 like any other refused input.
static void fail(const Library *library, const char *what) {
    fprintf(stderr, "concord: cannot load FFmpeg's %s (%s): install Debian's %s "
                    "(`make demo` installs FFmpeg's libraries)\n",
            library->soname, what, library->package);
    exit(2);
}

static void open_library(int index) {
    Library *library = &libraries[index];
    library->handle = dlopen(library->soname, RTLD_LAZY | RTLD_LOCAL);
    if (library->handle == NULL) {
        const char *error = dlerror();
        fail(library, error != NULL ? error : "dlopen failed");
    }
}

// pthread_once takes no argument: one opener per library. Media decodes on the workbench's
// render-ahead thread too, so two threads may make the first call at once.
static void open_avformat(void) { open_library(AVFORMAT); }
static void open_avcodec(void) { open_library(AVCODEC); }
static void open_swscale(void) { open_library(SWSCALE); }
static void open_avutil(void) { open_library(AVUTIL); }

static pthread_once_t once[LIBRARY_COUNT] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT,
                                             PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};
static void (*const openers[LIBRARY_COUNT])(void) = {open_avformat, open_avcodec,
                                                     open_swscale, open_avutil};

/// The real function `name` from library `index`, loading the library on first use.
static void *resolve(int index, const char *name) {
    pthread_once(&once[index], openers[index]);
    void *function = dlsym(libraries[index].handle, name);
    if (function == NULL) {
        char what[160];
        snprintf(what, sizeof what, "it has no %s", name);
        fail(&libraries[index], what);
    }
    return function;
}

// The cached pointer: a race between two first calls stores the same value twice, so
// acquire/release atomics suffice (dlsym is idempotent).
#define REAL(lib, name)                                                                  \
    static _Atomic(__typeof__(&name)) cached = NULL;                                      \
    __typeof__(&name) real = atomic_load_explicit(&cached, memory_order_acquire);         \
    if (real == NULL) {                                                                    \
        real = (__typeof__(&name))resolve(lib, #name);                                     \
        atomic_store_explicit(&cached, real, memory_order_release);                        \
    }

/// A stub returning a value; `params` must match FFmpeg's declaration (the compiler checks).
#define FORWARD(lib, ret, name, params, args) \
    ret name params {                          \
        REAL(lib, name)                        \
        return real args;                      \
    }

/// A stub for a function returning void.
#define FORWARD_VOID(lib, name, params, args) \
    void name params {                         \
        REAL(lib, name)                        \
        real args;                             \
    }

// libavformat
FORWARD(AVFORMAT, unsigned, avformat_version, (void), ())
FORWARD(AVFORMAT, AVFormatContext *, avformat_alloc_context, (void), ())
FORWARD(AVFORMAT, int, avformat_open_input,
        (AVFormatContext **ps, const char *url, const AVInputFormat *fmt, AVDictionary **options),
        (ps, url, fmt, options))
FORWARD(AVFORMAT, int, avformat_find_stream_info, (AVFormatContext *ic, AVDictionary **options),
        (ic, options))
FORWARD_VOID(AVFORMAT, avformat_close_input, (AVFormatContext **s), (s))
FORWARD(AVFORMAT, int, av_find_best_stream,
        (AVFormatContext *ic, enum AVMediaType type, int wanted_stream_nb, int related_stream,
         const AVCodec **decoder_ret, int flags),
        (ic, type, wanted_stream_nb, related_stream, decoder_ret, flags))
FORWARD(AVFORMAT, int, av_read_frame, (AVFormatContext *s, AVPacket *pkt), (s, pkt))
FORWARD(AVFORMAT, int, av_seek_frame,
        (AVFormatContext *s, int stream_index, int64_t timestamp, int flags),
        (s, stream_index, timestamp, flags))
FORWARD(AVFORMAT, int, avformat_seek_file,
        (AVFormatContext *s, int stream_index, int64_t min_ts, int64_t ts, int64_t max_ts, int flags),
        (s, stream_index, min_ts, ts, max_ts, flags))
FORWARD(AVFORMAT, uint8_t *, av_stream_get_side_data,
        (const AVStream *stream, enum AVPacketSideDataType type, size_t *size),
        (stream, type, size))
FORWARD(AVFORMAT, int, avformat_index_get_entries_count, (const AVStream *st), (st))
FORWARD(AVFORMAT, const AVIndexEntry *, avformat_index_get_entry, (AVStream *st, int idx),
        (st, idx))
FORWARD(AVFORMAT, AVIOContext *, avio_alloc_context,
        (unsigned char *buffer, int buffer_size, int write_flag, void *opaque,
         int (*read_packet)(void *opaque, uint8_t *buf, int buf_size),
         int (*write_packet)(void *opaque, uint8_t *buf, int buf_size),
         int64_t (*seek)(void *opaque, int64_t offset, int whence)),
        (buffer, buffer_size, write_flag, opaque, read_packet, write_packet, seek))
FORWARD_VOID(AVFORMAT, avio_context_free, (AVIOContext **s), (s))

// libavcodec
FORWARD(AVCODEC, unsigned, avcodec_version, (void), ())
FORWARD(AVCODEC, const AVCodec *, avcodec_find_decoder, (enum AVCodecID id), (id))
FORWARD(AVCODEC, const AVCodecDescriptor *, avcodec_descriptor_get, (enum AVCodecID id), (id))
FORWARD(AVCODEC, const char *, avcodec_get_name, (enum AVCodecID id), (id))
FORWARD(AVCODEC, AVCodecContext *, avcodec_alloc_context3, (const AVCodec *codec), (codec))
FORWARD_VOID(AVCODEC, avcodec_free_context, (AVCodecContext **avctx), (avctx))
FORWARD(AVCODEC, int, avcodec_parameters_to_context,
        (AVCodecContext *codec, const AVCodecParameters *par), (codec, par))
FORWARD(AVCODEC, int, avcodec_open2,
        (AVCodecContext *avctx, const AVCodec *codec, AVDictionary **options),
        (avctx, codec, options))
FORWARD(AVCODEC, int, avcodec_send_packet, (AVCodecContext *avctx, const AVPacket *avpkt),
        (avctx, avpkt))
FORWARD(AVCODEC, int, avcodec_receive_frame, (AVCodecContext *avctx, AVFrame *frame),
        (avctx, frame))
FORWARD_VOID(AVCODEC, avcodec_flush_buffers, (AVCodecContext *avctx), (avctx))
FORWARD(AVCODEC, AVPacket *, av_packet_alloc, (void), ())
FORWARD_VOID(AVCODEC, av_packet_free, (AVPacket **pkt), (pkt))
FORWARD_VOID(AVCODEC, av_packet_unref, (AVPacket *pkt), (pkt))

// libswscale
FORWARD(SWSCALE, unsigned, swscale_version, (void), ())
FORWARD(SWSCALE, struct SwsContext *, sws_getCachedContext,
        (struct SwsContext *context, int srcW, int srcH, enum AVPixelFormat srcFormat,
         int dstW, int dstH, enum AVPixelFormat dstFormat, int flags, SwsFilter *srcFilter,
         SwsFilter *dstFilter, const double *param),
        (context, srcW, srcH, srcFormat, dstW, dstH, dstFormat, flags, srcFilter, dstFilter, param))
FORWARD_VOID(SWSCALE, sws_freeContext, (struct SwsContext *swsContext), (swsContext))
FORWARD(SWSCALE, int, sws_scale,
        (struct SwsContext *c, const uint8_t *const srcSlice[], const int srcStride[],
         int srcSliceY, int srcSliceH, uint8_t *const dst[], const int dstStride[]),
        (c, srcSlice, srcStride, srcSliceY, srcSliceH, dst, dstStride))
FORWARD(SWSCALE, const int *, sws_getCoefficients, (int colorspace), (colorspace))
FORWARD(SWSCALE, int, sws_getColorspaceDetails,
        (struct SwsContext *c, int **inv_table, int *srcRange, int **table, int *dstRange,
         int *brightness, int *contrast, int *saturation),
        (c, inv_table, srcRange, table, dstRange, brightness, contrast, saturation))
FORWARD(SWSCALE, int, sws_setColorspaceDetails,
        (struct SwsContext *c, const int inv_table[4], int srcRange, const int table[4],
         int dstRange, int brightness, int contrast, int saturation),
        (c, inv_table, srcRange, table, dstRange, brightness, contrast, saturation))

// libavutil
FORWARD(AVUTIL, unsigned, avutil_version, (void), ())
FORWARD_VOID(AVUTIL, av_log_set_level, (int level), (level))
FORWARD(AVUTIL, int, av_strerror, (int errnum, char *errbuf, size_t errbuf_size),
        (errnum, errbuf, errbuf_size))
FORWARD(AVUTIL, void *, av_malloc, (size_t size), (size))
FORWARD_VOID(AVUTIL, av_free, (void *ptr), (ptr))
FORWARD_VOID(AVUTIL, av_freep, (void *ptr), (ptr))
FORWARD(AVUTIL, AVFrame *, av_frame_alloc, (void), ())
FORWARD_VOID(AVUTIL, av_frame_free, (AVFrame **frame), (frame))
FORWARD(AVUTIL, const AVPixFmtDescriptor *, av_pix_fmt_desc_get, (enum AVPixelFormat pix_fmt),
        (pix_fmt))
FORWARD(AVUTIL, double, av_display_rotation_get, (const int32_t matrix[9]), (matrix))
FORWARD(AVUTIL, struct AVSHA *, av_sha_alloc, (void), ())
FORWARD(AVUTIL, int, av_sha_init, (struct AVSHA *context, int bits), (context, bits))
FORWARD_VOID(AVUTIL, av_sha_update, (struct AVSHA *ctx, const uint8_t *data, size_t len),
             (ctx, data, len))
FORWARD_VOID(AVUTIL, av_sha_final, (struct AVSHA *context, uint8_t *digest), (context, digest))
