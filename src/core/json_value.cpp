// json_value.cpp — the tree's own operations: member lookup and update,
// and the iterative copy, comparison and destruction that keep deep trees
// off the call stack.
#include "json_value.hpp"

#include <algorithm>
#include <tuple>

#include "errors.hpp"

namespace tscore {

namespace {

template <typename Members>
auto member_lower_bound(Members &members, std::string_view key) {
    return std::lower_bound(members.begin(), members.end(), key,
                            [](const Member &m, std::string_view k) { return key_less(m.first, k); });
}

}  // namespace

void throw_too_deep() {
    throw Error(ErrorKind::TooDeep,
                "JSON document nesting exceeds the maximum depth of " + std::to_string(kMaxDepth));
}

void throw_state_too_deep() {
    std::string limit = std::to_string(kMaxStateDepth);
    throw Error(ErrorKind::TooDeep, "state nesting exceeds the maximum depth of " + limit + " for a version",
                "PostgreSQL's jsonb input could not read a much deeper document back; the new state is not stored.",
                "Keep stored documents within " + limit + " levels of nesting.");
}

const Value *Value::find(std::string_view key) const {
    auto it = member_lower_bound(members_, key);
    if (it == members_.end() || it->first != key) return nullptr;
    return &it->second;
}

Value *Value::find(std::string_view key) {
    return const_cast<Value *>(static_cast<const Value *>(this)->find(key));
}

Value &Value::set(std::string key, Value v) {
    auto it = member_lower_bound(members_, key);
    if (it != members_.end() && it->first == key) {
        it->second = std::move(v);
        return it->second;
    }
    return members_.emplace(it, std::move(key), std::move(v))->second;
}

bool Value::erase(std::string_view key) {
    auto it = member_lower_bound(members_, key);
    if (it == members_.end() || it->first != key) return false;
    members_.erase(it);
    return true;
}

// Levels walked by plain recursion before subtrees go to a worklist: deep
// enough for ordinary documents (recursion is faster than a worklist), and
// a few kilobytes of stack at most.
constexpr int kRecursionBudget = 64;

// Frees v's descendants, leaving v's children childless (so their own
// destructors take the fast path). Subtrees past the budget are moved to
// `deeper` and freed from there.
void Value::release_level(Value &v, int depth, std::vector<Value> &deeper) {
    for (Value &c : v.items_)
        if (c.has_children()) {
            if (depth < kRecursionBudget)
                release_level(c, depth + 1, deeper);
            else
                deeper.push_back(std::move(c));
        }
    for (Member &m : v.members_)
        if (m.second.has_children()) {
            if (depth < kRecursionBudget)
                release_level(m.second, depth + 1, deeper);
            else
                deeper.push_back(std::move(m.second));
        }
    v.items_.clear();
    v.members_.clear();
}

void Value::release_children() noexcept {
    std::vector<Value> deeper;
    try {
        release_level(*this, 0, deeper);
        while (!deeper.empty()) {
            Value v = std::move(deeper.back());
            deeper.pop_back();
            release_level(v, 0, deeper);
        }
    } catch (...) {
        // No memory for the worklist: what is left is freed recursively by
        // the ordinary member destructors, as a plain tree would be.
    }
}

// Copies s's children into d (whose kind and text are set). Destination
// vectors are reserved to their final size before pointers into them are
// kept in `deeper`, so those stay valid. Each level is charged before it is
// allocated; the text of small leaves and keys is summed and charged once
// per level (large ones one by one, before they are copied).
void Value::copy_level(Value &d, const Value &s, int depth, CopyList &deeper) {
    constexpr size_t kSmallText = 4096;
    poll(static_cast<long>(s.items_.size() + s.members_.size()));
    size_t small_text = 0;
    auto text = [&small_text](const std::string &t) {
        if (t.size() > kSmallText)
            charge(t.size());
        else
            small_text += t.size();
    };
    auto descend = [&](Value &x, const Value &c) {
        x.kind_ = c.kind_;
        if (depth < kRecursionBudget)
            copy_level(x, c, depth + 1, deeper);
        else
            deeper.emplace_back(&x, &c);
    };
    if (!s.items_.empty()) {
        charge(s.items_.size() * sizeof(Value));
        d.items_.reserve(s.items_.size());
        for (const Value &c : s.items_) {
            if (!c.has_children()) {  // a leaf: no walk
                text(c.text_);
                d.items_.emplace_back(UnchargedLeaf{}, c);
            } else {
                d.items_.emplace_back();
                descend(d.items_.back(), c);
            }
        }
    }
    if (!s.members_.empty()) {
        charge(s.members_.size() * sizeof(Member));
        d.members_.reserve(s.members_.size());
        for (const Member &m : s.members_) {
            text(m.first);
            if (!m.second.has_children()) {
                text(m.second.text_);
                d.members_.emplace_back(std::piecewise_construct, std::forward_as_tuple(m.first),
                                        std::forward_as_tuple(UnchargedLeaf{}, m.second));
            } else {
                d.members_.emplace_back(m.first, Value());
                descend(d.members_.back().second, m.second);
            }
        }
    }
    charge(small_text);
}

void Value::copy_children(const Value &o) {
    CopyList deeper;
    copy_level(*this, o, 0, deeper);
    while (!deeper.empty()) {
        auto [d, s] = deeper.back();
        deeper.pop_back();
        copy_level(*d, *s, 0, deeper);
    }
}

// Stops at the first difference; leaves compare in the loop, containers
// one level down (or later from `deeper`).
bool Value::equal_level(const Value &a, const Value &b, int depth, CompareList &deeper) {
    if (a.kind_ != b.kind_ || a.text_ != b.text_ || a.items_.size() != b.items_.size() ||
        a.members_.size() != b.members_.size())
        return false;
    poll(static_cast<long>(a.items_.size() + a.members_.size()));
    auto child = [&](const Value &x, const Value &y) {
        if (x.kind_ != y.kind_) return false;
        if (!x.is_container()) return x.text_ == y.text_;
        if (depth >= kRecursionBudget) {
            deeper.emplace_back(&x, &y);
            return true;
        }
        return equal_level(x, y, depth + 1, deeper);
    };
    for (size_t i = 0; i < a.items_.size(); i++)
        if (!child(a.items_[i], b.items_[i])) return false;
    for (size_t i = 0; i < a.members_.size(); i++)
        if (a.members_[i].first != b.members_[i].first || !child(a.members_[i].second, b.members_[i].second))
            return false;
    return true;
}

bool Value::operator==(const Value &o) const {
    if (this == &o) return true;
    CompareList deeper;
    if (!equal_level(*this, o, 0, deeper)) return false;
    while (!deeper.empty()) {
        auto [a, b] = deeper.back();
        deeper.pop_back();
        if (!equal_level(*a, *b, 0, deeper)) return false;
    }
    return true;
}

int nesting_depth(const Value &v) {
    if (!v.is_container()) return 0;
    int deepest = 1;
    std::vector<std::pair<const Value *, int>> todo{{&v, 1}};
    while (!todo.empty()) {
        auto [n, d] = todo.back();
        todo.pop_back();
        deepest = std::max(deepest, d);
        poll();
        for (const Value &c : n->items())
            if (c.is_container()) todo.emplace_back(&c, d + 1);
        for (const Member &m : n->members())
            if (m.second.is_container()) todo.emplace_back(&m.second, d + 1);
    }
    return deepest;
}

}  // namespace tscore
