// jsonb_convert.hpp — Jsonb <-> core tree, without a round trip through text.
#pragma once

#include "pg/pg_headers.hpp"
#include "core/json_value.hpp"

namespace tspg {

// Both walks are iterative (no recursion), so the deepest document
// PostgreSQL accepts converts; the core's kMaxDepth is enforced here.
tscore::Value jsonb_to_value(const Jsonb *jb);
Jsonb *value_to_jsonb(const tscore::Value &v);

// Convenience for fmgr arguments and results.
tscore::Value datum_to_value(Datum d);
Datum value_to_datum(const tscore::Value &v);

// text <-> std::string.
std::string text_to_string(Datum d);
Datum string_to_text(std::string_view s);

}  // namespace tspg
