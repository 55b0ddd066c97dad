// worker.hpp — the snapshot worker.
//
// One worker per database builds snapshots off the commit path. It starts
// (a) from a launcher registered when the library is in
// shared_preload_libraries, which starts and tracks one for every database
// with the extension (ts_worker_start() and writes ask it for one), or
// (b) without preloading, from ts_worker_start() and from the first write
// in a backend when no worker is alive. A session lock no SQL can reach
// keeps it to one per database; a worker started by (b) exits after a
// while idle; a worker leaves its database at once when DROP, RENAME or
// CREATE DATABASE … TEMPLATE waits for it; nothing starts on a standby.
#pragma once

#include "pg/pg_headers.hpp"

namespace tspg {

// From _PG_init while shared_preload_libraries is being processed.
void register_worker_launcher();

// Starts a worker for the current database unless one is alive; returns
// its pid (0 if it could not be started). Never on a standby.
int start_worker_for_current_database(bool wait);

// Called by the write path: starts a worker if none was seen recently.
void ensure_worker_running();

// Called by the write path: once this transaction commits, the worker runs
// a pass now rather than after its naptime (for chains of large states,
// whose snapshots should not wait).
void wake_worker_at_commit();

}  // namespace tspg
