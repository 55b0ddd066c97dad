// import_source.hpp — reading the lines ts_import rebuilds a store from.
//
// The source is the caller's table or view (one jsonb column). It is read
// as the calling user, before any Session switches to the extension's
// owner: the caller's own privileges, row-level security and view
// definitions apply, and nothing of the caller's runs with the owner's
// rights. The rows are read in seq order (lines without a numeric "seq"
// first) into a tuplestore, which spills to disk past work_mem, so
// memory does not grow with the stream; the import then reads them back.
#pragma once

#include "pg/pg_headers.hpp"

namespace tspg {

class ImportSource {
public:
    // Checks the source's shape (22023 unless exactly one column, of type
    // jsonb, of a table, view, materialized view or foreign table) and
    // reads it.
    explicit ImportSource(Oid relid);
    // The next line (a jsonb Datum, valid until the next call), or false
    // at the end; is_null for a NULL row.
    bool next(Datum &line, bool &is_null);
    // Frees the tuplestore (the transaction's end would too).
    void close();

private:
    Tuplestorestate *store_ = nullptr;
    TupleTableSlot *slot_ = nullptr;
};

}  // namespace tspg
