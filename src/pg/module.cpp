// module.cpp — the library's entry: magic block and _PG_init.
#include "pg/change_feed.hpp"
#include "pg/change_notify.hpp"
#include "pg/pg_headers.hpp"
#include "pg/error_bridge.hpp"
#include "pg/settings.hpp"
#include "pg/storage.hpp"
#include "pg/table_access.hpp"
#include "pg/worker.hpp"
#include "pg/worker_registry.hpp"
#include "pg/write_signal.hpp"

extern "C" {
PG_MODULE_MAGIC;
void _PG_init(void);
}

void _PG_init(void) {
    tspg::install_core_hooks();
    tspg::define_settings();
    tspg::storage::register_xact_callbacks();
    tspg::tables::register_invalidation();
    tspg::write_signal::register_xact_callback();
    tspg::change_notify::register_xact_callback();
    tspg::change_feed::register_xact_callbacks();
    // Preloaded: a launcher starts a snapshot worker in every database
    // with the extension and tracks them in shared memory, and the workers
    // learn from shared memory when anything was written.
    if (process_shared_preload_libraries_in_progress) {
        tspg::register_worker_launcher();
        tspg::write_signal::request_shared_memory();
        tspg::worker_registry::request_shared_memory();
    }
}
