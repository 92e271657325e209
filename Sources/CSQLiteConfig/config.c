#include "csqliteconfig.h"
#include <sqlite3.h>

int concord_sqlite_configure(void) {
    int threads = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    int memory = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return threads == SQLITE_OK && memory == SQLITE_OK;
}
