// srf.cpp — see srf.hpp.
#include "pg/srf.hpp"

#include "pg/error_bridge.hpp"

namespace tspg {

SetResult::SetResult(FunctionCallInfo fcinfo) {
    pg_guard([&] { InitMaterializedSRF(fcinfo, 0); });
    rsinfo_ = (ReturnSetInfo *)fcinfo->resultinfo;
}

void SetResult::begin_row() {
    pg_guard([&] {
        if (row_context_ == nullptr)
            row_context_ = AllocSetContextCreate(CurrentMemoryContext, "temporal_store row", ALLOCSET_DEFAULT_SIZES);
        else
            MemoryContextReset(row_context_);
    });
    saved_context_ = MemoryContextSwitchTo(row_context_);
}

void SetResult::add(Datum *values, bool *nulls) {
    pg_guard([&] { tuplestore_putvalues(rsinfo_->setResult, rsinfo_->setDesc, values, nulls); });
    if (saved_context_ != nullptr) {
        MemoryContextSwitchTo(saved_context_);
        saved_context_ = nullptr;
    }
}

Datum int8_array(const std::vector<int64_t> &v) {
    std::vector<Datum> d;
    d.reserve(v.size());
    for (int64_t x : v) d.push_back(Int64GetDatum(x));
    return pg_guard([&] {
        return PointerGetDatum(construct_array(d.data(), (int)d.size(), INT8OID, 8, true, TYPALIGN_DOUBLE));
    });
}

Datum bytea_datum(const std::string &bytes) {
    bytea *h = pg_guard([&] { return (bytea *)palloc(VARHDRSZ + bytes.size()); });
    SET_VARSIZE(h, VARHDRSZ + bytes.size());
    memcpy(VARDATA(h), bytes.data(), bytes.size());
    return PointerGetDatum(h);
}

}  // namespace tspg
