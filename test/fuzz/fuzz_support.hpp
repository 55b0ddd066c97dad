// fuzz_support.hpp — helpers shared by the libFuzzer targets in test/fuzz.
//
// FUZZ_CHECK aborts on a violated property, so libFuzzer reports it as a
// crash and saves the input. Bytes reads the fuzz input front to back and
// gives zeros once it is used up, so every input, however short, drives the
// generators deterministically. gen_tree builds a Value from bytes with a
// bounded depth (kGenDepth) and node count (kGenNodes): the recursive core
// walks (merge3, json_diff, merge patch) check kMaxDepth themselves, so the
// cap only keeps generated trees small enough for fast executions. Trees
// parsed from JSON text in a target are bounded by -max_len instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/json_value.hpp"
#include "core/utf8_scan.hpp"

#define FUZZ_CHECK(cond)                                                                         \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::fprintf(stderr, "property violated: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                        \
        }                                                                                        \
    } while (0)

// A tscore::Error of an unexpected kind is a finding too.
#define FUZZ_EXPECT_KIND(e, ...)                                                                   \
    do {                                                                                           \
        bool fuzz_ok_ = false;                                                                     \
        for (tscore::ErrorKind fuzz_k_ : {__VA_ARGS__}) fuzz_ok_ = fuzz_ok_ || (e).kind() == fuzz_k_; \
        if (!fuzz_ok_) {                                                                           \
            std::fprintf(stderr, "unexpected error kind %d: %s\n", int((e).kind()), (e).what());   \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

namespace fuzz {

using tscore::Value;

class Bytes {
public:
    Bytes(const uint8_t *data, size_t size) : p_(data), end_(data + size) {}
    bool empty() const { return p_ == end_; }
    size_t left() const { return size_t(end_ - p_); }
    uint8_t u8() { return p_ == end_ ? 0 : *p_++; }
    // A number in [0, n), n <= 256.
    size_t below(size_t n) { return n <= 1 ? 0 : u8() % n; }
    uint64_t u64() {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | u8();
        return v;
    }
    // Up to max bytes: a length byte, then that many bytes (fewer at the end).
    std::string str(size_t max) {
        size_t n = below(max + 1);
        n = n < left() ? n : left();
        std::string s(reinterpret_cast<const char *>(p_), n);
        p_ += n;
        return s;
    }
    std::string_view rest() {
        std::string_view s(reinterpret_cast<const char *>(p_), left());
        p_ = end_;
        return s;
    }

private:
    const uint8_t *p_;
    const uint8_t *end_;
};

constexpr int kGenDepth = 10;    // deepest generated nesting
constexpr int kGenNodes = 100;   // most values in one generated tree

struct GenOptions {
    bool raw_strings = false;    // strings, keys and numbers may be any bytes (not valid UTF-8 / JSON)
    bool unsorted = false;       // objects may have members out of key order or repeated
};

// Keys and strings drawn from a small pool, so separate trees share them
// and merges and patches meet the same keys; pointer-special characters
// and an index-like key included.
inline const std::vector<std::string> &key_pool() {
    static const std::vector<std::string> pool = {"a", "b", "c", "0", "1", "-", "", "a/b", "m~n", "aa", "\xc3\xa9", "10"};
    return pool;
}

inline const std::vector<std::string> &number_pool() {
    static const std::vector<std::string> pool = {"0", "1", "-0", "1.0", "1e3", "1E+2", "-12.5e-3", "2",
                                                  "123456789012345678901234567890.123456789"};
    return pool;
}

class TreeGen {
public:
    TreeGen(Bytes &in, GenOptions opt = {}) : in_(in), opt_(opt) {}

    Value tree(int depth = kGenDepth) {
        nodes_ = 0;
        return node(depth);
    }

    std::string key() {
        uint8_t b = in_.u8();
        if (b < 200 || !opt_.raw_strings) {
            if (b >= 240) return in_.str(4);  // a few bytes: still UTF-8 checked below
            return key_pool()[b % key_pool().size()];
        }
        return in_.str(6);
    }

    std::string text_key() {
        std::string k = key();
        if (!opt_.raw_strings && !tscore::utf8_valid(k)) return "x";
        return k;
    }

private:
    Value node(int depth) {
        ++nodes_;
        uint8_t b = in_.u8();
        int kind = (depth <= 0 || nodes_ >= kGenNodes) ? b % 6 : b % 8;
        switch (kind) {
            case 0: return Value::null();
            case 1: return Value::boolean(false);
            case 2: return Value::boolean(true);
            case 3: {
                uint8_t n = in_.u8();
                if (opt_.raw_strings && n >= 250) return Value::number(in_.str(4));
                return Value::number(number_pool()[n % number_pool().size()]);
            }
            case 4:
            case 5: return Value::string(text_key());
            case 6: {
                Value a = Value::array();
                for (size_t i = in_.below(5); i > 0; i--) a.items().push_back(node(depth - 1));
                return a;
            }
            default: {
                Value o = Value::object();
                for (size_t i = in_.below(5); i > 0; i--) {
                    std::string k = text_key();
                    if (opt_.unsorted && in_.u8() == 0xee)
                        o.push_member_sorted(std::move(k), node(depth - 1));  // maybe out of order
                    else
                        o.set(std::move(k), node(depth - 1));
                }
                return o;
            }
        }
    }

    Bytes &in_;
    GenOptions opt_;
    int nodes_ = 0;
};

// A few byte-driven edits of v: values replaced, members or elements added
// or removed, at a place reached by walking down from the root.
inline void mutate(Value &v, Bytes &in, int max_edits = 4) {
    TreeGen gen(in);
    for (size_t e = in.below(max_edits + 1); e > 0; e--) {
        Value *cur = &v;
        while (cur->is_container() && in.below(3) != 0) {
            if (cur->is_array() && !cur->items().empty())
                cur = &cur->items()[in.below(cur->items().size() < 256 ? cur->items().size() : 256)];
            else if (cur->is_object() && !cur->members().empty())
                cur = &cur->members()[in.below(cur->members().size() < 256 ? cur->members().size() : 256)].second;
            else
                break;
        }
        size_t what = in.below(4);
        if (cur->is_array() && what < 2) {
            auto &items = cur->items();
            if (what == 0 || items.empty())
                items.insert(items.begin() + long(in.below(items.size() + 1 < 256 ? items.size() + 1 : 256)),
                             gen.tree(3));
            else
                items.erase(items.begin() + long(in.below(items.size() < 256 ? items.size() : 256)));
        } else if (cur->is_object() && what < 2) {
            if (what == 0 || cur->members().empty())
                cur->set(gen.text_key(), gen.tree(3));
            else
                cur->erase(cur->members()[in.below(cur->members().size() < 256 ? cur->members().size() : 256)].first);
        } else {
            *cur = gen.tree(3);
        }
    }
}

// Splits data at its first NUL byte (which JSON text cannot contain):
// up to `parts` pieces, the last taking the rest.
inline std::vector<std::string_view> split_nul(const uint8_t *data, size_t size, size_t parts) {
    std::vector<std::string_view> out;
    std::string_view s(reinterpret_cast<const char *>(data), size);
    while (out.size() + 1 < parts) {
        size_t z = s.find('\0');
        if (z == std::string_view::npos) break;
        out.push_back(s.substr(0, z));
        s.remove_prefix(z + 1);
    }
    out.push_back(s);
    return out;
}

// parse_json, or nullopt on InvalidJson / TooDeep (the only errors it may
// raise).
inline std::optional<Value> try_parse(std::string_view text) {
    try {
        return tscore::parse_json(text);
    } catch (const tscore::Error &e) {
        FUZZ_EXPECT_KIND(e, tscore::ErrorKind::InvalidJson, tscore::ErrorKind::TooDeep);
        return std::nullopt;
    }
}

// What an operation gave: a value, or an error's kind and text.
struct Outcome {
    std::optional<Value> value;
    tscore::ErrorKind kind = tscore::ErrorKind::Invalid;
    std::string error;  // what() and detail

    bool operator==(const Outcome &o) const {
        if (value.has_value() != o.value.has_value()) return false;
        return value ? *value == *o.value : (kind == o.kind && error == o.error);
    }
};

// Runs f (returning a Value); a tscore::Error becomes the outcome. Other
// exceptions (std::bad_alloc, ...) propagate and count as crashes.
template <class F>
Outcome outcome(F &&f) {
    Outcome o;
    try {
        o.value = f();
    } catch (const tscore::Error &e) {
        o.kind = e.kind();
        o.error = std::string(e.what()) + " | " + e.detail();
    }
    return o;
}

// Whether every object in v has its members strictly in key_less order.
inline bool sorted_everywhere(const Value &v) {
    std::vector<const Value *> todo{&v};
    while (!todo.empty()) {
        const Value *c = todo.back();
        todo.pop_back();
        for (const Value &x : c->items()) todo.push_back(&x);
        const auto &m = c->members();
        for (size_t i = 0; i < m.size(); i++) {
            if (i > 0 && !tscore::key_less(m[i - 1].first, m[i].first)) return false;
            todo.push_back(&m[i].second);
        }
    }
    return true;
}

}  // namespace fuzz
