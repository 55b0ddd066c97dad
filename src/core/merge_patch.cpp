// merge_patch.cpp — RFC 7396 JSON Merge Patch.
#include "errors.hpp"
#include "json_patch.hpp"

namespace tscore {

namespace {

// MergePatch(Target, Patch) of RFC 7396 section 2. The members of the
// target and the patch are both sorted, so one merge walk builds the result
// in order, moving the target's values instead of copying them.
Value merge_patch(Value target, const Value &patch, int level) {
    if (!patch.is_object()) return patch;
    if (level > kMaxDepth) throw_too_deep();
    if (!target.is_object()) target = Value::object();

    std::vector<Member> &tm = target.members();
    const std::vector<Member> &pm = patch.members();
    std::vector<Member> out;
    out.reserve(tm.size() + pm.size());
    size_t i = 0, j = 0;
    while (i < tm.size() || j < pm.size()) {
        if (j == pm.size() || (i < tm.size() && key_less(tm[i].first, pm[j].first))) {
            out.push_back(std::move(tm[i++]));  // untouched by the patch
            continue;
        }
        const Member &p = pm[j++];
        bool in_target = i < tm.size() && tm[i].first == p.first;
        Value old = in_target ? std::move(tm[i++].second) : Value();
        if (p.second.is_null()) continue;  // null deletes
        out.emplace_back(p.first, merge_patch(std::move(old), p.second, level + 1));
    }
    tm = std::move(out);
    return target;
}

}  // namespace

Value apply_merge_patch(Value doc, const Value &patch) { return merge_patch(std::move(doc), patch, 1); }

}  // namespace tscore
