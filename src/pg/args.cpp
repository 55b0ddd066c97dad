// args.cpp — see args.hpp.
#include "pg/args.hpp"

#include "pg/error_bridge.hpp"
#include "pg/jsonb_convert.hpp"
#include "pg/store_type.hpp"

namespace tspg {

namespace {
[[noreturn]] void null_arg(const char *name) {
    ts_error(ERRCODE_NULL_VALUE_NOT_ALLOWED, std::string(name) + " must not be NULL");
}
}  // namespace

std::string arg_store(FunctionCallInfo fcinfo, int i) {
    if (PG_ARGISNULL(i)) null_arg("store");
    return store_name_of(PG_GETARG_DATUM(i));
}

std::string arg_text(FunctionCallInfo fcinfo, int i, const char *name) {
    if (PG_ARGISNULL(i)) null_arg(name);
    return text_to_string(PG_GETARG_DATUM(i));
}

std::optional<std::string> arg_opt_text(FunctionCallInfo fcinfo, int i) {
    if (PG_ARGISNULL(i)) return std::nullopt;
    return text_to_string(PG_GETARG_DATUM(i));
}

tscore::Value arg_json(FunctionCallInfo fcinfo, int i, const char *name) {
    if (PG_ARGISNULL(i)) null_arg(name);
    return datum_to_value(PG_GETARG_DATUM(i));
}

const Jsonb *arg_jsonb(FunctionCallInfo fcinfo, int i, const char *name) {
    if (PG_ARGISNULL(i)) null_arg(name);
    Datum d = PG_GETARG_DATUM(i);
    return pg_guard([&] { return DatumGetJsonbP(d); });
}

tscore::Value arg_json_or(FunctionCallInfo fcinfo, int i, tscore::Value dflt) {
    if (PG_ARGISNULL(i)) return dflt;
    return datum_to_value(PG_GETARG_DATUM(i));
}

int64_t arg_i64(FunctionCallInfo fcinfo, int i, const char *name) {
    if (PG_ARGISNULL(i)) null_arg(name);
    return PG_GETARG_INT64(i);
}

std::optional<int64_t> arg_opt_i64(FunctionCallInfo fcinfo, int i) {
    if (PG_ARGISNULL(i)) return std::nullopt;
    return PG_GETARG_INT64(i);
}

int32_t arg_i32(FunctionCallInfo fcinfo, int i, const char *name) {
    if (PG_ARGISNULL(i)) null_arg(name);
    return PG_GETARG_INT32(i);
}

TimestampTz arg_timestamptz(FunctionCallInfo fcinfo, int i, const char *name) {
    if (PG_ARGISNULL(i)) null_arg(name);
    return PG_GETARG_TIMESTAMPTZ(i);
}

std::optional<TimestampTz> arg_opt_timestamptz(FunctionCallInfo fcinfo, int i) {
    if (PG_ARGISNULL(i)) return std::nullopt;
    return PG_GETARG_TIMESTAMPTZ(i);
}

bool arg_bool_or(FunctionCallInfo fcinfo, int i, bool dflt) {
    if (PG_ARGISNULL(i)) return dflt;
    return PG_GETARG_BOOL(i);
}

}  // namespace tspg
