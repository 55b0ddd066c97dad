// path_index.hpp — which paths a version changed, for the history index
// (ts_path_history, ts_blame, ts_log's path filter, ts_stats,
// ts_path_stats).
//
// A version's record is a list of rows (path, exact). A row means "the
// value at this path differs from the first parent's" (it is never written
// for a no-op). For a path P, a version changed P
//   - certainly, when it has a row at P or below P (a descendant changed,
//     so the container at P did);
//   - possibly, when it has a row at a strict ancestor of P that is not
//     exact: something above P was replaced, removed, or an array above P
//     shifted, and only the two states can tell whether P's value moved;
//   - not otherwise. An exact row promises that every changed path below
//     it has a row of its own (an added value is expanded into its leaves).
//
// Paths are stored in an order-preserving byte encoding: each key's bytes
// (0x00, 0x01 and 0xFF escaped as 0x01 0x01 / 0x01 0x02 / 0x01 0x03) then a
// 0x00 terminator. The encoding of P is a byte prefix of Q's exactly when P
// is a prefix of Q, so the rows at or below P are one byte range.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_patch.hpp"
#include "json_value.hpp"

namespace tscore {

struct PathRow {
    Path path;
    bool exact = false;
    bool operator==(const PathRow &o) const { return path == o.path && exact == o.exact; }
};

// Rows of one version beyond this count collapse into one inexact row at
// the root (every query then looks at the states); leaves of one added
// value beyond this many stay one inexact row at the value.
constexpr size_t kMaxPathRows = 4096;
constexpr size_t kMaxLeafExpansion = 256;

std::string encode_path(const Path &path);
// Throws Error(CorruptPayload) on malformed bytes.
Path decode_path(std::string_view bytes);
// The smallest byte string above every encoding that starts with
// encode_path(path); nullopt for the root (no upper bound).
std::optional<std::string> encode_path_upper(const Path &path);

// The value at a path (object keys, array indices), or nullptr.
const Value *value_at(const Value &root, const Path &path);

// Array length at a path in the new state, nullopt when no array is there.
using ArrayLength = std::function<std::optional<size_t>(const Path &)>;

// Rows for a version whose delta against its first parent is `patch`, a
// patch as json_diff or jsonb_diff writes it (RFC 6902 objects or the
// compact [code, path, value] form; add/remove/replace at the deepest
// differing point). array_len answers for the new state; without it every
// add/remove in an array counts as a shift of the array.
std::vector<PathRow> rows_from_diff(const Value &patch, const ArrayLength &array_len);

// Rows for a first version: every leaf (scalars, empty containers) of the
// state, exact.
std::vector<PathRow> rows_for_state(const Value &state);

// Rows for a change given as a patch (ts_patch: RFC 6902 or RFC 7396),
// from the states before and after it: the subtrees the patch names are
// diffed, so operations that changed nothing leave no row.
std::vector<PathRow> rows_from_patch(const Value &before, const Value &after, const Value &patch, bool merge_patch);

// The same in two steps, for a caller that applies the patch in place:
// the subtrees the patch names, copied from the state before it, then the
// rows once the state after it is known.
struct CapturedRoots {
    std::vector<std::pair<Path, std::optional<Value>>> roots;
};
CapturedRoots capture_patch_roots(const Value &before, const Value &patch, bool merge_patch);
std::vector<PathRow> rows_from_captured(const CapturedRoots &c, const Value &after);

// Rows from the whole states (any version kind).
std::vector<PathRow> rows_between(const Value &before, const Value &after);

// Every leaf of a state with its path, in document order (blame): scalars
// and empty containers. Iterative. Calls f(path, value).
void for_each_leaf(const Value &state, const std::function<void(const Path &, const Value &)> &f);

}  // namespace tscore
