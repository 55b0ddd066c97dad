// merge3.cpp — the structural three-way JSON merge (see merge3.hpp and the
// "Merging" rules of SPEC.md).
#include "merge3.hpp"

#include <algorithm>

#include "errors.hpp"
#include "noinline.hpp"

namespace tscore {

namespace {

// Equality of possibly absent values (nullptr: absent).
bool same(const Value *x, const Value *y) {
    if (!x || !y || x == y) return x == y;
    return *x == *y;
}


class Merger {
public:
    Merger(MergeStrategy strategy, std::vector<Conflict> &conflicts)
        : strategy_(strategy), conflicts_(conflicts) {}

    void merge_root(const Value &base, const Value &ours, const Value &theirs, Value &out) {
        if (ours.is_object() && theirs.is_object()) {
            out = Value::object();
            merge_objects(base.is_object() ? &base.members() : nullptr, ours.members(), theirs.members(), out, 1);
        } else {
            merge_leaf(&base, &ours, &theirs, out);
        }
    }

private:
    // A new last member of out: an empty object or null.
    static TS_NOINLINE Value &append_member(Value &out, const std::string &key, bool object) {
        charge(key.size());
        out.push_member_sorted(key, object ? Value::object() : Value());
        return out.members().back().second;
    }

    // One position where the sides are not both objects (nullptr: absent
    // on that side). Returns false when the result is absent.
    TS_NOINLINE bool merge_leaf(const Value *base, const Value *ours, const Value *theirs, Value &out) {
        const Value *chosen;
        if (same(ours, theirs) || same(theirs, base))
            chosen = ours;
        else if (same(ours, base))
            chosen = theirs;
        else
            chosen = conflict(base, ours, theirs);
        if (!chosen) return false;
        out = *chosen;
        return true;
    }

    TS_NOINLINE const Value *conflict(const Value *base, const Value *ours, const Value *theirs) {
        poll();
        Conflict c;
        charge(path_.size() * sizeof(std::string));
        c.path.reserve(path_.size());
        for (const std::string *key : path_) {
            charge(key->size());
            c.path.push_back(*key);
        }
        if (base) c.base = *base;
        if (ours) c.ours = *ours;
        if (theirs) c.theirs = *theirs;
        conflicts_.push_back(std::move(c));
        return strategy_ == MergeStrategy::Theirs ? theirs : ours;
    }

    // One walk over the three sorted member lists, key by key in key order
    // (bm: nullptr when the base is absent or not an object). Where both
    // sides hold objects it always descends: that gives the same result as
    // comparing them whole first, without comparing each subtree once per
    // level above it. Each result is built in place in out's last member.
    void merge_objects(const std::vector<Member> *bm, const std::vector<Member> &om,
                       const std::vector<Member> &tm, Value &out, int level) {
        if (level > kMaxDepth) throw_too_deep();
        check_stack();
        static const std::vector<Member> none;
        const std::vector<Member> &b = bm ? *bm : none;
        size_t i = 0, j = 0, k = 0;
        charge(std::max(om.size(), tm.size()) * sizeof(Member));
        poll(static_cast<long>(b.size() + om.size() + tm.size()));  // copies of containers poll too
        out.members().reserve(std::max(om.size(), tm.size()));
        while (i < b.size() || j < om.size() || k < tm.size()) {
            const std::string *key = nullptr;
            auto least = [&key](const std::vector<Member> &m, size_t n) {
                if (n < m.size() && (!key || key_less(m[n].first, *key))) key = &m[n].first;
            };
            least(b, i);
            least(om, j);
            least(tm, k);
            auto take = [key](const std::vector<Member> &m, size_t &n) -> const Value * {
                if (n < m.size() && m[n].first == *key) return &m[n++].second;
                return nullptr;
            };
            const Value *bv = take(b, i), *ov = take(om, j), *tv = take(tm, k);
            path_.push_back(key);
            bool objects = ov && tv && ov->is_object() && tv->is_object();
            Value &slot = append_member(out, *key, objects);
            if (objects) {
                merge_objects(bv && bv->is_object() ? &bv->members() : nullptr, ov->members(), tv->members(),
                              slot, level + 1);
            } else if (!merge_leaf(bv, ov, tv, slot)) {
                out.members().pop_back();
            }
            path_.pop_back();
        }
    }

    MergeStrategy strategy_;
    std::vector<Conflict> &conflicts_;
    std::vector<const std::string *> path_;  // keys from the root; a Path only for conflicts
};

}  // namespace

MergeStrategy parse_merge_strategy(std::string_view name) {
    if (name == "three_way") return MergeStrategy::ThreeWay;
    if (name == "ours") return MergeStrategy::Ours;
    if (name == "theirs") return MergeStrategy::Theirs;
    throw Error(ErrorKind::Invalid, "unknown merge strategy \"" + std::string(name) + "\"",
                "Valid strategies are three_way, ours and theirs.");
}

MergeResult merge3(const Value &base, const Value &ours, const Value &theirs, MergeStrategy strategy) {
    BudgetScope budget;
    MergeResult r;
    Merger(strategy, r.conflicts).merge_root(base, ours, theirs, r.merged);
    return r;
}

std::string conflict_paths_json(const std::vector<Conflict> &conflicts) {
    std::string out = "[";
    for (size_t i = 0; i < conflicts.size(); i++) {
        if (i) out += ',';
        out += '[';
        const Path &p = conflicts[i].path;
        for (size_t j = 0; j < p.size(); j++) {
            if (j) out += ',';
            append_json_string(out, p[j]);
        }
        out += ']';
    }
    out += ']';
    return out;
}

}  // namespace tscore
