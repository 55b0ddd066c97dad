// fuzz_merge3 — the three-way merge on random trees.
//
// Input, by its first byte:
//   'J'  JSON text "BASE\0OURS\0THEIRS" after it;
//   else the bytes drive a generator: a base tree (TreeGen), and ours and
//        theirs as a few byte-driven edits of copies of it (mutate), so
//        the sides share most of their structure.
// Checks, for merge3(base, ours, theirs) under each strategy:
//   - trivial merges: merge3(b, x, x) == x, merge3(b, b, x) == x and
//     merge3(b, x, b) == x, without conflicts;
//   - symmetry: swapping ours and theirs gives the same conflict paths (in
//     the same order) with the sides swapped, and Theirs on one order is
//     Ours on the other;
//   - ThreeWay merges like Ours; without conflicts every strategy gives
//     the same tree;
//   - conflicts are listed in strictly increasing path order (so no path
//     twice); at each one the merged tree holds the chosen side's value
//     (or nothing where that side has none) and the three recorded values
//     are what base, ours and theirs hold at that path;
//   - conflict_paths_json is JSON text listing exactly those paths.
#include "fuzz_support.hpp"

#include "core/merge3.hpp"

using namespace tscore;

namespace {

// The value at an object-key path (conflict paths only walk objects).
std::optional<Value> at(const Value &root, const Path &path) {
    const Value *cur = &root;
    for (const std::string &k : path) {
        if (!cur->is_object()) return std::nullopt;
        cur = cur->find(k);
        if (!cur) return std::nullopt;
    }
    return *cur;
}

// Paths in key_less order token by token, a prefix first.
bool path_less(const Path &a, const Path &b) {
    for (size_t i = 0; i < a.size() && i < b.size(); i++) {
        if (a[i] != b[i]) return key_less(a[i], b[i]);
    }
    return a.size() < b.size();
}

bool same_opt(const std::optional<Value> &a, const std::optional<Value> &b) {
    return a.has_value() == b.has_value() && (!a || *a == *b);
}

// (Under ThreeWay only: a strategy only matters where there are conflicts.)
void check_trivial(const Value &base, const Value &x) {
    for (const MergeResult &r : {merge3(base, x, x, MergeStrategy::ThreeWay), merge3(base, base, x, MergeStrategy::ThreeWay),
                                 merge3(base, x, base, MergeStrategy::ThreeWay)}) {
        FUZZ_CHECK(r.conflicts.empty());
        FUZZ_CHECK(r.merged == x);
    }
}

void check_conflicts(const Value &base, const Value &ours, const Value &theirs, const MergeResult &r,
                     MergeStrategy s) {
    for (size_t i = 0; i < r.conflicts.size(); i++) {
        const Conflict &c = r.conflicts[i];
        if (i > 0) FUZZ_CHECK(path_less(r.conflicts[i - 1].path, c.path));
        FUZZ_CHECK(same_opt(c.base, at(base, c.path)));
        FUZZ_CHECK(same_opt(c.ours, at(ours, c.path)));
        FUZZ_CHECK(same_opt(c.theirs, at(theirs, c.path)));
        FUZZ_CHECK(!same_opt(c.ours, c.theirs));
        FUZZ_CHECK(same_opt(s == MergeStrategy::Theirs ? c.theirs : c.ours, at(r.merged, c.path)));
    }
    std::optional<Value> listed = fuzz::try_parse(conflict_paths_json(r.conflicts));
    FUZZ_CHECK(listed && listed->is_array() && listed->items().size() == r.conflicts.size());
    for (size_t i = 0; i < r.conflicts.size(); i++) {
        const Value &p = listed->items()[i];
        FUZZ_CHECK(p.is_array() && p.items().size() == r.conflicts[i].path.size());
        for (size_t j = 0; j < p.items().size(); j++)
            FUZZ_CHECK(p.items()[j].is_string() && p.items()[j].text() == r.conflicts[i].path[j]);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    Value base, ours, theirs;
    if (data[0] == 'J') {
        std::vector<std::string_view> parts = fuzz::split_nul(data + 1, size - 1, 3);
        if (parts.size() != 3) return 0;
        std::optional<Value> b = fuzz::try_parse(parts[0]), o = fuzz::try_parse(parts[1]),
                             t = fuzz::try_parse(parts[2]);
        if (!b || !o || !t) return 0;
        base = std::move(*b);
        ours = std::move(*o);
        theirs = std::move(*t);
    } else {
        fuzz::Bytes in(data + 1, size - 1);
        base = fuzz::TreeGen(in).tree();
        ours = base;
        fuzz::mutate(ours, in);
        theirs = base;
        fuzz::mutate(theirs, in);
    }

    check_trivial(base, ours);
    check_trivial(base, theirs);

    MergeResult three = merge3(base, ours, theirs, MergeStrategy::ThreeWay);
    MergeResult o = merge3(base, ours, theirs, MergeStrategy::Ours);
    MergeResult t = merge3(base, ours, theirs, MergeStrategy::Theirs);
    MergeResult swapped_o = merge3(base, theirs, ours, MergeStrategy::Ours);
    MergeResult swapped_t = merge3(base, theirs, ours, MergeStrategy::Theirs);
    check_conflicts(base, ours, theirs, three, MergeStrategy::ThreeWay);
    check_conflicts(base, ours, theirs, o, MergeStrategy::Ours);
    check_conflicts(base, ours, theirs, t, MergeStrategy::Theirs);
    check_conflicts(base, theirs, ours, swapped_o, MergeStrategy::Ours);

    FUZZ_CHECK(three.merged == o.merged);
    FUZZ_CHECK(t.merged == swapped_o.merged);
    FUZZ_CHECK(o.merged == swapped_t.merged);
    for (const MergeResult *r : {&o, &t, &swapped_o, &swapped_t}) {
        FUZZ_CHECK(r->conflicts.size() == three.conflicts.size());
    }
    for (size_t i = 0; i < three.conflicts.size(); i++) {
        const Conflict &a = three.conflicts[i], &b = swapped_o.conflicts[i];
        FUZZ_CHECK(a.path == b.path && same_opt(a.base, b.base) && same_opt(a.ours, b.theirs) &&
                   same_opt(a.theirs, b.ours));
        FUZZ_CHECK(a.path == o.conflicts[i].path && a.path == t.conflicts[i].path);
    }
    if (three.conflicts.empty()) {
        FUZZ_CHECK(t.merged == three.merged);
        FUZZ_CHECK(swapped_o.merged == three.merged);
    }
    FUZZ_CHECK(fuzz::sorted_everywhere(three.merged));
    return 0;
}
