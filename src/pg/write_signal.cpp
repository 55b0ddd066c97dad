// write_signal.cpp — see write_signal.hpp.
#include "pg/write_signal.hpp"

#include "pg/pg_headers.hpp"
#include "pg/xact_end.hpp"

extern "C" {
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
}

namespace tspg {
namespace write_signal {

namespace {

// Databases share slots by their oid; a shared slot only makes a worker
// look when it need not.
constexpr int kSlots = 128;

struct Shared {
    pg_atomic_uint64 count[kSlots];
};

Shared *shared = nullptr;
bool wrote = false;  // this transaction wrote a version or an event

shmem_request_hook_type prev_request = nullptr;
shmem_startup_hook_type prev_startup = nullptr;

void request() {
    if (prev_request) prev_request();
    RequestAddinShmemSpace(sizeof(Shared));
}

void startup() {
    if (prev_startup) prev_startup();
    LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
    bool found;
    shared = (Shared *)ShmemInitStruct("temporal_store write signal", sizeof(Shared), &found);
    if (!found)
        for (pg_atomic_uint64 &c : shared->count) pg_atomic_init_u64(&c, 0);
    LWLockRelease(AddinShmemInitLock);
}

pg_atomic_uint64 &slot() { return shared->count[MyDatabaseId % kSlots]; }

// XACT_EVENT_COMMIT comes after the transaction became visible and
// before its locks are released. A prepared transaction is not counted
// when it commits later: the worker's periodic look finds its heads.
void on_xact(XactEvent event, void *) {
    if (event == XACT_EVENT_COMMIT && wrote && shared) pg_atomic_fetch_add_u64(&slot(), 1);
    if (ends_transaction(event))
        wrote = false;
}

}  // namespace

void request_shared_memory() {
    prev_request = shmem_request_hook;
    shmem_request_hook = request;
    prev_startup = shmem_startup_hook;
    shmem_startup_hook = startup;
}

void register_xact_callback() { RegisterXactCallback(on_xact, nullptr); }

void note_write() { wrote = true; }

bool available() { return shared != nullptr; }

uint64_t committed_writes() {
    // The full barrier of the read orders it before the look's snapshot.
    return pg_atomic_fetch_add_u64(&slot(), 0);
}

}  // namespace write_signal
}  // namespace tspg
