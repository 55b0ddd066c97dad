// table_access.hpp — direct index scans and inserts on the extension's
// tables, for the statements every commit and every read runs.
//
// An SPI statement costs an executor start-up, a portal and a result copy,
// which dwarfs an index probe; the hot paths of storage.cpp (store lookup,
// the write lock's counters, the chain window of a read, the version
// insert) use these primitives instead. Everything else stays SQL.
//
// Visibility follows SPI's (Visibility below). No ACL is checked here:
// callers have already checked the caller's privilege on the store.
#pragma once

#include "pg/pg_headers.hpp"

extern "C" {
#include "access/skey.h"
#include "access/stratnum.h"
#include "utils/snapshot.h"
}

namespace tspg {
namespace tables {

// Relations of ts_internal the hot paths use, by name.
enum class Rel {
    Stores,
    StoresPkey,
    StoresLiveName,
    Versions,
    VersionsPkey,
    Events,
    EventsPkey,
    Branches,
    BranchesLiveName,
    Snapshots,
    SnapshotsPkey,
    ChangeSeq,
    VersionPaths,  // the history index (storage_paths.cpp)
    VersionRuns,
    Count_
};

// The relation's OID, looked up once and forgotten on relcache
// invalidation (DROP/CREATE EXTENSION in the same backend).
Oid oid(Rel r);
// Number of attributes of a table (dropped ones included).
int column_count(Rel table);
// Attribute number of a column of a table, looked up by name the same way.
AttrNumber attnum(Rel table, const char *column);

// Registers the invalidation callback (from _PG_init).
void register_invalidation();

// One scan key on index column `col` (1-based). Text keys compare with the
// index column's collation (the scan looks it up).
struct Key {
    AttrNumber col;
    StrategyNumber op;
    RegProcedure proc;
    Datum value;
};
Key i64_key(AttrNumber col, StrategyNumber op, int64_t v);
Key i32_key(AttrNumber col, StrategyNumber op, int32_t v);
Key text_eq_key(AttrNumber col, Datum text);

// Which rows a scan sees.
enum class Visibility {
    Active,  // the active snapshot: a read-only (STABLE) function's SPI statement
    Fresh,   // this transaction's writes so far and a new transaction snapshot
             // (in READ COMMITTED, everything committed): a volatile function's
    Latest,  // everything committed now, whatever the isolation level, and
             // this transaction's writes: for the write lock's checks
};

// A scan of `table` through btree `index`, in either direction. Tuples are
// read in place; copy what outlives the next call to next(). Run one with
// with_scan(), which closes it when its body returns; a scan left by an
// exception or an error is released by the transaction's (or
// subtransaction's) abort. The destructor calls nothing that can fail: it
// releases nothing of PostgreSQL's.
class IndexScan {
public:
    IndexScan(Rel table, Rel index, std::initializer_list<Key> keys, Visibility vis,
              ScanDirection dir = ForwardScanDirection);
    ~IndexScan() = default;
    void close();  // ends the scan and closes its relations
    IndexScan(const IndexScan &) = delete;
    IndexScan &operator=(const IndexScan &) = delete;

    bool next();
    bool is_null(AttrNumber att);
    int64_t i64(AttrNumber att);
    int32_t i32(AttrNumber att);
    Oid object_id(AttrNumber att);
    TimestampTz timestamptz(AttrNumber att);
    std::string bytes(AttrNumber att);  // bytea/text contents, detoasted
    std::optional<std::string> opt_bytes(AttrNumber att);
    std::optional<int64_t> opt_i64(AttrNumber att);

private:
    Datum get(AttrNumber att, bool *isnull);
    Relation heap_ = nullptr;
    Relation index_ = nullptr;
    struct IndexScanDescData *scan_ = nullptr;
    TupleTableSlot *slot_ = nullptr;
    ScanDirection dir_;
    bool pushed_snapshot_ = false;
    bool broken_ = true;  // a PostgreSQL call failed midway: leave cleanup to abort
    bool closed_ = false;
};

// Runs body(scan) on a new scan and closes the scan after it returns.
template <class Body>
auto with_scan(Rel table, Rel index, std::initializer_list<Key> keys, Visibility vis, ScanDirection dir,
               Body &&body) -> decltype(body(std::declval<IndexScan &>())) {
    IndexScan sc(table, index, keys, vis, dir);
    if constexpr (std::is_void_v<decltype(body(sc))>) {
        body(sc);
        sc.close();
    } else {
        auto result = body(sc);
        sc.close();
        return result;
    }
}

// Inserts one row into `table` and its indexes (plain btree/BRIN ones
// only). values/nulls are in attribute order.
void insert_row(Rel table, const Datum *values, const bool *nulls);

// nextval of a sequence of ts_internal.
int64_t next_value(Rel sequence);

}  // namespace tables
}  // namespace tspg
