// json_value.hpp — the mutable JSON tree the core works on.
//
// Numbers are kept as their exact decimal text (as PostgreSQL's numeric_out
// writes it), so 1.0 and 1 stay different: values compare by their exact
// form, never numerically. Object members are kept sorted in jsonb's key
// order (shorter keys first, then bytewise), without duplicates, so lookups
// are binary searches and a tree converts to jsonb without re-sorting.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "limits.hpp"

namespace tscore {

// Deepest nesting the core accepts. Every recursive walk checks it, so a
// walk never uses more than kMaxDepth frames; PostgreSQL itself accepts
// about 15,000 levels with the default max_stack_depth.
constexpr int kMaxDepth = 16384;

enum class Kind : uint8_t { Null, False, True, Number, String, Array, Object };

class Value;
using Member = std::pair<std::string, Value>;

class Value {
public:
    Value() = default;  // null
    static Value null() { return Value(); }
    static Value boolean(bool b) { Value v; v.kind_ = b ? Kind::True : Kind::False; return v; }
    static Value number(std::string text) { Value v; v.kind_ = Kind::Number; v.text_ = std::move(text); return v; }
    static Value string(std::string s) { Value v; v.kind_ = Kind::String; v.text_ = std::move(s); return v; }
    static Value array() { Value v; v.kind_ = Kind::Array; return v; }
    static Value object() { Value v; v.kind_ = Kind::Object; return v; }

    // Copying, comparing and destroying recurse only a bounded number of
    // levels and continue deeper subtrees from a heap worklist, so a tree of
    // any depth never overflows the stack. A copy charges what it allocates
    // to the memory budget and polls for interrupts (limits.hpp).
    ~Value() {
        if (!items_.empty() || !members_.empty()) release_children();
    }
    Value(const Value &o) : kind_(o.kind_), text_(charged(o.text_)) {
        if (!o.items_.empty() || !o.members_.empty()) copy_children(o);
    }
    Value(Value &&o) noexcept = default;
    // A copy of a value without children that does not charge its text:
    // for a caller that has charged it (the copy of a tree's level).
    struct UnchargedLeaf {};
    Value(UnchargedLeaf, const Value &o) : kind_(o.kind_), text_(o.text_) {}
    // Both assignments go through a temporary, so assigning a value from
    // inside its own subtree (v = v.items()[0]) is safe.
    Value &operator=(const Value &o) {
        Value tmp(o);
        swap(tmp);
        return *this;
    }
    Value &operator=(Value &&o) noexcept {
        Value tmp(std::move(o));
        swap(tmp);
        return *this;
    }
    void swap(Value &o) noexcept {
        std::swap(kind_, o.kind_);
        text_.swap(o.text_);
        items_.swap(o.items_);
        members_.swap(o.members_);
    }

    Kind kind() const { return kind_; }
    bool is_null() const { return kind_ == Kind::Null; }
    bool is_bool() const { return kind_ == Kind::True || kind_ == Kind::False; }
    bool is_number() const { return kind_ == Kind::Number; }
    bool is_string() const { return kind_ == Kind::String; }
    bool is_array() const { return kind_ == Kind::Array; }
    bool is_object() const { return kind_ == Kind::Object; }
    bool is_container() const { return is_array() || is_object(); }

    // Number text or string contents.
    const std::string &text() const { return text_; }
    std::string &text() { return text_; }

    // Array elements.
    const std::vector<Value> &items() const { return items_; }
    std::vector<Value> &items() { return items_; }

    // Object members, sorted by key_less.
    const std::vector<Member> &members() const { return members_; }
    std::vector<Member> &members() { return members_; }

    // Object access (binary search). find returns nullptr when absent.
    const Value *find(std::string_view key) const;
    Value *find(std::string_view key);
    // Inserts or replaces; keeps members sorted.
    Value &set(std::string key, Value v);
    // Removes a key; returns false when absent.
    bool erase(std::string_view key);
    // Appends a member known to sort after all present ones (fast build path).
    void push_member_sorted(std::string key, Value v) { members_.emplace_back(std::move(key), std::move(v)); }

    // Exact equality (same kinds, same number text, same keys and values).
    bool operator==(const Value &o) const;
    bool operator!=(const Value &o) const { return !(*this == o); }

private:
    static const std::string &charged(const std::string &s) {
        charge(s.size());
        return s;
    }

    using CopyList = std::vector<std::pair<Value *, const Value *>>;
    using CompareList = std::vector<std::pair<const Value *, const Value *>>;
    void release_children() noexcept;
    void copy_children(const Value &o);
    static void release_level(Value &v, int depth, std::vector<Value> &deeper);
    static void copy_level(Value &d, const Value &s, int depth, CopyList &deeper);
    static bool equal_level(const Value &a, const Value &b, int depth, CompareList &deeper);
    bool has_children() const { return !items_.empty() || !members_.empty(); }

    Kind kind_ = Kind::Null;
    std::string text_;
    std::vector<Value> items_;
    std::vector<Member> members_;
};

// jsonb's key order: shorter first, then bytewise.
inline bool key_less(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return a.size() < b.size();
    return a.compare(b) < 0;
}

// JSON text I/O: used by tests, benchmarks and diagnostics (the extension
// itself converts directly between Jsonb and Value). parse_json throws
// Error(InvalidJson) or Error(TooDeep); numbers keep their literal text.
Value parse_json(std::string_view text);
std::string to_json(const Value &v);

// Appends s as a JSON string literal, escaped as jsonb's output does.
void append_json_string(std::string &out, std::string_view s);

// Nesting depth: 0 for a scalar, 1 for [] or {}, 2 for [[]], ... Iterative.
int nesting_depth(const Value &v);

// Throws Error(TooDeep); every recursive walk calls it past kMaxDepth.
[[noreturn]] void throw_too_deep();
// The same for a state deeper than kMaxStateDepth, which a version may
// not hold (see limits.hpp).
[[noreturn]] void throw_state_too_deep();

}  // namespace tscore
