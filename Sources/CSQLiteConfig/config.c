#include "csqliteconfig.h"
#include <sqlite3.h>

int concord_sqlite_configure(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}
