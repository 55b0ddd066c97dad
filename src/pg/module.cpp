// module.cpp — the library's entry: magic block and _PG_init.
#include "pg/pg_headers.hpp"
#include "pg/settings.hpp"
#include "pg/storage.hpp"
#include "pg/table_access.hpp"
#include "pg/worker.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

void _PG_init(void) {
    tspg::define_settings();
    tspg::storage::register_xact_callbacks();
    tspg::tables::register_invalidation();
    // Preloaded: a launcher starts a snapshot worker in every database.
    if (process_shared_preload_libraries_in_progress) tspg::register_worker_launcher();
}
