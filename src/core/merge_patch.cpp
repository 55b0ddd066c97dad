// merge_patch.cpp — RFC 7396 JSON Merge Patch.
#include "errors.hpp"
#include "noinline.hpp"
#include "json_patch.hpp"

namespace tscore {

namespace {


// Out of line so their temporaries stay off the recursive frame.
TS_NOINLINE void assign_copy(Value &slot, const Value &v) { slot = v; }
TS_NOINLINE void make_object(Value &v) { v = Value::object(); }
TS_NOINLINE Value &append_member(std::vector<Member> &out, const std::string &key) {
    charge(key.size());
    out.emplace_back(key, Value());
    return out.back().second;
}
TS_NOINLINE Value &append_member(std::vector<Member> &out, Member &&m) {
    out.push_back(std::move(m));
    return out.back().second;
}
TS_NOINLINE void replace_members(Value &target, std::vector<Member> &&out) { target.members() = std::move(out); }

// MergePatch(Target, Patch) of RFC 7396 section 2 for an object patch, in
// place. The members of the target and the patch are both sorted, so one
// merge walk builds the result in order, moving the target's values
// instead of copying them; each nested patch applies in place in the
// result's last member, keeping the recursive frame small.
void merge_into(Value &target, const Value &patch, int level) {
    if (level > kMaxDepth) throw_too_deep();
    check_stack();
    if (!target.is_object()) make_object(target);
    std::vector<Member> &tm = target.members();
    const std::vector<Member> &pm = patch.members();
    std::vector<Member> out;
    charge(pm.size() * sizeof(Member));  // what the result may gain
    out.reserve(tm.size() + pm.size());
    size_t i = 0, j = 0;
    while (i < tm.size() || j < pm.size()) {
        poll();
        if (j == pm.size() || (i < tm.size() && key_less(tm[i].first, pm[j].first))) {
            append_member(out, std::move(tm[i++]));  // untouched by the patch
            continue;
        }
        const Member &p = pm[j++];
        bool in_target = i < tm.size() && tm[i].first == p.first;
        if (p.second.is_null()) {  // null deletes
            if (in_target) i++;
            continue;
        }
        Value &slot = in_target ? append_member(out, std::move(tm[i++])) : append_member(out, p.first);
        if (p.second.is_object())
            merge_into(slot, p.second, level + 1);
        else
            assign_copy(slot, p.second);
    }
    replace_members(target, std::move(out));
}

}  // namespace

Value apply_merge_patch(Value doc, const Value &patch) {
    BudgetScope budget;
    if (!patch.is_object()) return patch;
    merge_into(doc, patch, 1);
    return doc;
}

}  // namespace tscore
