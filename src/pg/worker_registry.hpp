// worker_registry.hpp — which snapshot worker serves which database, kept
// in shared memory when the library is preloaded (shared_preload_libraries).
//
// One entry per database that has a live worker, a pending request for
// one, or the outcome of its last worker that the launcher has not read
// yet. The worker fills in its pid once it holds its database's worker
// lock and clears it when it exits, with the reason it exited; writing
// backends and ts_worker_start() read the pid here instead of asking the
// lock manager, and ask the launcher for a worker by setting a request
// and its latch. No SQL can read or change any of it.
//
// Without preloading there is no shared memory (PostgreSQL 15 grants it
// only at startup): available() is false and callers find the worker
// from the process array (worker.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "pg/pg_headers.hpp"

namespace tspg {
namespace worker_registry {

// Why a worker exited, as recorded for the launcher.
enum class Outcome : uint8_t {
    None = 0,     // nothing recorded (no entry, or read already)
    Running,      // still running, or died without saying why (SIGKILL)
    Failed,       // an error, FATAL or pg_terminate_backend
    NoExtension,  // the database has no temporal_store extension
    Duplicate,    // another worker serves the database
    Left,         // it left for DROP/RENAME/CREATE DATABASE … TEMPLATE
    Idle,         // a worker started on demand exited when idle
};

// How a backend asks for a worker: a hint (a write, CREATE EXTENSION) is
// served unless the launcher is backing off after failures; an explicit
// request (ts_worker_start) is served at once.
enum class Want : uint8_t { None = 0, Hint = 1, Explicit = 2 };

// From _PG_init while preloading.
void request_shared_memory();
bool available();

// The launcher announces itself; cleared when it exits.
void set_launcher();
int launcher_pid();

// A worker, once it holds its database's lock: records its pid (and that
// the launcher started it). Returns false when the table is full; the
// worker then runs unregistered and finders fall back to the process
// array. On exit the entry gets `outcome` (Failed unless set_outcome was
// called) via a before_shmem_exit callback.
bool register_self(Oid db);
void set_outcome(Outcome o);
// A worker that exits before registering (another holds the database, or
// it was asked to leave at once) leaves its outcome for the launcher.
void note_exit(Oid db, Outcome o);
void set_serving();  // the extension is there: it serves the database
void set_healthy();  // after a first good pass

// The registered worker of db, or 0. `complete` is false when some worker
// could not register (full table): a 0 then proves nothing.
int worker_pid(Oid db, bool *complete);

// Whether db's registered worker has found the extension there.
bool worker_serving(Oid db);

// Asks the launcher for a worker in db and sets its latch. False if the
// table is full or no launcher runs.
bool want(Oid db, Want w);

// The launcher's side.
struct Request {
    Oid db;
    Want want;
};
std::vector<Request> take_requests();
struct Exit {
    Outcome outcome;
    bool healthy;  // it had completed a pass
};
Exit take_outcome(Oid db);

}  // namespace worker_registry
}  // namespace tspg
