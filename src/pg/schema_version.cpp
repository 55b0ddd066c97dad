// schema_version.cpp — see schema_version.hpp.
#include "pg/schema_version.hpp"

#include "pg/error_bridge.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
}

namespace tspg {

namespace {

bool current = false;

// The installed extension's version, read from pg_extension (it has no
// syscache); empty if not installed.
std::string installed_version() {
    // The text is copied out after the catalog scan: no C++ object lives
    // inside pg_guard.
    char *v = pg_guard([] {
        char *out = nullptr;
        Relation rel = table_open(ExtensionRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
                    CStringGetDatum("temporal_store"));
        SysScanDesc scan = systable_beginscan(rel, ExtensionNameIndexId, true, nullptr, 1, &key);
        HeapTuple tup = systable_getnext(scan);
        if (HeapTupleIsValid(tup)) {
            bool isnull;
            Datum d = heap_getattr(tup, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);
            if (!isnull) out = TextDatumGetCString(d);
        }
        systable_endscan(scan);
        table_close(rel, AccessShareLock);
        return out;
    });
    std::string out = v ? std::string(v) : std::string();
    if (v) pfree(v);
    return out;
}

}  // namespace

void require_current_schema() {
    if (current) return;
    std::string v = installed_version();
    if (v != kSchemaVersion)
        ts_error(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                 "extension \"temporal_store\" is at version " + (v.empty() ? std::string("(none)") : v) +
                     ", its library at " + kSchemaVersion,
                 "The library was updated but the extension's tables and functions in this database were not.",
                 "Run ALTER EXTENSION temporal_store UPDATE.");
    current = true;
}

}  // namespace tspg
