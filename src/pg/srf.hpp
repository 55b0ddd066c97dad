// srf.hpp — building set-returning results (materialize mode).
#pragma once

#include "pg/pg_headers.hpp"

namespace tspg {

class SetResult {
public:
    explicit SetResult(FunctionCallInfo fcinfo);
    // Appends one row; values/nulls have one entry per result column.
    void add(Datum *values, bool *nulls);

private:
    ReturnSetInfo *rsinfo_;
};

Datum int8_array(const std::vector<int64_t> &v);
Datum bytea_datum(const std::string &bytes);

}  // namespace tspg
