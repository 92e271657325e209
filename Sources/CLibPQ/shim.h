// libpq, PostgreSQL's C client library, for PostgresClient.
// Debian installs the header under /usr/include/postgresql (pkg-config libpq adds that
// directory); the functions below stand in for the PG_DIAG_* character macros, which Swift
// does not import.
#ifndef CONCORD_CLIBPQ_SHIM_H
#define CONCORD_CLIBPQ_SHIM_H
#include <libpq-fe.h>

static inline int concord_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int concord_pg_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
static inline int concord_pg_diag_message_detail(void) { return PG_DIAG_MESSAGE_DETAIL; }
#endif
