// worker_registry.cpp — see worker_registry.hpp.
#include "pg/worker_registry.hpp"
#include "pg/xact_end.hpp"

extern "C" {
#include "catalog/objectaccess.h"
#include "catalog/pg_extension.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/procarray.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "postmaster/bgworker.h"
}

namespace tspg {
namespace worker_registry {

namespace {

struct Entry {
    Oid db;  // InvalidOid: free
    int pid;
    Want want;
    Outcome outcome;
    bool serving;  // found the extension and took up its work
    bool healthy;  // completed a pass
};

struct Shared {
    slock_t mutex;
    int launcher_pid;
    bool incomplete;  // a worker found the table full
    int size;
    Entry entries[FLEXIBLE_ARRAY_MEMBER];
};

Shared *shared = nullptr;
shmem_request_hook_type prev_request = nullptr;
shmem_startup_hook_type prev_startup = nullptr;
object_access_hook_type prev_object_access = nullptr;

// This process's entry (a worker), and whether this transaction created
// an extension.
Oid my_db = InvalidOid;
Outcome my_outcome = Outcome::Running;
bool created_extension = false;

// Entries: live workers (at most max_worker_processes) plus requests and
// outcomes the launcher has yet to read.
int table_size() { return 2 * max_worker_processes + 16; }

Size shmem_size() { return add_size(offsetof(Shared, entries), mul_size(table_size(), sizeof(Entry))); }

void request() {
    if (prev_request) prev_request();
    RequestAddinShmemSpace(shmem_size());
}

void startup() {
    if (prev_startup) prev_startup();
    LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
    bool found;
    shared = (Shared *)ShmemInitStruct("temporal_store worker registry", shmem_size(), &found);
    if (!found) {
        SpinLockInit(&shared->mutex);
        shared->launcher_pid = 0;
        shared->incomplete = false;
        shared->size = table_size();
        for (int i = 0; i < shared->size; i++) shared->entries[i] = Entry{InvalidOid, 0, Want::None, Outcome::None, false, false};
    }
    LWLockRelease(AddinShmemInitLock);
}

// Under the mutex: the entry of db, or nullptr.
Entry *find(Oid db) {
    for (int i = 0; i < shared->size; i++)
        if (shared->entries[i].db == db) return &shared->entries[i];
    return nullptr;
}

// Under the mutex: the entry of db, claiming a free one (or one that only
// holds an outcome nobody waits for) if there is none; nullptr when full.
Entry *find_or_claim(Oid db) {
    if (Entry *e = find(db)) return e;
    Entry *stale = nullptr;
    for (int i = 0; i < shared->size; i++) {
        Entry &e = shared->entries[i];
        if (e.db == InvalidOid) {
            e = Entry{db, 0, Want::None, Outcome::None, false, false};
            return &e;
        }
        if (!stale && e.pid == 0 && e.want == Want::None) stale = &e;
    }
    if (stale) *stale = Entry{db, 0, Want::None, Outcome::None, false, false};
    return stale;
}

// Under the mutex: frees an entry nobody needs any more.
void maybe_free(Entry *e) {
    if (e->pid == 0 && e->want == Want::None && e->outcome == Outcome::None) e->db = InvalidOid;
}

void on_exit(int, Datum) {
    if (!shared || my_db == InvalidOid) return;
    SpinLockAcquire(&shared->mutex);
    Entry *e = find(my_db);
    if (e && e->pid == MyProcPid) {
        e->pid = 0;
        e->serving = false;
        e->outcome = my_outcome == Outcome::Running ? Outcome::Failed : my_outcome;
    }
    SpinLockRelease(&shared->mutex);
    my_db = InvalidOid;
}

void on_launcher_exit(int, Datum) {
    SpinLockAcquire(&shared->mutex);
    if (shared->launcher_pid == MyProcPid) shared->launcher_pid = 0;
    SpinLockRelease(&shared->mutex);
}

void wake_launcher() {
    int pid = launcher_pid();
    if (pid == 0) return;
    // A pid reused by another process only gets a spurious wakeup.
    if (PGPROC *proc = BackendPidGetProc(pid)) SetLatch(&proc->procLatch);
}

// CREATE EXTENSION: once committed, the launcher starts a worker in this
// database at once instead of waiting for its next look (it remembers
// databases without the extension for a while).
void object_access(ObjectAccessType access, Oid class_id, Oid object_id, int sub_id, void *arg) {
    if (prev_object_access) prev_object_access(access, class_id, object_id, sub_id, arg);
    if (access == OAT_POST_CREATE && class_id == ExtensionRelationId) created_extension = true;
}

void on_xact(XactEvent event, void *) {
    if (event == XACT_EVENT_COMMIT && created_extension) (void)want(MyDatabaseId, Want::Hint);
    if (ends_transaction(event))
        created_extension = false;
}

}  // namespace

void request_shared_memory() {
    prev_request = shmem_request_hook;
    shmem_request_hook = request;
    prev_startup = shmem_startup_hook;
    shmem_startup_hook = startup;
    prev_object_access = object_access_hook;
    object_access_hook = object_access;
    RegisterXactCallback(on_xact, nullptr);
}

bool available() { return shared != nullptr; }

void set_launcher() {
    if (!shared) return;
    SpinLockAcquire(&shared->mutex);
    shared->launcher_pid = MyProcPid;
    SpinLockRelease(&shared->mutex);
    before_shmem_exit(on_launcher_exit, (Datum)0);
}

int launcher_pid() {
    if (!shared) return 0;
    SpinLockAcquire(&shared->mutex);
    int pid = shared->launcher_pid;
    SpinLockRelease(&shared->mutex);
    return pid;
}

bool register_self(Oid db) {
    if (!shared) return false;
    SpinLockAcquire(&shared->mutex);
    Entry *e = find_or_claim(db);
    if (e) {
        e->pid = MyProcPid;
        e->outcome = Outcome::Running;
        e->serving = false;
        e->healthy = false;
    } else {
        shared->incomplete = true;
    }
    SpinLockRelease(&shared->mutex);
    if (!e) return false;
    my_db = db;
    my_outcome = Outcome::Running;
    before_shmem_exit(on_exit, (Datum)0);
    return true;
}

void set_outcome(Outcome o) { my_outcome = o; }

void note_exit(Oid db, Outcome o) {
    if (!shared) return;
    SpinLockAcquire(&shared->mutex);
    Entry *e = find_or_claim(db);
    if (e && e->pid == 0) e->outcome = o;
    SpinLockRelease(&shared->mutex);
}

void set_serving() {
    if (!shared || my_db == InvalidOid) return;
    SpinLockAcquire(&shared->mutex);
    Entry *e = find(my_db);
    if (e && e->pid == MyProcPid) e->serving = true;
    SpinLockRelease(&shared->mutex);
}

void set_healthy() {
    if (!shared || my_db == InvalidOid) return;
    SpinLockAcquire(&shared->mutex);
    Entry *e = find(my_db);
    if (e && e->pid == MyProcPid) e->healthy = true;
    SpinLockRelease(&shared->mutex);
}

int worker_pid(Oid db, bool *complete) {
    if (!shared) {
        *complete = false;
        return 0;
    }
    SpinLockAcquire(&shared->mutex);
    Entry *e = find(db);
    int pid = e ? e->pid : 0;
    *complete = !shared->incomplete;
    SpinLockRelease(&shared->mutex);
    return pid;
}

bool worker_serving(Oid db) {
    if (!shared) return false;
    SpinLockAcquire(&shared->mutex);
    Entry *e = find(db);
    bool serving = e && e->pid != 0 && e->serving;
    SpinLockRelease(&shared->mutex);
    return serving;
}

bool want(Oid db, Want w) {
    if (!shared) return false;
    SpinLockAcquire(&shared->mutex);
    Entry *e = shared->launcher_pid != 0 ? find_or_claim(db) : nullptr;
    if (e && e->want < w) e->want = w;
    SpinLockRelease(&shared->mutex);
    if (e) wake_launcher();
    return e != nullptr;
}

std::vector<Request> take_requests() {
    // Copied out under the spinlock into a fixed buffer (nothing that can
    // fail or take long may run under it), then into the vector.
    std::vector<Request> out;
    if (!shared) return out;
    out.reserve(shared->size);
    SpinLockAcquire(&shared->mutex);
    for (int i = 0; i < shared->size; i++) {
        Entry &e = shared->entries[i];
        if (e.db == InvalidOid || e.want == Want::None) continue;
        out.push_back(Request{e.db, e.want});  // within the reserved capacity: no allocation
        e.want = Want::None;
        maybe_free(&e);
    }
    SpinLockRelease(&shared->mutex);
    return out;
}

Exit take_outcome(Oid db) {
    Exit x{Outcome::None, false};
    if (!shared) return x;
    SpinLockAcquire(&shared->mutex);
    if (Entry *e = find(db); e && e->pid == 0) {
        x = Exit{e->outcome, e->healthy};
        e->outcome = Outcome::None;
        e->healthy = false;
        maybe_free(e);
    }
    SpinLockRelease(&shared->mutex);
    return x;
}

}  // namespace worker_registry
}  // namespace tspg
