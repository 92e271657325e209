// The wide-character ncurses API (ncursesw) for the Workbench.
// _XOPEN_SOURCE_EXTENDED exposes cchar_t, add_wch and friends; the inline functions
// below stand in for macros Swift cannot import.
#ifndef CONCORD_CCURSES_SHIM_H
#define CONCORD_CCURSES_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

/// stdscr is a mutable C global; one accessor keeps Swift 6's concurrency checks satisfied.
static inline WINDOW *concord_stdscr(void) { return stdscr; }

static inline int concord_color_pair(short n) { return (int)COLOR_PAIR(n); }
static inline int concord_key_f(int n) { return KEY_F(n); }
static inline int concord_attr_bold(void) { return (int)A_BOLD; }
static inline int concord_attr_reverse(void) { return (int)A_REVERSE; }
static inline int concord_err(void) { return ERR; }
#endif
