// srf.cpp — see srf.hpp.
#include "pg/srf.hpp"

#include "pg/error_bridge.hpp"

namespace tspg {

SetResult::SetResult(FunctionCallInfo fcinfo) {
    pg_guard([&] { InitMaterializedSRF(fcinfo, 0); });
    rsinfo_ = (ReturnSetInfo *)fcinfo->resultinfo;
}

SetResult::SetResult(FunctionCallInfo fcinfo, Oid scalar_type) {
    // As InitMaterializedSRF does for a row type.
    rsinfo_ = (ReturnSetInfo *)fcinfo->resultinfo;
    pg_guard([&] {
        if (rsinfo_ == nullptr || !IsA(rsinfo_, ReturnSetInfo) || !(rsinfo_->allowedModes & SFRM_Materialize))
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("set-valued function called in context that cannot accept a set")));
        MemoryContext old = MemoryContextSwitchTo(rsinfo_->econtext->ecxt_per_query_memory);
        TupleDesc desc = CreateTemplateTupleDesc(1);
        TupleDescInitEntry(desc, (AttrNumber)1, "value", scalar_type, -1, 0);
        rsinfo_->returnMode = SFRM_Materialize;
        rsinfo_->setResult = tuplestore_begin_heap((rsinfo_->allowedModes & SFRM_Materialize_Random) != 0, false, work_mem);
        rsinfo_->setDesc = desc;
        MemoryContextSwitchTo(old);
    });
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
