// Restores the terminal when the process dies of a crash signal.
//
// The workbench restores the terminal on q, Ctrl-C, SIGINT/TERM/HUP and thrown errors; a
// crash (a Swift runtime trap is SIGILL or SIGTRAP, a bad pointer SIGSEGV/SIGBUS, abort()
// SIGABRT) would otherwise leave an SSH user's terminal in raw mode with no echo. Only C can
// do this safely: the handler may only call async-signal-safe functions (write, tcsetattr,
// signal, raise) on state saved before curses started.
#ifndef CONCORD_TERMINAL_GUARD_H
#define CONCORD_TERMINAL_GUARD_H

/// Saves the settings of terminal `fd` and arms the crash handlers; 0 on success, −1 when
/// `fd` is not a terminal.
int concord_guard_arm(int fd);

/// The terminal was restored normally: crash handlers then do nothing but re-raise.
void concord_guard_disarm(void);

#endif
