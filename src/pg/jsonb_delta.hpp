// jsonb_delta.hpp — ts_commit's work done on jsonb itself: the patch from
// the parent state to the new one and the new state's hash, read straight
// from jsonb's binary format. Unchanged subtrees are recognised by their
// bytes and never converted; only the values the patch carries become
// trees.
#pragma once

#include "pg/pg_headers.hpp"
#include "core/json_value.hpp"
#include "core/version_hash.hpp"

namespace tspg {

// The RFC 6902 patch json_diff would give for the two documents' trees
// (same algorithm, same operations): apply_json_patch(a, patch) == b.
// It recurses into changed containers; past kJsonbDiffDepth levels it
// gives up (nullopt) and the caller diffs the trees, whose walk is built
// for any depth.
// compact: the operations in the stored compact form of patch_compact.hpp
// ([code, path, value]) instead of RFC 6902 objects.
constexpr int kJsonbDiffDepth = 256;
std::optional<tscore::Value> jsonb_diff(const Jsonb *a, const Jsonb *b, bool compact = false);

// Writes the document in the version hash's state encoding. Throws
// Error(TooDeep) past kMaxDepth, as converting it to a tree would; a new
// state (new_state) past kMaxStateDepth, as tscore::version_hash does.
void jsonb_hash_state(const Jsonb *jb, tscore::StateHashWriter &w, bool new_state = false);

}  // namespace tspg
