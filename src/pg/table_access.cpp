// table_access.cpp — see table_access.hpp.
#include "pg/table_access.hpp"

#include <array>

#include "pg/error_bridge.hpp"

extern "C" {
#include "access/genam.h"
#include "access/heapam.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/index.h"
#include "catalog/pg_am.h"
#include "commands/defrem.h"
#include "commands/sequence.h"
#include "executor/tuptable.h"
#include "nodes/execnodes.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

namespace tspg {
namespace tables {

namespace {

// In the order of Rel.
constexpr const char *kNames[] = {
    "stores",      "stores_pkey", "stores_live_name", "versions",       "versions_pkey", "events",
    "events_pkey", "branches",    "branches_live_name", "snapshots",    "snapshots_pkey", "change_seq",
    "version_paths", "version_runs",
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == (size_t)Rel::Count_, "one name per relation");

std::array<Oid, (size_t)Rel::Count_> oids{};
// Tables whose direct inserts were found possible (check_direct_insert).
std::array<bool, (size_t)Rel::Count_> insert_checked{};

// Column numbers asked for so far: (table, column name) -> attnum. The
// names are string literals, so their addresses identify them.
struct AttEntry {
    Rel table;
    const char *column;
    AttrNumber attnum;
};
std::vector<AttEntry> attnums;
std::array<int, (size_t)Rel::Count_> natts{};

void forget(Datum, Oid relid) {
    if (relid != InvalidOid) {
        bool ours = false;
        for (Oid o : oids) ours |= (o == relid);
        if (!ours) return;
    }
    oids.fill(InvalidOid);
    insert_checked.fill(false);
    natts.fill(0);
    attnums.clear();
}

}  // namespace

void register_invalidation() { CacheRegisterRelcacheCallback(forget, (Datum)0); }

Oid oid(Rel r) {
    Oid &o = oids[(size_t)r];
    if (o == InvalidOid) {
        o = pg_guard([&] {
            Oid nsp = get_namespace_oid("ts_internal", false);
            Oid rel = get_relname_relid(kNames[(size_t)r], nsp);
            if (!OidIsValid(rel))
                ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                                errmsg("relation \"ts_internal.%s\" does not exist", kNames[(size_t)r]),
                                errhint("Reinstall the extension: DROP EXTENSION temporal_store; CREATE EXTENSION temporal_store.")));
            return rel;
        });
    }
    return o;
}

int column_count(Rel table) {
    int &n = natts[(size_t)table];
    if (n == 0) {
        Oid rel = oid(table);
        n = pg_guard([&] {
            Relation r = table_open(rel, AccessShareLock);
            int count = RelationGetDescr(r)->natts;
            table_close(r, NoLock);
            return count;
        });
    }
    return n;
}

AttrNumber attnum(Rel table, const char *column) {
    for (const AttEntry &e : attnums)
        if (e.table == table && e.column == column) return e.attnum;
    Oid rel = oid(table);
    AttrNumber a = pg_guard([&] {
        AttrNumber n = get_attnum(rel, column);
        if (n == InvalidAttrNumber)
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                            errmsg("column \"%s\" of ts_internal.%s does not exist", column, kNames[(size_t)table])));
        return n;
    });
    attnums.push_back(AttEntry{table, column, a});
    return a;
}

namespace {
// The comparison function of a btree strategy: {<, <=, =, >=, >}.
RegProcedure pick(StrategyNumber op, const RegProcedure (&procs)[5]) {
    if (op < BTLessStrategyNumber || op > BTGreaterStrategyNumber) throw std::logic_error("bad strategy");
    return procs[op - 1];
}
}  // namespace

Key i64_key(AttrNumber col, StrategyNumber op, int64_t v) {
    static const RegProcedure procs[5] = {F_INT8LT, F_INT8LE, F_INT8EQ, F_INT8GE, F_INT8GT};
    return Key{col, op, pick(op, procs), Int64GetDatum(v)};
}

Key i32_key(AttrNumber col, StrategyNumber op, int32_t v) {
    static const RegProcedure procs[5] = {F_INT4LT, F_INT4LE, F_INT4EQ, F_INT4GE, F_INT4GT};
    return Key{col, op, pick(op, procs), Int32GetDatum(v)};
}

Key text_eq_key(AttrNumber col, Datum text) { return Key{col, BTEqualStrategyNumber, F_TEXTEQ, text}; }

IndexScan::IndexScan(Rel table, Rel index, std::initializer_list<Key> keys, Visibility vis, ScanDirection dir)
    : dir_(dir) {
    Oid heap_oid = oid(table);
    Oid index_oid = oid(index);
    ScanKeyData sk[8];
    int n = (int)keys.size();
    if (n > 8) throw std::logic_error("too many scan keys");
    pg_guard([&] {
        if (vis != Visibility::Active) {
            // As SPI does for a volatile function's statement.
            CommandCounterIncrement();
            PushCopiedSnapshot(vis == Visibility::Fresh ? GetTransactionSnapshot() : GetLatestSnapshot());
            UpdateActiveSnapshotCommandId();
            pushed_snapshot_ = true;
        }
        Snapshot snap = GetActiveSnapshot();
        heap_ = table_open(heap_oid, AccessShareLock);
        index_ = index_open(index_oid, AccessShareLock);
        int i = 0;
        for (const Key &k : keys) {
            Oid coll = k.proc == F_TEXTEQ ? index_->rd_indcollation[k.col - 1] : InvalidOid;
            ScanKeyEntryInitialize(&sk[i++], 0, k.col, k.op, InvalidOid, coll, k.proc, k.value);
        }
        scan_ = index_beginscan(heap_, index_, snap, n, 0);
        index_rescan(scan_, sk, n, nullptr, 0);
        slot_ = table_slot_create(heap_, nullptr);
    });
    broken_ = false;
}

void IndexScan::close() {
    // After a failed call the transaction's abort releases what is left.
    if (broken_ || closed_) return;
    closed_ = true;
    pg_guard([&] {
        ExecDropSingleTupleTableSlot(slot_);
        index_endscan(scan_);
        index_close(index_, NoLock);
        table_close(heap_, NoLock);
        if (pushed_snapshot_) PopActiveSnapshot();
    });
}

bool IndexScan::next() {
    broken_ = true;
    bool found = pg_guard([&] { return index_getnext_slot(scan_, dir_, slot_); });
    broken_ = false;
    return found;
}

Datum IndexScan::get(AttrNumber att, bool *isnull) { return slot_getattr(slot_, att, isnull); }

bool IndexScan::is_null(AttrNumber att) {
    bool isnull;
    get(att, &isnull);
    return isnull;
}

int64_t IndexScan::i64(AttrNumber att) {
    bool isnull;
    return DatumGetInt64(get(att, &isnull));
}

std::optional<int64_t> IndexScan::opt_i64(AttrNumber att) {
    bool isnull;
    Datum d = get(att, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetInt64(d);
}

int32_t IndexScan::i32(AttrNumber att) {
    bool isnull;
    return DatumGetInt32(get(att, &isnull));
}

Oid IndexScan::object_id(AttrNumber att) {
    bool isnull;
    return DatumGetObjectId(get(att, &isnull));
}

TimestampTz IndexScan::timestamptz(AttrNumber att) {
    bool isnull;
    return DatumGetTimestampTz(get(att, &isnull));
}

std::string IndexScan::bytes(AttrNumber att) {
    bool isnull;
    Datum d = get(att, &isnull);
    if (isnull) return std::string();
    struct varlena *v = pg_guard([&] { return PG_DETOAST_DATUM_PACKED(d); });
    std::string out(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
    if ((Pointer)v != DatumGetPointer(d)) pfree(v);
    return out;
}

std::optional<std::string> IndexScan::opt_bytes(AttrNumber att) {
    if (is_null(att)) return std::nullopt;
    return bytes(att);
}

namespace {

// what: "trigger \"x\"", "row-level security enabled", ...
[[noreturn]] void refuse_direct_insert(Relation heap, const char *what) {
    ereport(ERROR,
            (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
             errmsg("temporal_store cannot write to ts_internal.%s: it has %s", RelationGetRelationName(heap), what),
             errdetail("Commits insert into this table directly through the heap, without the executor, and could "
                       "not maintain it."),
             errhint("Remove it: the extension's tables take no user-defined triggers, constraints or indexes of that kind, and no row-level security.")));
}

// What the direct insert below cannot maintain, refused before anything is
// written (a DBA may have added it): another table access method, triggers
// (foreign keys and row-level security included), CHECK constraints.
// Indexes are checked one by one below.
void check_direct_insert(Relation heap) {
    if (heap->rd_rel->relam != HEAP_TABLE_AM_OID)
        refuse_direct_insert(heap, psprintf("access method \"%s\"", get_am_name(heap->rd_rel->relam)));
    if (heap->trigdesc != nullptr && heap->trigdesc->numtriggers > 0)
        refuse_direct_insert(heap, psprintf("trigger \"%s\"", heap->trigdesc->triggers[0].tgname));
    TupleConstr *constr = RelationGetDescr(heap)->constr;
    if (constr != nullptr && constr->num_check > 0)
        refuse_direct_insert(heap, psprintf("check constraint \"%s\"", constr->check[0].ccname));
    if (heap->rd_rel->relrowsecurity) refuse_direct_insert(heap, "row-level security enabled");
    List *index_oids = RelationGetIndexList(heap);
    ListCell *lc;
    foreach (lc, index_oids) {
        Relation idx = index_open(lfirst_oid(lc), AccessShareLock);
        IndexInfo *info = BuildIndexInfo(idx);
        // Only plain column indexes: expressions, predicates and
        // exclusion constraints would need an executor state.
        if (info->ii_Expressions != NIL || info->ii_Predicate != NIL || info->ii_ExclusionOps != nullptr)
            refuse_direct_insert(heap, psprintf("index \"%s\"", RelationGetRelationName(idx)));
        index_close(idx, AccessShareLock);
    }
    list_free(index_oids);
}

}  // namespace

void insert_row(Rel table, const Datum *values, const bool *nulls) {
    Oid heap_oid = oid(table);
    pg_guard([&] {
        // What one insert allocates (the tuple, each index's IndexInfo) is
        // freed when it is done: a batch of commits in one statement would
        // otherwise keep it all until the statement ends.
        static MemoryContext per_row = nullptr;
        if (per_row == nullptr)
            per_row = AllocSetContextCreate(TopMemoryContext, "temporal_store direct insert", ALLOCSET_SMALL_SIZES);
        MemoryContextReset(per_row);
        MemoryContext outer = MemoryContextSwitchTo(per_row);
        Relation heap = table_open(heap_oid, RowExclusiveLock);
        // Checked once until the table's relcache entry is invalidated
        // (CREATE INDEX, CREATE TRIGGER, ALTER TABLE all do that).
        if (!insert_checked[(size_t)table]) {
            check_direct_insert(heap);
            insert_checked[(size_t)table] = true;
        }
        HeapTuple tup = heap_form_tuple(RelationGetDescr(heap), const_cast<Datum *>(values),
                                        const_cast<bool *>(nulls));
        simple_heap_insert(heap, tup);
        TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(heap), &TTSOpsHeapTuple);
        ExecStoreHeapTuple(tup, slot, false);
        List *indexes = RelationGetIndexList(heap);
        ListCell *lc;
        foreach (lc, indexes) {
            Relation idx = index_open(lfirst_oid(lc), RowExclusiveLock);
            IndexInfo *info = BuildIndexInfo(idx);
            if (info->ii_ReadyForInserts) {
                Datum ivalues[INDEX_MAX_KEYS];
                bool inulls[INDEX_MAX_KEYS];
                FormIndexDatum(info, slot, nullptr, ivalues, inulls);
                index_insert(idx, ivalues, inulls, &tup->t_self, heap,
                             idx->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO, false, info);
            }
            index_close(idx, NoLock);
        }
        list_free(indexes);
        ExecDropSingleTupleTableSlot(slot);
        heap_freetuple(tup);
        table_close(heap, NoLock);
        MemoryContextSwitchTo(outer);
        MemoryContextReset(per_row);
    });
}

int64_t next_value(Rel sequence) {
    Oid seq = oid(sequence);
    return pg_guard([&] { return nextval_internal(seq, false); });
}

}  // namespace tables
}  // namespace tspg
