#include "terminal_guard.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static int saved_fd = -1;
static volatile sig_atomic_t armed = 0;

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
#define CRASH_SIGNALS (sizeof crash_signals / sizeof crash_signals[0])
/// What was installed before us (the Swift runtime's backtracer, or the default).
static struct sigaction previous[CRASH_SIGNALS];

static void on_crash(int sig) {
    if (armed) {
        armed = 0;
        // Default colours, cursor shown, main screen back, then the saved modes.
        static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
        ssize_t ignored = write(saved_fd, reset, sizeof reset - 1);
        (void)ignored;
        tcsetattr(saved_fd, TCSANOW, &saved);
    }
    // Hand the crash on to whoever had it before (the Swift runtime prints its backtrace,
    // now on a sane terminal). Its handler returns when the signal was sent rather than
    // faulted (kill -SEGV), so then die of the same signal ourselves: the exit status (and
    // any core dump) is the crash's.
    for (size_t i = 0; i < CRASH_SIGNALS; i++) {
        if (crash_signals[i] == sig) { sigaction(sig, &previous[i], NULL); raise(sig); break; }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

int concord_guard_arm(int fd) {
    if (tcgetattr(fd, &saved) != 0) return -1;
    saved_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_crash;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_NODEFER;
    for (size_t i = 0; i < CRASH_SIGNALS; i++) {
        sigaction(crash_signals[i], &action, &previous[i]);
    }
    armed = 1;
    return 0;
}

void concord_guard_disarm(void) { armed = 0; }
