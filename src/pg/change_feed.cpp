// change_feed.cpp — see change_feed.hpp.
#include "pg/change_feed.hpp"

#include <algorithm>

#include "pg/error_bridge.hpp"
#include "pg/table_access.hpp"
#include "pg/xact_end.hpp"

extern "C" {
#include "access/xlog.h"
#include "catalog/pg_sequence.h"
#include "storage/lock.h"
}

namespace tspg {
namespace change_feed {

namespace {

// Lock classes of the advisory space that no SQL function uses (they use
// 1 and 2); see also the store locks in storage.cpp.
constexpr uint16 kDrawingClass = 0x7464;     // "td": drawing ids
constexpr uint16 kRegisteredClass = 0x7469;  // "ti": a transaction's first id

// Whether this transaction has registered its first id, and in which
// subtransaction (its abort releases the lock).
bool registered = false;
SubTransactionId registered_in = InvalidSubTransactionId;

void drawing_tag(LOCKTAG &tag) { SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, 0, 0, kDrawingClass); }

void on_xact(XactEvent event, void *) {
    if (ends_transaction(event))
        registered = false;
}

void on_subxact(SubXactEvent event, SubTransactionId sub, SubTransactionId, void *) {
    if (event == SUBXACT_EVENT_ABORT_SUB && registered && registered_in >= sub) registered = false;
}

}  // namespace

void register_xact_callbacks() {
    RegisterXactCallback(on_xact, nullptr);
    RegisterSubXactCallback(on_subxact, nullptr);
}

int64_t draw_change_id() {
    if (registered) return tables::next_value(tables::Rel::ChangeSeq);
    int64_t id = 0;
    pg_guard([&] {
        LOCKTAG drawing;
        drawing_tag(drawing);
        (void)LockAcquire(&drawing, ShareLock, false, false);
    });
    id = tables::next_value(tables::Rel::ChangeSeq);
    pg_guard([&] {
        LOCKTAG mine;
        SET_LOCKTAG_ADVISORY(mine, MyDatabaseId, (uint32)((uint64)id >> 32), (uint32)id, kRegisteredClass);
        (void)LockAcquire(&mine, ExclusiveLock, false, false);
        LOCKTAG drawing;
        drawing_tag(drawing);
        LockRelease(&drawing, ShareLock, false);
    });
    registered = true;
    registered_in = pg_guard([] { return GetCurrentSubTransactionId(); });
    return id;
}

int64_t horizon() {
    if (pg_guard([] { return RecoveryInProgress(); }))
        ts_error(ERRCODE_FEATURE_NOT_SUPPORTED, "ts_changes cannot run on a standby",
                 "The primary's transactions in progress are not known here, so a change could be missed.",
                 "Follow the change feed on the primary.");
    if (pg_guard([] { return IsolationUsesXactSnapshot(); }))
        ts_error(ERRCODE_FEATURE_NOT_SUPPORTED,
                 "ts_changes cannot run in a REPEATABLE READ or SERIALIZABLE transaction",
                 "Its snapshot would be older than the horizon of the changes it hands out.",
                 "Poll in READ COMMITTED, the default.");
    Oid seq = tables::oid(tables::Rel::ChangeSeq);
    // Backends that cache ids hold some below the sequence's position
    // without having drawn them yet: the horizon would pass them.
    int64_t cache = pg_guard([&] {
        HeapTuple tup = SearchSysCache1(SEQRELID, ObjectIdGetDatum(seq));
        if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for sequence %u", seq);
        int64_t c = ((Form_pg_sequence)GETSTRUCT(tup))->seqcache;
        ReleaseSysCache(tup);
        return c;
    });
    if (cache != 1)
        ts_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "ts_changes needs ts_internal.change_seq to cache no ids",
                 "Its CACHE is " + std::to_string(cache) + ": backends would hold ids the feed could pass.",
                 "Run ALTER SEQUENCE ts_internal.change_seq CACHE 1.");
    int64_t position = pg_guard([&] {
        LOCKTAG drawing;
        drawing_tag(drawing);
        (void)LockAcquire(&drawing, ExclusiveLock, false, false);
        // The sequence's last value; NULL before its first nextval.
        LOCAL_FCINFO(call, 1);
        InitFunctionCallInfoData(*call, nullptr, 1, InvalidOid, nullptr, nullptr);
        call->args[0].value = ObjectIdGetDatum(seq);
        call->args[0].isnull = false;
        Datum last = pg_sequence_last_value(call);
        int64_t value = call->isnull ? 0 : DatumGetInt64(last);
        LockRelease(&drawing, ExclusiveLock, false);
        return value;
    });
    int64_t lowest = position + 1;
    pg_guard([&] {
        LockData *locks = GetLockStatusData();
        for (int i = 0; i < locks->nelements; i++) {
            const LockInstanceData &l = locks->locks[i];
            if (l.locktag.locktag_type != LOCKTAG_ADVISORY || l.locktag.locktag_field4 != kRegisteredClass ||
                l.locktag.locktag_field1 != MyDatabaseId || l.holdMask == 0)
                continue;
            int64_t id = (int64_t)(((uint64)l.locktag.locktag_field2 << 32) | l.locktag.locktag_field3);
            lowest = std::min(lowest, id);
        }
    });
    return lowest;
}

}  // namespace change_feed
}  // namespace tspg
