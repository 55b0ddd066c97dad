// patch_compact.hpp — a compact stored form of RFC 6902 patches.
//
// A patch as users write it repeats "op", "path" and "value" in every
// operation; stored, each operation is a three-element array
// [code, path, value-or-from] (remove has two), codes 0 add, 1 remove,
// 2 replace, 3 move, 4 copy, 5 test. Other members of an operation are
// dropped: RFC 6902 gives them no meaning.
#pragma once

#include <optional>

#include "json_value.hpp"

namespace tscore {

// nullopt when the patch is not a well-formed RFC 6902 array (it is then
// stored as written).
std::optional<Value> compact_patch(const Value &patch);

// Back to RFC 6902 form; throws Error(CorruptPayload) on a malformed body.
Value expand_patch(const Value &compact);

// Applies a compact patch without expanding it, moving its values into
// the document (json_patch.cpp). The same checks and errors as
// apply_json_patch; a malformed body is Error(CorruptPayload).
Value apply_compact_patch(Value doc, Value &&compact);

}  // namespace tscore
