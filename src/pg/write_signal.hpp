// write_signal.hpp — a count, per database, of committed transactions that
// wrote a version or an event, kept in shared memory so the snapshot
// worker can tell whether anything was committed since it last looked for
// pending heads (a look costs a probe per branch). It exists only when the
// library is preloaded (shared_preload_libraries), which is also when
// workers run for good; otherwise available() is false and the worker
// looks on every pass.
#pragma once

#include <cstdint>

namespace tspg {
namespace write_signal {

// From _PG_init while preloading: reserves the shared memory.
void request_shared_memory();
// From _PG_init: counts this backend's committing writes.
void register_xact_callback();

// This transaction wrote a version or an event: its commit is counted.
void note_write();

bool available();
// The current database's count. A transaction is counted after it has
// become visible, so a look that starts after reading a count sees every
// transaction that count includes.
uint64_t committed_writes();

}  // namespace write_signal
}  // namespace tspg
