// import_source.cpp — see import_source.hpp.
#include "pg/import_source.hpp"

#include "pg/error_bridge.hpp"

extern "C" {
#include "access/relation.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
}

namespace tspg {

namespace {

struct Shape {
    char relkind;
    int columns;       // not dropped
    Oid type;          // the last column's type
    const char *name;  // the relation, schema-qualified and quoted
    const char *column;  // the last column, quoted
};

Shape shape_of(Oid relid) {
    Shape sh{};
    pg_guard([&] {
        Relation rel = relation_open(relid, AccessShareLock);
        sh.relkind = rel->rd_rel->relkind;
        TupleDesc td = RelationGetDescr(rel);
        for (int i = 0; i < td->natts; i++) {
            Form_pg_attribute a = TupleDescAttr(td, i);
            if (a->attisdropped) continue;
            sh.columns++;
            sh.type = a->atttypid;
            sh.column = quote_identifier(pstrdup(NameStr(a->attname)));
        }
        sh.name = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                             RelationGetRelationName(rel));
        relation_close(rel, NoLock);
    });
    return sh;
}

// Runs the query as the current (calling) user and copies every row into
// `store`, detoasted, freeing each page. PostgreSQL calls only.
void fill(Tuplestorestate *store, const char *query) {
    MemoryContext row = AllocSetContextCreate(CurrentMemoryContext, "temporal_store import row", ALLOCSET_DEFAULT_SIZES);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    SPIPlanPtr plan = SPI_prepare(query, 0, nullptr);
    if (plan == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    Portal portal = SPI_cursor_open(nullptr, plan, nullptr, nullptr, true);
    for (;;) {
        SPI_cursor_fetch(portal, true, 256);
        if (SPI_processed == 0) break;
        for (uint64 i = 0; i < SPI_processed; i++) {
            CHECK_FOR_INTERRUPTS();
            bool isnull;
            Datum d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
            MemoryContext old = MemoryContextSwitchTo(row);
            if (!isnull) d = PointerGetDatum(PG_DETOAST_DATUM(d));
            tuplestore_putvalues(store, SPI_tuptable->tupdesc, &d, &isnull);
            MemoryContextSwitchTo(old);
            MemoryContextReset(row);
        }
        SPI_freetuptable(SPI_tuptable);
    }
    SPI_cursor_close(portal);
    SPI_finish();
    MemoryContextDelete(row);
}

}  // namespace

ImportSource::ImportSource(Oid relid) {
    // Before the relation is even opened (a lock, its shape in errors):
    // the caller must be able to read it.
    bool readable = pg_guard([&] {
        return pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK ||
               pg_attribute_aclcheck_all(relid, GetUserId(), ACL_SELECT, ACLMASK_ANY) == ACLCHECK_OK;
    });
    if (!readable) {
        const char *name = pg_guard([&] { return get_rel_name(relid); });
        ts_error(ERRCODE_INSUFFICIENT_PRIVILEGE,
                 std::string("permission denied for table ") + (name ? name : std::to_string(relid).c_str()),
                 {}, "ts_import reads its source with the caller's rights: grant SELECT on it.");
    }
    Shape sh = shape_of(relid);
    if (sh.relkind != RELKIND_RELATION && sh.relkind != RELKIND_VIEW && sh.relkind != RELKIND_MATVIEW &&
        sh.relkind != RELKIND_FOREIGN_TABLE && sh.relkind != RELKIND_PARTITIONED_TABLE)
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE, std::string("source ") + sh.name + " is not a table or view");
    if (sh.columns != 1 || sh.type != JSONBOID) {
        std::string detail =
            sh.columns != 1 ? "It has " + std::to_string(sh.columns) + " columns."
                            : std::string("Its column ") + sh.column + " is of type " +
                                  pg_guard([&] { return format_type_be(sh.type); }) + ".";
        ts_error(ERRCODE_INVALID_PARAMETER_VALUE,
                 std::string("source ") + sh.name + " must have exactly one column, of type jsonb", detail,
                 "Fill a table such as CREATE TABLE lines (line jsonb) with the rows of ts_export, e.g. by COPY.");
    }
    // Lines in seq order; a line without a numeric seq sorts first (the
    // import then refuses it by its position).
    std::string seq = std::string("(") + sh.column + " OPERATOR(pg_catalog.->) 'seq'::pg_catalog.text)";
    std::string query = std::string("SELECT ") + sh.column + " FROM " + sh.name +
                        " ORDER BY CASE WHEN pg_catalog.jsonb_typeof" + seq +
                        " OPERATOR(pg_catalog.=) 'number'::pg_catalog.text THEN " + seq +
                        "::pg_catalog.numeric END NULLS FIRST";
    pg_guard([&] {
        TupleDesc desc = CreateTemplateTupleDesc(1);
        TupleDescInitEntry(desc, (AttrNumber)1, "line", JSONBOID, -1, 0);
        store_ = tuplestore_begin_heap(false, false, work_mem);
        fill(store_, query.c_str());
        slot_ = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
    });
}

bool ImportSource::next(Datum &line, bool &is_null) {
    return pg_guard([&] {
        if (!tuplestore_gettupleslot(store_, true, false, slot_)) return false;
        line = slot_getattr(slot_, 1, &is_null);
        return true;
    });
}

void ImportSource::close() {
    pg_guard([&] {
        if (slot_) ExecDropSingleTupleTableSlot(slot_);
        if (store_) tuplestore_end(store_);
    });
    slot_ = nullptr;
    store_ = nullptr;
}

}  // namespace tspg
