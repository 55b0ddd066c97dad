// worker.cpp — see worker.hpp.
#include "pg/worker.hpp"

#include <malloc.h>

#include "pg/error_bridge.hpp"
#include "pg/read_path.hpp"
#include "pg/settings.hpp"
#include "pg/spi_session.hpp"
#include "pg/storage.hpp"
#include "pg/write_signal.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_database.h"
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

constexpr int64_t kWorkerLockKey = 0x74735f776f726bLL;  // "ts_work"
constexpr int kIdleSecondsBeforeExit = 10;              // dynamic workers only
constexpr long kLauncherRescanMinMs = 10 * 1000L;
// How often an idle worker still records a pass (an UPDATE, which every
// naptime would cost an idle database a transaction id and WAL forever)
// and looks for pending heads (a probe per branch) all the same.
constexpr TimestampTz kIdlePeriod = 60 * USECS_PER_SEC;

// What the worker remembers between passes.
struct PassState {
    // What it last wrote into worker_status.
    bool recorded = false;
    int64_t recorded_pending = 0;
    TimestampTz recorded_at = 0;
    // At its last look for pending heads: the database's count of
    // committed writes (write_signal.hpp), what it found, and when.
    std::optional<uint64_t> seen_writes;
    int64_t last_pending = -1;
    TimestampTz looked_at = 0;
    // Its latch was set since the last pass: a commit woke it (see
    // wake_worker_at_commit; that commit may not have counted itself in
    // write_signal yet when the latch was set) or a signal came.
    bool woken = false;
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

// Starts a dynamic worker for database `db`; returns its pid or 0.
int launch(Oid db, bool wait) {
    BackgroundWorker w;
    fill_worker(w, "temporal_store worker", "ts_worker_main", ObjectIdGetDatum(db));
    w.bgw_notify_pid = MyProcPid;
    BackgroundWorkerHandle *handle = nullptr;
    if (!RegisterDynamicBackgroundWorker(&w, &handle)) return 0;
    if (!wait) return -1;
    pid_t pid = 0;
    if (WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED) return 0;
    return (int)pid;
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

// One pass: snapshots for every branch head past a threshold. Returns
// false when the extension has been dropped (the worker then exits).
// The pass is recorded when it built snapshots or changed the pending
// count, and otherwise once every kIdlePeriod.
bool worker_pass(int64_t &built_total, PassState &st) {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    PushActiveSnapshot(GetTransactionSnapshot());
    if (!OidIsValid(get_extension_oid("temporal_store", true))) {
        PopActiveSnapshot();
        CommitTransactionCommand();
        return false;
    }
    pgstat_report_activity(STATE_RUNNING, "temporal_store: building snapshots");
    ts_boundary([&] {
        Session s(false);
        // Read before the look: what commits meanwhile brings the next.
        std::optional<uint64_t> writes;
        if (write_signal::available()) writes = write_signal::committed_writes();
        TimestampTz now = GetCurrentTimestamp();
        int64_t built = 0, pending = 0;
        if (must_look(st, writes, now)) {
            auto look = [&] {
                return storage::pending_heads(s, settings.snapshot_interval,
                                              (int64_t)settings.snapshot_max_bytes * 1024, settings.snapshot_max_age);
            };
            std::vector<storage::PendingHead> heads = look();
            for (const storage::PendingHead &h : heads) {
                check_interrupts();
                built += snapshot_chain(s, h.store_id, h.head, settings.snapshot_interval);
            }
            // Having built nothing, the heads still pending are those found.
            pending = built == 0 ? (int64_t)heads.size() : (int64_t)look().size();
            st.seen_writes = writes;
            st.last_pending = pending;
            st.looked_at = now;
        }
        if (!st.recorded || built > 0 || pending != st.recorded_pending ||
            now - st.recorded_at >= kIdlePeriod) {
            storage::worker_status_pass(s, built, pending);
            st.recorded = true;
            st.recorded_pending = pending;
            st.recorded_at = now;
        }
        s.finish();
        built_total = built;
        return (Datum)0;
    });
    PopActiveSnapshot();
    CommitTransactionCommand();
    // A pass that replayed long chains freed its trees, but glibc keeps
    // the pages: hand them back so the worker's memory stays flat however
    // long it runs.
    if (built_total > 0) malloc_trim(0);
    pgstat_report_stat(true);
    pgstat_report_activity(STATE_IDLE, nullptr);
    return true;
}

// Takes the per-database lock and records the worker; false if the
// extension is missing or another worker holds the lock.
bool worker_begin() {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    PushActiveSnapshot(GetTransactionSnapshot());
    bool ok = OidIsValid(get_extension_oid("temporal_store", true)) &&
              DatumGetBool(DirectFunctionCall1(pg_try_advisory_lock_int8, Int64GetDatum(kWorkerLockKey)));
    if (ok) {
        ts_boundary([&] {
            Session s(false);
            storage::worker_status_started(s, MyProcPid);
            s.finish();
            return (Datum)0;
        });
    }
    PopActiveSnapshot();
    CommitTransactionCommand();
    return ok;
}

std::vector<Oid> database_list() {
    std::vector<Oid> out;
    StartTransactionCommand();
    (void)GetTransactionSnapshot();
    Relation rel = table_open(DatabaseRelationId, AccessShareLock);
    TableScanDesc scan = table_beginscan_catalog(rel, 0, nullptr);
    HeapTuple tup;
    while (HeapTupleIsValid(tup = heap_getnext(scan, ForwardScanDirection))) {
        Form_pg_database db = (Form_pg_database)GETSTRUCT(tup);
        if (db->datallowconn && !db->datistemplate) out.push_back(db->oid);
    }
    table_endscan(scan);
    table_close(rel, AccessShareLock);
    CommitTransactionCommand();
    return out;
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
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
        event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
        wake_at_commit = false;
}

}  // namespace

void register_worker_launcher() {
    BackgroundWorker w;
    fill_worker(w, "temporal_store launcher", "ts_launcher_main", (Datum)0);
    w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    w.bgw_restart_time = 10;
    RegisterBackgroundWorker(&w);
}

// The pid holding this database's worker lock, or 0.
int live_worker(Session &s) {
    Rows r = s.run("SELECT pid FROM pg_catalog.pg_locks WHERE locktype OPERATOR(pg_catalog.=) 'advisory' AND granted "
                   "AND database OPERATOR(pg_catalog.=) (SELECT oid FROM pg_catalog.pg_database WHERE datname OPERATOR(pg_catalog.=) pg_catalog.current_database()) "
                   "AND classid OPERATOR(pg_catalog.=) $1::bigint::pg_catalog.oid AND objid OPERATOR(pg_catalog.=) $2::bigint::pg_catalog.oid AND objsubid OPERATOR(pg_catalog.=) 1 LIMIT 1",
                   {param::i64(kWorkerLockKey >> 32), param::i64(kWorkerLockKey & 0xFFFFFFFFLL)});
    return r.empty() ? 0 : r.i32(0, 0);
}

int start_worker_for_current_database(bool wait) {
    if (RecoveryInProgress())
        ts_error(ERRCODE_READ_ONLY_SQL_TRANSACTION, "cannot start the snapshot worker on a standby");
    {
        Session s(true);
        int alive = live_worker(s);
        s.finish();
        if (alive) return alive;
    }
    int pid = pg_guard([&] { return launch(MyDatabaseId, wait); });
    if (!wait || pid <= 0) return pid;
    // The new worker takes the lock once connected; another one may have
    // won the race. Report whichever holds it.
    for (int i = 0; i < 500; i++) {
        Session s(true);
        int alive = live_worker(s);
        s.finish();
        if (alive) return alive;
        pg_guard([] {
            (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 10L, PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
            CHECK_FOR_INTERRUPTS();
        });
    }
    return pid;
}

void ensure_worker_running() {
    TimestampTz now = GetCurrentTimestamp();
    if (last_worker_check != 0 &&
        !TimestampDifferenceExceeds(last_worker_check, now, settings.worker_naptime * 1000))
        return;
    last_worker_check = now;
    known_worker_pid = std::max(0, start_worker_for_current_database(false));
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

void ts_worker_main(Datum arg) {
    Oid db = DatumGetObjectId(arg);
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();
    BackgroundWorkerInitializeConnectionByOid(db, InvalidOid, 0);
    pgstat_report_appname("temporal_store worker");
    disable_state_caches();
    if (!worker_begin()) proc_exit(0);
    bool dynamic = MyBgworkerEntry->bgw_restart_time == BGW_NEVER_RESTART;
    int idle = 0;
    PassState state;
    for (;;) {
        int64_t built = 0;
        if (!worker_pass(built, state)) break;
        idle = built > 0 ? 0 : idle + 1;
        // Ten seconds idle, and six passes at least.
        if (dynamic && idle >= std::max(6, kIdleSecondsBeforeExit / std::max(1, settings.worker_naptime))) break;
        int rc = WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                           (long)settings.worker_naptime * 1000L, PG_WAIT_EXTENSION);
        state.woken = (rc & WL_LATCH_SET) != 0;
        ResetLatch(MyLatch);
        CHECK_FOR_INTERRUPTS();
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            ProcessConfigFile(PGC_SIGHUP);
        }
    }
    proc_exit(0);
}

void ts_launcher_main(Datum) {
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();
    BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
    for (;;) {
        // Workers exit at once where the extension is missing or a worker
        // already runs, so launching for every database is cheap.
        for (Oid db : database_list()) {
            BackgroundWorker w;
            fill_worker(w, "temporal_store worker", "ts_worker_main", ObjectIdGetDatum(db));
            w.bgw_restart_time = 60;  // not dynamic-idle: keeps running
            w.bgw_notify_pid = 0;
            BackgroundWorkerHandle *h;
            (void)RegisterDynamicBackgroundWorker(&w, &h);
        }
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                        std::max(kLauncherRescanMinMs, (long)settings.worker_naptime * 6000L), PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
        CHECK_FOR_INTERRUPTS();
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            ProcessConfigFile(PGC_SIGHUP);
        }
    }
}
