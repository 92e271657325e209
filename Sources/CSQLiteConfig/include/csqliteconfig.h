// SQLite's process-wide settings, which only C can make (sqlite3_config is variadic).
#ifndef CSQLITECONFIG_H
#define CSQLITECONFIG_H

/// Before the process opens its first SQLite connection: no memory statistics. Debian's
/// SQLite is built without its lookaside allocator, so with them each small allocation
/// takes the statistics' global mutex. Returns 1 when set, 0 when SQLite had already
/// started (sqlite3_config then refuses and nothing changes).
int concord_sqlite_configure(void);

#endif
