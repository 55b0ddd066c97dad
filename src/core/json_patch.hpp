// json_patch.hpp — RFC 6902 JSON Patch (apply and diff), RFC 6901 pointers
// and RFC 7396 merge patch, on the core tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json_value.hpp"

namespace tscore {

// A path as a list of reference tokens (object keys or array indices as
// decimal text), unescaped.
using Path = std::vector<std::string>;

// RFC 6901: "/a~1b/0" <-> {"a/b", "0"}. parse throws Error(InvalidPatch).
Path parse_pointer(std::string_view pointer);
std::string format_pointer(const Path &path);
// Appends "/" and the escaped token (builds pointers without a Path).
void append_pointer_token(std::string &out, std::string_view token);
// An RFC 6901 array index: "0" or digits without a leading zero. Indices
// too large for size_t saturate; they are out of range for any real array.
bool parse_array_index(std::string_view token, size_t &index);

// Applies an RFC 6902 patch (a JSON array of operation objects) to doc and
// returns the result. Throws Error(InvalidPatch) with a message naming the
// failing operation's index when the patch is malformed or an operation
// fails (missing path, failed test, ...). The input is not modified.
Value apply_json_patch(Value doc, const Value &patch);

// An RFC 6902 patch that turns a into b: apply_json_patch(a, json_diff(a, b))
// == b exactly. Objects are compared key by key, arrays element by element
// (with a common prefix and suffix kept), so small edits give small patches.
Value json_diff(const Value &a, const Value &b);

// RFC 7396: applies a merge patch and returns the result.
Value apply_merge_patch(Value doc, const Value &patch);

}  // namespace tscore
