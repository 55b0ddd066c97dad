// storage_export.cpp — see storage_export.hpp. Statements qualify every
// function and operator they name (see storage.cpp).
#include "pg/storage_export.hpp"

namespace tspg {
namespace storage {

StreamCounts stream_counts(Session &s, int64_t store_id) {
    Rows r = s.run("SELECT (SELECT pg_catalog.count(*) FROM ts_internal.versions v WHERE v.store_id OPERATOR(pg_catalog.=) $1), "
                   "(SELECT pg_catalog.count(*) FROM ts_internal.events e WHERE e.store_id OPERATOR(pg_catalog.=) $1)",
                   {param::i64(store_id)});
    StreamCounts c{r.i64(0, 0), r.i64(0, 1)};
    r.release();
    return c;
}

}  // namespace storage
}  // namespace tspg
