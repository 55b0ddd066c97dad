// args.hpp — reading fmgr arguments under SPEC.md's rules: a NULL for a
// required argument is 22004; a NULL where the default is a value means
// the default.
#pragma once

#include "pg/pg_headers.hpp"
#include "core/json_value.hpp"

namespace tspg {

std::string arg_store(FunctionCallInfo fcinfo, int i);                       // temporal_store
std::string arg_text(FunctionCallInfo fcinfo, int i, const char *name);      // required
std::optional<std::string> arg_opt_text(FunctionCallInfo fcinfo, int i);
tscore::Value arg_json(FunctionCallInfo fcinfo, int i, const char *name);    // required
const Jsonb *arg_jsonb(FunctionCallInfo fcinfo, int i, const char *name);  // required, detoasted, as is
tscore::Value arg_json_or(FunctionCallInfo fcinfo, int i, tscore::Value dflt);
int64_t arg_i64(FunctionCallInfo fcinfo, int i, const char *name);
std::optional<int64_t> arg_opt_i64(FunctionCallInfo fcinfo, int i);
int32_t arg_i32(FunctionCallInfo fcinfo, int i, const char *name);
TimestampTz arg_timestamptz(FunctionCallInfo fcinfo, int i, const char *name);
std::optional<TimestampTz> arg_opt_timestamptz(FunctionCallInfo fcinfo, int i);
bool arg_bool_or(FunctionCallInfo fcinfo, int i, bool dflt);

}  // namespace tspg
