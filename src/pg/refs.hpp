// refs.hpp — names to versions: the session's checked-out branch, branch
// arguments, and the revision grammar resolved against the tables.
#pragma once

#include "pg/storage.hpp"

namespace tspg {

// The branch checked out for this store in this session (the GUC
// temporal_store.checkout), if any.
std::optional<std::string> checked_out_branch(const std::string &store_name);

// The branch a function works on: its argument, else the checked-out one,
// else main. An unknown branch is 42704.
BranchRecord resolve_branch(Session &s, const StoreRecord &st, const std::optional<std::string> &arg);
// The same in two steps, for the write path, which looks the branch up
// together with the lock: its name, then the error when it is missing.
std::string branch_name_for(const StoreRecord &st, const std::optional<std::string> &arg);
[[noreturn]] void missing_branch(const StoreRecord &st, const std::string &name, bool from_arg);

// A revision text to a version number (errors: 22P02 syntax, 42704 unknown).
int64_t resolve_revision(Session &s, const StoreRecord &st, std::string_view rev);

// `n` first-parent steps back from v (42704 past the root).
int64_t first_parent_steps(Session &s, const StoreRecord &st, int64_t v, int64_t n);

[[noreturn]] void unknown_version(int64_t v);

}  // namespace tspg
