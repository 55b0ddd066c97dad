// merge3.hpp — the structural three-way JSON merge.
//
// Objects merge key by key, recursively. A key changed on one side only
// takes that side's value; changed identically on both takes it; changed
// differently is a conflict (deleting on one side and modifying on the other
// included). Where the base is absent or not an object and both sides make
// the value an object, the two merge key by key against {}. Arrays and
// scalars are single values. A conflict is reported at the path where the two
// sides stop both being objects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "json_patch.hpp"
#include "json_value.hpp"

namespace tscore {

enum class MergeStrategy { ThreeWay, Ours, Theirs };

// Parses "three_way", "ours", "theirs" (the pure strategies); throws
// Error(Invalid) otherwise.
MergeStrategy parse_merge_strategy(std::string_view name);

struct Conflict {
    Path path;                    // object keys from the root
    std::optional<Value> base;    // nullopt: absent at that side
    std::optional<Value> ours;
    std::optional<Value> theirs;
};

struct MergeResult {
    Value merged;                     // with conflicts resolved by strategy
    std::vector<Conflict> conflicts;  // every conflicting path, in key order
};

// Merges ours and theirs against base. Under ThreeWay, conflicts are listed
// and merged holds ours' value at them (callers fail the merge); under Ours
// or Theirs they take that side's value (and are still listed).
MergeResult merge3(const Value &base, const Value &ours, const Value &theirs,
                   MergeStrategy strategy);

// The TS001 error detail: a JSON array of the conflicting paths, each a JSON
// array of keys, e.g. [["a","b"],["c"]].
std::string conflict_paths_json(const std::vector<Conflict> &conflicts);

}  // namespace tscore
