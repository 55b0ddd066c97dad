// worker.cpp — see worker.hpp.
#include "pg/worker.hpp"

#include <malloc.h>

#include <algorithm>
#include <map>
#include <new>

#include "pg/error_bridge.hpp"
#include "pg/read_path.hpp"
#include "pg/settings.hpp"
#include "pg/spi_session.hpp"
#include "pg/storage.hpp"
#include "pg/worker_registry.hpp"
#include "pg/write_signal.hpp"
#include "pg/xact_end.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_database.h"
#include "storage/lock.h"
#include "storage/lwlock.h"
#include "commands/extension.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/procarray.h"
#include "tcop/tcopprot.h"
#include "utils/snapmgr.h"

PGDLLEXPORT void ts_worker_main(Datum arg);
PGDLLEXPORT void ts_launcher_main(Datum arg);
}

namespace tspg {

namespace {

using worker_registry::Outcome;
using worker_registry::Want;

constexpr const char *kWorkerType = "temporal_store worker";
constexpr const char *kLauncherType = "temporal_store launcher";
// Lock tags of the advisory lock space under classes of their own: SQL's
// advisory lock functions use classes 1 and 2 only, so no role can take,
// hold or wait for these.
constexpr uint16 kWorkerLockClass = 0x7477;     // "tw": one worker per database
constexpr uint16 kWorkerPidLockClass = 0x7470;  // "tp": held by that worker, keyed by its pid
constexpr int kIdleSecondsBeforeExit = 10;      // workers started on demand only
// How often an idle worker still records a pass (an UPDATE, which every
// naptime would cost an idle database a transaction id and WAL forever)
// and looks for pending heads (a probe per branch) all the same; also how
// long a store whose snapshot failed is left alone (its head unchanged).
constexpr TimestampTz kIdlePeriod = 60 * USECS_PER_SEC;
// How often a worker, idle or between heads, checks whether a DROP,
// RENAME or CREATE DATABASE … TEMPLATE waits for it to leave.
constexpr long kLeaveCheckMs = 200;
// The launcher: how long it remembers that a database has no extension
// (CREATE EXTENSION there tells it at once), and its longest back-off
// after workers that failed.
constexpr TimestampTz kNoExtensionRecheck = 300 * USECS_PER_SEC;
constexpr TimestampTz kMaxBackoff = 300 * USECS_PER_SEC;
// The launcher has at most kLaunchBurst workers starting (not yet serving
// their database) at a time, and looks again kBurstPause later.
constexpr int kLaunchBurst = 4;
constexpr TimestampTz kBurstPause = 200 * 1000;
// bgw_extra[0] of a worker the launcher started: it keeps running when
// idle, as the launcher would start another at once.
constexpr char kLaunchedByLauncher = 1;

// What the worker remembers between passes.
struct PassState {
    // What it last wrote into worker_status.
    bool recorded = false;
    int64_t recorded_pending = 0;
    TimestampTz recorded_at = 0;
    // At its last look for pending heads: the database's count of
    // committed writes (write_signal.hpp), how many heads it could work on
    // (pending, less those of stores that failed), and when.
    std::optional<uint64_t> seen_writes;
    int64_t last_pending = -1;
    TimestampTz looked_at = 0;
    // Its latch was set since the last pass: a commit woke it (see
    // wake_worker_at_commit; that commit may not have counted itself in
    // write_signal yet when the latch was set) or a signal came.
    bool woken = false;
    // Stores whose snapshot failed, by id: the head it failed at and when.
    // Skipped until their head moves or kIdlePeriod has passed.
    std::map<int64_t, std::pair<int64_t, TimestampTz>> failed;
};

void fill_worker(BackgroundWorker &w, const char *name, const char *function, Datum arg) {
    memset(&w, 0, sizeof w);
    w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    w.bgw_start_time = BgWorkerStart_RecoveryFinished;
    w.bgw_restart_time = BGW_NEVER_RESTART;
    snprintf(w.bgw_library_name, BGW_MAXLEN, "temporal_store");
    snprintf(w.bgw_function_name, BGW_MAXLEN, "%s", function);
    snprintf(w.bgw_name, BGW_MAXLEN, "%s", name);
    snprintf(w.bgw_type, BGW_MAXLEN, "%s", name);
    w.bgw_main_arg = arg;
}

// The lock every backend connected to a database conflicts with when it
// is dropped, renamed or copied: the one PostgreSQL takes on the database
// object (DROP and RENAME: AccessExclusiveLock; CREATE DATABASE … TEMPLATE:
// ShareLock on the template). A worker holds it in RowExclusiveLock, the
// mode a connecting backend takes, for its whole life, so those commands
// queue behind it and the worker sees them waiting.
void database_tag(LOCKTAG &tag, Oid db) { SET_LOCKTAG_OBJECT(tag, InvalidOid, DatabaseRelationId, db, 0); }
void worker_tag(LOCKTAG &tag, Oid db) { SET_LOCKTAG_ADVISORY(tag, db, 0, 0, kWorkerLockClass); }
void worker_pid_tag(LOCKTAG &tag, Oid db, int pid) { SET_LOCKTAG_ADVISORY(tag, db, (uint32)pid, 0, kWorkerPidLockClass); }

// Whether the worker `pid` of db holds its pid lock: a probe that never
// waits and takes nothing when it fails.
bool holds_pid_lock(Oid db, int pid) {
    LOCKTAG tag;
    worker_pid_tag(tag, db, pid);
    if (LockAcquire(&tag, ShareLock, true, true) == LOCKACQUIRE_NOT_AVAIL) return true;
    (void)LockRelease(&tag, ShareLock, true);
    return false;
}

// Without the registry: the background worker of type kWorkerType
// connected to db (the process array and the postmaster's worker slots,
// which no SQL can change) that holds its pid lock, or 0.
int scan_for_worker(Oid db) {
    return pg_guard([db] {
        constexpr int kMax = 64;
        int pids[kMax];
        int n = 0;
        LWLockAcquire(ProcArrayLock, LW_SHARED);
        for (uint32 i = 0; i < ProcGlobal->allProcCount && n < kMax; i++) {
            PGPROC *p = &ProcGlobal->allProcs[i];
            if (p->pid != 0 && p->pid != MyProcPid && p->isBackgroundWorker && p->databaseId == db)
                pids[n++] = p->pid;
        }
        LWLockRelease(ProcArrayLock);
        for (int i = 0; i < n; i++) {
            const char *type = GetBackgroundWorkerTypeByPid(pids[i]);
            if (type && strcmp(type, kWorkerType) == 0 && holds_pid_lock(db, pids[i])) return pids[i];
        }
        return 0;
    });
}

// The pid of db's worker, or 0.
int find_worker(Oid db) {
    bool complete = false;
    int pid = worker_registry::worker_pid(db, &complete);
    if (pid != 0 || complete) return pid;
    return scan_for_worker(db);
}

// Starts a worker for database `db` from this backend; returns its pid,
// -1 (registered, not waited for) or 0.
int launch(Oid db, bool wait) {
    return pg_guard([&] {
        BackgroundWorker w;
        fill_worker(w, kWorkerType, "ts_worker_main", ObjectIdGetDatum(db));
        w.bgw_notify_pid = MyProcPid;
        BackgroundWorkerHandle *handle = nullptr;
        if (!RegisterDynamicBackgroundWorker(&w, &handle)) return 0;
        if (!wait) return -1;
        pid_t pid = 0;
        if (WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED) return 0;
        return (int)pid;
    });
}

// Whether a pass must look for pending heads (a probe per branch). Not
// when nothing was pending at the last look and no transaction has
// committed a version or an event since; but time alone can make a head
// pending (snapshot_max_age, a changed setting, snapshots deleted by
// hand), so it looks at least every minute and every max age, and
// whenever it was woken.
bool must_look(const PassState &st, std::optional<uint64_t> writes, TimestampTz now) {
    TimestampTz every = std::min<TimestampTz>(kIdlePeriod,
                                              (TimestampTz)std::max(1, settings.snapshot_max_age) * USECS_PER_SEC);
    return st.woken || !writes || writes != st.seen_writes || st.last_pending != 0 || now - st.looked_at >= every;
}

// Whether a command waits for this worker to leave its database.
bool asked_to_leave() {
    return pg_guard([] {
        LOCKTAG tag;
        database_tag(tag, MyDatabaseId);
        return LockHasWaiters(&tag, RowExclusiveLock, true);
    });
}

// Takes (or keeps) the session lock on the database object; false when a
// DROP/RENAME/copy of the database holds it or waits for it. Held for the
// worker's life, but a transaction's abort releases it with the
// transaction's locks, and the worker then takes it again.
bool hold_database_lock() {
    return pg_guard([] {
        LOCKTAG tag;
        database_tag(tag, MyDatabaseId);
        if (LockHeldByMe(&tag, RowExclusiveLock)) return true;
        return LockAcquire(&tag, RowExclusiveLock, true, true) != LOCKACQUIRE_NOT_AVAIL;
    });
}

void release_database_lock(int, Datum) {
    LOCKTAG tag;
    database_tag(tag, MyDatabaseId);
    if (LockHeldByMe(&tag, RowExclusiveLock)) (void)LockRelease(&tag, RowExclusiveLock, true);
}

void begin_transaction() {
    pg_guard([] {
        SetCurrentStatementStartTimestamp();
        StartTransactionCommand();
        PushActiveSnapshot(GetTransactionSnapshot());
    });
}

void commit_transaction() {
    pg_guard([] {
        PopActiveSnapshot();
        CommitTransactionCommand();
    });
}

std::vector<storage::PendingHead> look_for_pending(Session &s) {
    return storage::pending_heads(s, settings.snapshot_interval, (int64_t)settings.snapshot_max_bytes * 1024,
                                  settings.snapshot_max_age);
}

struct PassResult {
    bool no_extension = false;  // the extension is gone: the worker exits
    bool left = false;          // asked to leave the database
    int64_t built = 0;
};

// One pass: snapshots for every branch head past a threshold, each head
// in its own transaction (a long pass holds back no xmin horizon, and a
// store whose snapshot fails, e.g. a corrupt payload, is reported with a
// WARNING naming it and skipped). The pass is recorded when it built
// snapshots or changed the pending count, and otherwise once every
// kIdlePeriod.
PassResult worker_pass(PassState &st) {
    PassResult res;
    // Read before the look: what commits meanwhile brings the next.
    std::optional<uint64_t> writes;
    if (write_signal::available()) writes = write_signal::committed_writes();
    TimestampTz now = GetCurrentTimestamp();
    begin_transaction();
    if (!pg_guard([] { return OidIsValid(get_extension_oid("temporal_store", true)); })) {
        commit_transaction();
        res.no_extension = true;
        return res;
    }
    pg_guard([] { pgstat_report_activity(STATE_RUNNING, "temporal_store: building snapshots"); });
    bool looked = must_look(st, writes, now);
    std::vector<storage::PendingHead> heads;
    if (looked) {
        Session s(false);
        heads = look_for_pending(s);
        s.finish();
    }
    commit_transaction();

    int64_t skipped = 0;
    for (const storage::PendingHead &h : heads) {
        if (asked_to_leave()) {
            res.left = true;
            return res;
        }
        check_interrupts();
        auto f = st.failed.find(h.store_id);
        if (f != st.failed.end() && f->second.first == h.head && now - f->second.second < kIdlePeriod) {
            skipped++;
            continue;
        }
        std::string prefix = "temporal_store worker skipped store \"" + h.store_name + "\"";
        begin_transaction();
        int64_t n = 0;
        bool ok = ts_try([&] {
            Session s(false);
            n = snapshot_chain(s, h.store_id, h.head, settings.snapshot_interval);
            s.finish();
        });
        if (ok) {
            commit_transaction();
            res.built += n;
            st.failed.erase(h.store_id);
        } else {
            const char *p = prefix.c_str();
            pg_guard([p] {
                report_captured(WARNING, p);
                AbortCurrentTransaction();
            });
            st.failed[h.store_id] = {h.head, now};
            skipped++;
            // The abort released the session lock on the database too.
            if (!hold_database_lock()) {
                res.left = true;
                return res;
            }
        }
    }

    // Having built nothing, the heads still pending are those found (none
    // unless it looked: it skips the look only when none were).
    int64_t pending = (int64_t)heads.size();
    if (res.built > 0 || !st.recorded || pending != st.recorded_pending || now - st.recorded_at >= kIdlePeriod) {
        begin_transaction();
        Session s(false);
        if (res.built > 0) pending = (int64_t)look_for_pending(s).size();
        storage::worker_status_pass(s, res.built, pending);
        s.finish();
        commit_transaction();
        st.recorded = true;
        st.recorded_pending = pending;
        st.recorded_at = now;
    }
    if (looked) {
        st.seen_writes = writes;
        st.last_pending = std::max<int64_t>(0, pending - skipped);
        st.looked_at = now;
    }
    // A pass that replayed long chains freed its trees, but glibc keeps
    // the pages: hand them back so the worker's memory stays flat however
    // long it runs.
    if (res.built > 0) malloc_trim(0);
    pg_guard([] {
        pgstat_report_stat(true);
        pgstat_report_activity(STATE_IDLE, nullptr);
    });
    return res;
}

// Takes the worker's locks on its database; Outcome::Running when it may
// serve it.
Outcome take_worker_locks(Oid db) {
    if (!hold_database_lock()) return Outcome::Left;
    pg_guard([] { before_shmem_exit(release_database_lock, (Datum)0); });
    return pg_guard([db] {
        LOCKTAG tag;
        worker_tag(tag, db);
        if (LockAcquire(&tag, ExclusiveLock, true, true) == LOCKACQUIRE_NOT_AVAIL) return Outcome::Duplicate;
        worker_pid_tag(tag, db, MyProcPid);
        (void)LockAcquire(&tag, ExclusiveLock, true, true);
        return Outcome::Running;
    });
}

// Sleeps until the naptime has passed or the latch is set (st.woken);
// true if asked to leave the database meanwhile.
bool nap(PassState &st) {
    TimestampTz end = GetCurrentTimestamp() + (TimestampTz)settings.worker_naptime * USECS_PER_SEC;
    st.woken = false;
    for (;;) {
        if (asked_to_leave()) return true;
        long left_ms = (long)((end - GetCurrentTimestamp()) / 1000);
        if (left_ms <= 0) return false;
        int rc = pg_guard([&] {
            int r = WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                              std::min(left_ms, kLeaveCheckMs), PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
            return r;
        });
        check_interrupts();
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            pg_guard([] { ProcessConfigFile(PGC_SIGHUP); });
            end = std::min(end, GetCurrentTimestamp() + (TimestampTz)settings.worker_naptime * USECS_PER_SEC);
        }
        if (rc & WL_LATCH_SET) {
            st.woken = true;
            return asked_to_leave();
        }
    }
}

// The worker's life in its database; returns why it ends.
Outcome worker_run(Oid db) {
    disable_state_caches();
    Outcome o = take_worker_locks(db);
    if (o != Outcome::Running) {
        worker_registry::note_exit(db, o);
        return o;
    }
    (void)worker_registry::register_self(db);
    begin_transaction();
    bool have_extension = pg_guard([] { return OidIsValid(get_extension_oid("temporal_store", true)); });
    if (have_extension) {
        Session s(false);
        storage::worker_status_started(s, MyProcPid);
        s.finish();
    }
    commit_transaction();
    if (!have_extension) return Outcome::NoExtension;
    worker_registry::set_serving();

    bool launched = MyBgworkerEntry->bgw_extra[0] == kLaunchedByLauncher;
    bool healthy = false;
    int idle = 0;
    PassState st;
    for (;;) {
        if (settings.fault_injection == kFaultWorkerBadAlloc) throw std::bad_alloc();
        PassResult r = worker_pass(st);
        if (r.no_extension) return Outcome::NoExtension;
        if (r.left) return Outcome::Left;
        if (!healthy) {
            worker_registry::set_healthy();
            healthy = true;
        }
        idle = r.built > 0 ? 0 : idle + 1;
        // Ten seconds idle, and six passes at least.
        if (!launched && idle >= std::max(6, kIdleSecondsBeforeExit / std::max(1, settings.worker_naptime)))
            return Outcome::Idle;
        if (nap(st)) return Outcome::Left;
    }
}

// Databases a worker may serve.
std::vector<Oid> database_list() {
    Oid *oids = nullptr;
    int n = 0;
    pg_guard([&] {
        StartTransactionCommand();
        (void)GetTransactionSnapshot();
        Relation rel = table_open(DatabaseRelationId, AccessShareLock);
        int cap = 16;
        oids = (Oid *)palloc(cap * sizeof(Oid));
        TableScanDesc scan = table_beginscan_catalog(rel, 0, nullptr);
        HeapTuple tup;
        while (HeapTupleIsValid(tup = heap_getnext(scan, ForwardScanDirection))) {
            Form_pg_database d = (Form_pg_database)GETSTRUCT(tup);
            if (!d->datallowconn || d->datistemplate) continue;
            if (n == cap) oids = (Oid *)repalloc(oids, (cap *= 2) * sizeof(Oid));
            oids[n++] = d->oid;
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
    });
    std::vector<Oid> out(oids, oids + n);
    pg_guard([] { CommitTransactionCommand(); });
    return out;
}

// What the launcher knows of a database.
struct DbState {
    Oid db = InvalidOid;
    BackgroundWorkerHandle *handle = nullptr;  // its worker, until seen stopped
    int failures = 0;                          // workers in a row that failed
    TimestampTz next_try = 0;                  // no worker before then
    bool no_extension = false;                 // its last worker found none
};

TimestampTz launcher_interval() { return (TimestampTz)settings.launcher_interval * USECS_PER_SEC; }

// After failures in a row: the interval, doubled for each, at most five minutes.
TimestampTz backoff(int failures) {
    TimestampTz d = launcher_interval();
    for (int i = 1; i < failures && d < kMaxBackoff; i++) d *= 2;
    return std::min(d, kMaxBackoff);
}

// The launcher learns how the database's worker ended.
void worker_ended(DbState &st, worker_registry::Exit x, TimestampTz now) {
    switch (x.outcome) {
        case Outcome::NoExtension:
            st.failures = 0;
            st.no_extension = true;
            st.next_try = now + kNoExtensionRecheck;
            break;
        case Outcome::Duplicate:  // another serves it: it shows in the registry
        case Outcome::Left:       // a DROP/RENAME/copy: the next look decides
            st.failures = 0;
            st.next_try = now + launcher_interval();
            break;
        case Outcome::Idle:
            st.next_try = now;
            break;
        case Outcome::None:
        case Outcome::Running:
        case Outcome::Failed:
            st.failures = x.healthy ? 1 : st.failures + 1;
            st.next_try = now + backoff(st.failures);
            break;
    }
}

// Starts a worker for st.db that the launcher tracks; false when no slot
// was free.
bool launch_tracked(DbState &st) {
    Oid db = st.db;
    BackgroundWorkerHandle *handle = pg_guard([db] {
        BackgroundWorker w;
        fill_worker(w, kWorkerType, "ts_worker_main", ObjectIdGetDatum(db));
        w.bgw_notify_pid = MyProcPid;
        w.bgw_extra[0] = kLaunchedByLauncher;
        BackgroundWorkerHandle *h = nullptr;
        MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
        bool ok = RegisterDynamicBackgroundWorker(&w, &h);
        MemoryContextSwitchTo(old);
        return ok ? h : nullptr;
    });
    st.handle = handle;
    return handle != nullptr;
}

void launcher_run() {
    worker_registry::set_launcher();
    std::vector<DbState> dbs;
    for (;;) {
        if (settings.fault_injection == kFaultLauncherBadAlloc) throw std::bad_alloc();
        TimestampTz now = GetCurrentTimestamp();
        std::vector<worker_registry::Request> requests = worker_registry::take_requests();
        std::vector<Oid> list = database_list();
        // Forget dropped databases (a worker still there leaves by itself).
        dbs.erase(std::remove_if(dbs.begin(), dbs.end(),
                                 [&](DbState &st) {
                                     if (std::find(list.begin(), list.end(), st.db) != list.end()) return false;
                                     if (st.handle) pfree(st.handle);
                                     return true;
                                 }),
                  dbs.end());
        // Workers that ended; those still starting (not yet serving their
        // database: at first sight of many databases, most of them find no
        // extension there and exit at once).
        int starting = 0;
        for (DbState &st : dbs) {
            if (!st.handle) continue;
            pid_t pid = 0;
            BackgroundWorkerHandle *h = st.handle;
            BgwHandleStatus status = pg_guard([&] { return GetBackgroundWorkerPid(h, &pid); });
            if (status == BGWH_STOPPED) {
                pfree(st.handle);
                st.handle = nullptr;
                worker_ended(st, worker_registry::take_outcome(st.db), now);
            } else if (!worker_registry::worker_serving(st.db)) {
                starting++;
            }
        }
        TimestampTz wake = now + launcher_interval();
        for (Oid db : list) {
            auto it = std::find_if(dbs.begin(), dbs.end(), [db](const DbState &st) { return st.db == db; });
            if (it == dbs.end()) {
                dbs.push_back(DbState{});
                dbs.back().db = db;
                it = dbs.end() - 1;
            }
            DbState &st = *it;
            if (st.handle) continue;
            Want want = Want::None;
            for (const worker_registry::Request &r : requests)
                if (r.db == db) want = r.want;
            bool complete;
            if (worker_registry::worker_pid(db, &complete) != 0) continue;
            if (want == Want::Explicit || (want == Want::Hint && st.no_extension)) {
                st.next_try = now;
                st.no_extension = false;
            }
            if (now >= st.next_try) {
                // A few at a time, so that parallel query keeps its slots.
                if (starting >= kLaunchBurst) {
                    wake = std::min(wake, now + kBurstPause);
                    continue;
                }
                if (launch_tracked(st))
                    starting++;
                else
                    st.next_try = now + launcher_interval();
            }
            if (!st.handle) wake = std::min(wake, std::max(st.next_try, now));
        }
        long timeout_ms = std::max<long>(10, (long)((wake - now) / 1000));
        pg_guard([&] {
            (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, timeout_ms, PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
        });
        check_interrupts();
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            pg_guard([] { ProcessConfigFile(PGC_SIGHUP); });
        }
    }
}

TimestampTz last_worker_check = 0;
// This database's worker as the last check saw it (0: none known), and
// whether the current transaction asked it to run a pass once committed.
int known_worker_pid = 0;
bool wake_at_commit = false;

void wake_on_commit(XactEvent event, void *) {
    if (event == XACT_EVENT_COMMIT && wake_at_commit && known_worker_pid > 0) {
        // A pid reused by another process only gets a spurious wakeup.
        if (PGPROC *proc = BackendPidGetProc(known_worker_pid)) SetLatch(&proc->procLatch);
    }
    if (ends_transaction(event))
        wake_at_commit = false;
}

}  // namespace

void register_worker_launcher() {
    BackgroundWorker w;
    fill_worker(w, kLauncherType, "ts_launcher_main", (Datum)0);
    w.bgw_restart_time = 10;
    RegisterBackgroundWorker(&w);
}

int start_worker_for_current_database(bool wait) {
    if (RecoveryInProgress())
        ts_error(ERRCODE_READ_ONLY_SQL_TRANSACTION, "cannot start the snapshot worker on a standby");
    Oid db = MyDatabaseId;
    if (int alive = find_worker(db)) return alive;
    // Preloaded, the launcher starts and tracks every worker; otherwise (or
    // with no launcher running) this backend starts one.
    int pid = -1;
    if (!worker_registry::want(db, wait ? Want::Explicit : Want::Hint)) {
        pid = launch(db, wait);
        if (pid <= 0) return wait ? pid : 0;
    }
    if (!wait) return 0;
    // The new worker registers once connected; another one may have won
    // the race. Report whichever serves the database.
    for (int i = 0; i < 1000; i++) {
        if (int alive = find_worker(db)) return alive;
        pg_guard([] {
            (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 10L, PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
        });
        check_interrupts();
    }
    return std::max(pid, 0);
}

void ensure_worker_running() {
    TimestampTz now = GetCurrentTimestamp();
    if (last_worker_check != 0 &&
        !TimestampDifferenceExceeds(last_worker_check, now, settings.worker_naptime * 1000))
        return;
    last_worker_check = now;
    known_worker_pid = start_worker_for_current_database(false);
}

void wake_worker_at_commit() {
    static bool registered = false;
    if (!registered) {
        pg_guard([] { RegisterXactCallback(wake_on_commit, nullptr); });
        registered = true;
    }
    wake_at_commit = true;
}

}  // namespace tspg

using namespace tspg;

// Entry points: everything C++ runs inside ts_boundary, so an exception
// (std::bad_alloc included) is reported as an ERROR once every C++ frame
// has unwound and the process exits with status 1; it never reaches
// std::terminate, whose abort would make the postmaster restart every
// session of the cluster.
void ts_worker_main(Datum arg) {
    Oid db = DatumGetObjectId(arg);
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();
    BackgroundWorkerInitializeConnectionByOid(db, InvalidOid, 0);
    pgstat_report_appname(kWorkerType);
    // The database's own search_path (ALTER DATABASE … SET) must never
    // resolve anything this process runs (every statement also pins and
    // qualifies its own).
    SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_OVERRIDE);
    Outcome why = Outcome::Failed;
    (void)ts_boundary([&] {
        why = worker_run(db);
        return (Datum)0;
    });
    worker_registry::set_outcome(why);
    proc_exit(0);
}

void ts_launcher_main(Datum) {
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();
    BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
    (void)ts_boundary([] {
        launcher_run();
        return (Datum)0;
    });
    proc_exit(0);
}
