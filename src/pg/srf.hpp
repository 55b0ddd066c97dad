// srf.hpp — building set-returning results (materialize mode).
#pragma once

#include "pg/pg_headers.hpp"

namespace tspg {

// The rows go to a tuplestore, which spills to disk past work_mem. A
// function that streams many rows builds each in a per-row memory context:
// begin_row() resets it and makes it current, add() copies the row into
// the result and switches back, so memory does not grow with the rows.
class SetResult {
public:
    explicit SetResult(FunctionCallInfo fcinfo);
    // A function returning SETOF a scalar type: one column of that type.
    SetResult(FunctionCallInfo fcinfo, Oid scalar_type);
    void begin_row();
    // Appends one row; values/nulls have one entry per result column.
    void add(Datum *values, bool *nulls);

private:
    ReturnSetInfo *rsinfo_;
    MemoryContext row_context_ = nullptr;
    MemoryContext saved_context_ = nullptr;  // current before begin_row()
};

Datum int8_array(const std::vector<int64_t> &v);
Datum bytea_datum(const std::string &bytes);

}  // namespace tspg
