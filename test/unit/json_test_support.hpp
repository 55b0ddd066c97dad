// json_test_support.hpp — helpers shared by the JSON core's unit tests.
#pragma once

#include <pthread.h>

#include <random>

#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"
#include "core/json_value.hpp"

namespace tscore::test {

inline Value J(const std::string &text) { return parse_json(text); }

// AddressSanitizer's redzones make stack frames several times larger (the
// object step of json_diff: 160 bytes, 608 with gcc 12 and ASan), so an
// instrumented build (test/sanitize.sh) runs deep walks on a stack this many
// times larger; the depth limits tested stay the same.
#if defined(__SANITIZE_ADDRESS__)
#define TS_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TS_TEST_ASAN 1
#endif
#endif
#ifdef TS_TEST_ASAN
constexpr size_t kSanitizerStackScale = 4;
#else
constexpr size_t kSanitizerStackScale = 1;
#endif

// Runs fn on a fresh thread with exactly stack_bytes of stack (8 MB by
// default, a backend's usual limit; times kSanitizerStackScale) and rethrows
// what it threw, so deep recursion is tested against a known stack, whatever
// the test runner's is.
inline void run_with_stack(const std::function<void()> &fn, size_t stack_bytes = 8u << 20) {
    stack_bytes *= kSanitizerStackScale;
    struct Job {
        const std::function<void()> *fn;
        std::exception_ptr error;
    } job{&fn, nullptr};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stack_bytes);
    pthread_t thread;
    int rc = pthread_create(
        &thread, &attr,
        [](void *arg) -> void * {
            auto *j = static_cast<Job *>(arg);
            try {
                (*j->fn)();
            } catch (...) {
                j->error = std::current_exception();
            }
            return nullptr;
        },
        &job);
    pthread_attr_destroy(&attr);
    if (rc != 0) throw std::runtime_error("pthread_create failed");
    pthread_join(thread, nullptr);
    if (job.error) std::rethrow_exception(job.error);
}

// {"a": {"a": ... leaf}} with `levels` objects, or [[... leaf]] with
// `levels` arrays; built bottom-up without recursion.
inline Value deep_chain(int levels, Value leaf, bool arrays = false) {
    Value v = std::move(leaf);
    for (int i = 0; i < levels; i++) {
        Value c = arrays ? Value::array() : Value::object();
        if (arrays)
            c.items().push_back(std::move(v));
        else
            c.push_member_sorted("a", std::move(v));
        v = std::move(c);
    }
    return v;
}

inline std::string deep_text(int levels, const std::string &leaf, bool arrays = false) {
    std::string s;
    s.reserve(static_cast<size_t>(levels) * 6 + leaf.size());
    for (int i = 0; i < levels; i++) s += arrays ? "[" : "{\"a\":";
    s += leaf;
    s.append(static_cast<size_t>(levels), arrays ? ']' : '}');
    return s;
}

// The kind of the tscore::Error f throws; nullopt when it throws none.
template <typename F>
std::optional<ErrorKind> error_kind(F &&f) {
    try {
        f();
    } catch (const Error &e) {
        return e.kind();
    }
    return std::nullopt;
}

// A random document of small keys and values, up to `depth` levels.
inline Value random_doc(std::mt19937 &rng, int depth) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    static const char *scalars[] = {"0", "1", "1.0", "-2", "1e3"};
    static const char *keys[] = {"a", "b", "c", "dd", "e/f", "g~h", "", "0"};
    int kind = depth > 0 ? pick(8) : pick(5);
    switch (kind) {
        case 0: return Value::null();
        case 1: return Value::boolean(pick(2) == 1);
        case 2: return Value::number(scalars[pick(5)]);
        case 3:
        case 4: return Value::string(keys[pick(8)]);
        case 5: {
            Value a = Value::array();
            for (int i = pick(5); i > 0; i--) a.items().push_back(random_doc(rng, depth - 1));
            return a;
        }
        default: {
            Value o = Value::object();
            for (int i = pick(5); i > 0; i--) o.set(keys[pick(8)], random_doc(rng, depth - 1));
            return o;
        }
    }
}

// A few random edits somewhere in v: values replaced, keys or elements
// added or removed.
inline void mutate(Value &v, std::mt19937 &rng, int edits) {
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    for (int e = 0; e < edits; e++) {
        Value *cur = &v;
        // Walk down a random distance.
        while (cur->is_container() && pick(3) != 0) {
            if (cur->is_array() && !cur->items().empty())
                cur = &cur->items()[pick(cur->items().size())];
            else if (cur->is_object() && !cur->members().empty())
                cur = &cur->members()[pick(cur->members().size())].second;
            else
                break;
        }
        size_t what = pick(4);
        if (cur->is_array() && what < 2) {
            auto &items = cur->items();
            if (what == 0 || items.empty())
                items.insert(items.begin() + static_cast<long>(pick(items.size() + 1)), random_doc(rng, 2));
            else
                items.erase(items.begin() + static_cast<long>(pick(items.size())));
        } else if (cur->is_object() && what < 2) {
            if (what == 0 || cur->members().empty())
                cur->set(std::string(1, static_cast<char>('a' + pick(6))), random_doc(rng, 2));
            else
                cur->erase(cur->members()[pick(cur->members().size())].first);
        } else {
            *cur = random_doc(rng, 2);
        }
    }
}

}  // namespace tscore::test
