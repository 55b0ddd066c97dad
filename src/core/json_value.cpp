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

// Children that have children of their own are moved to a heap worklist and
// emptied there, so no destructor ever recurses more than one level. Leaves
// and empty containers are freed by the vectors directly (the common case).
void Value::release_children() noexcept {
    auto has_children = [](const Value &v) { return !v.items_.empty() || !v.members_.empty(); };
    std::vector<Value> pending;
    auto detach = [&](Value &v) {
        for (Value &c : v.items_)
            if (has_children(c)) pending.push_back(std::move(c));
        for (Member &m : v.members_)
            if (has_children(m.second)) pending.push_back(std::move(m.second));
    };
    try {
        detach(*this);
        while (!pending.empty()) {
            Value v = std::move(pending.back());
            pending.pop_back();
            detach(v);
            v.items_.clear();  // only childless values left: no recursion
            v.members_.clear();
        }
    } catch (...) {
        // Out of memory for the worklist: what is left is freed recursively
        // by the ordinary member destructors, as a plain tree would be.
    }
}

// Breadth by level with a worklist of (destination, source) pairs. Each
// destination vector is reserved to its final size before pointers into it
// are taken, so they stay valid.
void Value::copy_children(const Value &o) {
    std::vector<std::pair<Value *, const Value *>> todo;
    auto shallow = [](const Value &s) {
        Value d;
        d.kind_ = s.kind_;
        d.text_ = s.text_;
        return d;
    };
    auto fill = [&](Value &d, const Value &s) {
        if (!s.items_.empty()) {
            d.items_.reserve(s.items_.size());
            for (const Value &c : s.items_) {
                d.items_.push_back(shallow(c));
                if (!c.items_.empty() || !c.members_.empty()) todo.emplace_back(&d.items_.back(), &c);
            }
        }
        if (!s.members_.empty()) {
            d.members_.reserve(s.members_.size());
            for (const Member &m : s.members_) {
                d.members_.emplace_back(m.first, shallow(m.second));
                const Value &c = m.second;
                if (!c.items_.empty() || !c.members_.empty())
                    todo.emplace_back(&d.members_.back().second, &c);
            }
        }
    };
    fill(*this, o);
    while (!todo.empty()) {
        auto [d, s] = todo.back();
        todo.pop_back();
        fill(*d, *s);
    }
}

// Depth-first with a worklist; stops at the first difference. Scalars and
// containers of scalars never allocate.
bool Value::operator==(const Value &o) const {
    std::vector<std::pair<const Value *, const Value *>> todo;
    const Value *a = this, *b = &o;
    for (;;) {
        if (a->kind_ != b->kind_ || a->text_ != b->text_) return false;
        if (a->items_.size() != b->items_.size() || a->members_.size() != b->members_.size()) return false;
        for (size_t i = 0; i < a->items_.size(); i++) {
            const Value &x = a->items_[i], &y = b->items_[i];
            if (x.kind_ != y.kind_) return false;
            if (x.is_container())
                todo.emplace_back(&x, &y);
            else if (x.text_ != y.text_)
                return false;
        }
        for (size_t i = 0; i < a->members_.size(); i++) {
            const Member &x = a->members_[i], &y = b->members_[i];
            if (x.first != y.first || x.second.kind_ != y.second.kind_) return false;
            if (x.second.is_container())
                todo.emplace_back(&x.second, &y.second);
            else if (x.second.text_ != y.second.text_)
                return false;
        }
        if (todo.empty()) return true;
        std::tie(a, b) = todo.back();
        todo.pop_back();
    }
}

int nesting_depth(const Value &v) {
    if (!v.is_container()) return 0;
    int deepest = 1;
    std::vector<std::pair<const Value *, int>> todo{{&v, 1}};
    while (!todo.empty()) {
        auto [n, d] = todo.back();
        todo.pop_back();
        deepest = std::max(deepest, d);
        for (const Value &c : n->items())
            if (c.is_container()) todo.emplace_back(&c, d + 1);
        for (const Member &m : n->members())
            if (m.second.is_container()) todo.emplace_back(&m.second, d + 1);
    }
    return deepest;
}

}  // namespace tscore
