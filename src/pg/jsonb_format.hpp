// jsonb_format.hpp — reading jsonb's binary format in place (utils/jsonb.h):
// the pieces jsonb_convert.cpp uses, shared with the commit path's
// jsonb diff and hash (jsonb_delta.cpp).
#pragma once

#include "pg/pg_headers.hpp"
#include "core/json_value.hpp"

namespace tspg {

// A numeric datum's text, exactly as numeric_out prints it (the second
// form reuses the caller's buffer).
std::string numeric_text(const char *numeric);
void numeric_text_into(const char *numeric, std::string &out);
// The scalar child with JEntry `entry` whose data is at base + offset.
tscore::Value scalar_at(uint32 entry, const char *base, uint32 offset, uint32 len);
// Length of child `index` of c, given the offset where its data starts.
uint32 entry_length(const JsonbContainer *c, int index, uint32 offset);
// The tree of a container (a raw-scalar container gives its scalar).
tscore::Value container_to_value(const JsonbContainer *c);

}  // namespace tspg
