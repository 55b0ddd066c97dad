// ancestry.hpp — walks over the version graph: merge bases, ancestry
// tests, ahead/behind counts.
//
// Every walk goes newest generation first (generation = 1 + the parents'
// largest) and stops as soon as what is left is common to both sides, so
// its cost follows the distance from the heads to their merge base, not
// the length of the history.
#pragma once

#include "pg/storage.hpp"

namespace tspg {

struct Divergence {
    std::vector<int64_t> bases;  // best common ancestors, newest first
    int64_t ahead = 0;           // reachable from a and not from b
    int64_t behind = 0;          // reachable from b and not from a
};

Divergence diverge(Session &s, int64_t store_id, int64_t a, int64_t b);

// How many versions the last walk in this backend read (for tests that
// show a walk's cost follows the distance, not the history's length).
int64_t last_walk_visits();

// Is `ancestor` reachable from `descendant` (or equal to it)?
bool is_ancestor(Session &s, int64_t store_id, int64_t ancestor, int64_t descendant);

}  // namespace tspg
