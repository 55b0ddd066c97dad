// Tests of the core's limits (limits.hpp): the interrupt hook reaches every
// operation on input, the stack hook every recursive walk, the memory
// budget stops operations that build too much, and a version's state is
// refused past kMaxStateDepth.
#include <gtest/gtest.h>

#include <functional>

#include "core/errors.hpp"
#include "core/json_patch.hpp"
#include "core/limits.hpp"
#include "core/merge3.hpp"
#include "core/patch_compact.hpp"
#include "core/payload_codec.hpp"
#include "core/version_hash.hpp"
#include "json_test_support.hpp"

using namespace tscore;
using tscore::test::J;

namespace {

// What a test's hook throws, standing for the host's cancel.
struct Cancelled {};

int hook_calls = 0;
bool cancel = false;
void counting_hook() {
    hook_calls++;
    if (cancel) throw Cancelled{};
}

// Every test starts and ends with no hooks and no budget.
class Limits : public ::testing::Test {
protected:
    void SetUp() override { reset(); }
    void TearDown() override { reset(); }
    static void reset() {
        set_interrupt_hook(nullptr);
        set_stack_hook(nullptr);
        set_memory_budget(0);
        hook_calls = 0;
        cancel = false;
    }
};

// [0, 1, ..., n-1]
Value int_array(int n) {
    Value a = Value::array();
    for (int i = 0; i < n; i++) a.items().push_back(Value::number(std::to_string(i)));
    return a;
}

// {"k0": {"v": 0}, ...}
Value wide_object(int n, int salt = 0) {
    Value o = Value::object();
    for (int i = 0; i < n; i++) {
        Value m = Value::object();
        m.set("v", Value::number(std::to_string(i + salt)));
        o.set("k" + std::to_string(i), std::move(m));
    }
    return o;
}

// n operations {"op": "add", "path": "/a/0", "value": 1}.
Value front_adds(int n) {
    Value patch = Value::array();
    for (int i = 0; i < n; i++) {
        Value op = Value::object();
        op.set("op", Value::string("add"));
        op.set("path", Value::string("/a/0"));
        op.set("value", Value::number("1"));
        patch.items().push_back(std::move(op));
    }
    return patch;
}

// n operations {"op": "copy", "from": "", "path": "/-"}: each doubles [].
Value doubling_copies(int n) {
    Value patch = Value::array();
    for (int i = 0; i < n; i++) {
        Value op = Value::object();
        op.set("op", Value::string("copy"));
        op.set("from", Value::string(""));
        op.set("path", Value::string("/-"));
        patch.items().push_back(std::move(op));
    }
    return patch;
}

// The operations on input, each on an input large enough for many polls.
struct Case {
    const char *name;
    std::function<void()> run;
};

std::vector<Case> operations() {
    auto doc = std::make_shared<Value>(Value::object());
    doc->set("a", int_array(20000));
    auto wide = std::make_shared<Value>(wide_object(20000));
    auto wide2 = std::make_shared<Value>(wide_object(20000, 1));
    auto encoded = std::make_shared<std::string>(encode_value(*wide));
    auto text = std::make_shared<std::string>(to_json(*wide));
    return {
        {"apply_json_patch", [doc] { apply_json_patch(*doc, front_adds(200)); }},
        {"apply_compact_patch",
         [doc] { apply_compact_patch(*doc, *compact_patch(front_adds(200))); }},
        {"json_diff", [wide, wide2] { json_diff(*wide, *wide2); }},
        {"apply_merge_patch", [wide, wide2] { apply_merge_patch(*wide, *wide2); }},
        {"merge3", [wide, wide2] { merge3(*wide, *wide2, *wide, MergeStrategy::ThreeWay); }},
        {"copy", [wide] { Value copy = *wide; }},
        {"equality", [wide] { Value copy = *wide; EXPECT_TRUE(copy == *wide); }},
        {"nesting_depth", [wide] { nesting_depth(*wide); }},
        {"encode_value", [wide] { encode_value(*wide); }},
        {"decode_value", [encoded] { decode_value(*encoded); }},
        {"parse_json", [text] { parse_json(*text); }},
        {"to_json", [wide] { to_json(*wide); }},
        {"version_hash",
         [wide] {
             VersionHashInput in;
             in.state = wide.get();
             version_hash(in);
         }},
    };
}

}  // namespace

TEST_F(Limits, EveryOperationOnInputPollsTheInterruptHook) {
    for (const Case &c : operations()) {
        set_interrupt_hook(counting_hook);
        hook_calls = 0;
        c.run();
        EXPECT_GE(hook_calls, 2) << c.name;
    }
}

TEST_F(Limits, AThrowingHookAbortsEveryOperation) {
    for (const Case &c : operations()) {
        set_interrupt_hook(counting_hook);
        cancel = true;
        EXPECT_THROW(c.run(), Cancelled) << c.name;
        // Nothing is left half-done: the same operation runs again.
        cancel = false;
        EXPECT_NO_THROW(c.run()) << c.name;
    }
}

// 200 inserts at the front of a 20,000-element array move 4 million
// elements: the work counts per element moved, not per operation, so each
// insert (more than kPollInterval elements) runs the hook, and a cancel is
// seen after one insert, not after the whole patch.
TEST_F(Limits, InsertsPollPerElementMoved) {
    Value doc = Value::object();
    doc.set("a", int_array(20000));
    set_interrupt_hook(counting_hook);
    Value out = apply_json_patch(doc, front_adds(200));
    EXPECT_EQ(out.find("a")->items().size(), 20200u);
    EXPECT_GE(hook_calls, 200);
    // The same for removals.
    hook_calls = 0;
    Value removes = Value::array();
    for (int i = 0; i < 200; i++) removes.items().push_back(J(R"({"op": "remove", "path": "/a/0"})"));
    EXPECT_EQ(apply_json_patch(out, removes).find("a")->items().size(), 20000u);
    EXPECT_GE(hook_calls, 200);
}

TEST_F(Limits, TheStackHookRunsOnEveryLevelOfARecursiveWalk) {
    Value a = test::deep_chain(500, Value::number("1"));
    Value b = test::deep_chain(500, Value::number("2"));
    set_stack_hook(counting_hook);
    for (auto run : std::vector<std::function<void()>>{
             [&] { json_diff(a, b); },
             [&] { merge3(a, a, b, MergeStrategy::ThreeWay); },
             [&] { apply_merge_patch(a, b); },
         }) {
        hook_calls = 0;
        run();
        EXPECT_GE(hook_calls, 500);
        cancel = true;
        EXPECT_THROW(run(), Cancelled);
        cancel = false;
    }
}

TEST_F(Limits, ADoublingPatchStopsAtTheBudget) {
    set_memory_budget(1 << 20);  // 1 MB
    // 40 doublings would need terabytes; the budget stops them early.
    try {
        apply_json_patch(Value::array(), doubling_copies(40));
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::MemoryLimit);
        EXPECT_STREQ(e.what(), "JSON operation exceeds the memory limit of 1024 kB");
    }
    // 8 doublings (256 nodes) fit; 16 (65,536 nodes) do not.
    EXPECT_EQ(apply_json_patch(Value::array(), doubling_copies(8)).items().size(), 8u);
    EXPECT_EQ(test::error_kind([] { apply_json_patch(Value::array(), doubling_copies(16)); }),
              ErrorKind::MemoryLimit);
    // A larger budget lets 16 through.
    set_memory_budget(64u << 20);
    EXPECT_EQ(apply_json_patch(Value::array(), doubling_copies(16)).items().size(), 16u);
}

TEST_F(Limits, TheBudgetIsPerOperation) {
    Value big = wide_object(2000);
    set_memory_budget(1 << 20);
    {
        BudgetScope scope;
        Value copy = big;
        size_t one = budget_used();
        EXPECT_GT(one, 100000u);
        EXPECT_LT(one, 1u << 20);
    }
    // Each operation starts from zero: ten in a row all pass.
    for (int i = 0; i < 10; i++) EXPECT_NO_THROW(apply_merge_patch(Value::object(), big));
    // Outside any operation nothing is limited.
    std::vector<Value> copies(10, big);
    EXPECT_EQ(copies.size(), 10u);
}

TEST_F(Limits, EveryOperationThatBuildsValuesIsCharged) {
    Value wide = wide_object(20000);
    Value wide2 = wide_object(20000, 1);
    std::string encoded = encode_value(wide);
    std::string payload = encode_payload(PayloadKind::FullState, wide, EncodeOptions{});
    std::string text = to_json(wide);
    Value add_wide = Value::array();
    {
        Value op = Value::object();
        op.set("op", Value::string("add"));
        op.set("path", Value::string("/x"));
        op.set("value", wide);
        add_wide.items().push_back(std::move(op));
    }
    const DecodedPayload decoded = decode_payload(payload);
    set_memory_budget(256 << 10);  // 256 kB; each result below takes megabytes
    std::vector<Case> cases = {
        {"patch value", [&] { apply_json_patch(Value::object(), add_wide); }},
        {"merge patch", [&] { apply_merge_patch(Value::object(), wide); }},
        {"merge3", [&] { merge3(Value::object(), wide, wide2, MergeStrategy::Ours); }},
        {"json_diff", [&] { json_diff(Value::object(), wide); }},
        {"decode_value", [&] { decode_value(encoded); }},
        {"decode_payload", [&] { decode_payload(payload); }},
        {"apply_payload", [&] { apply_payload(Value(), decoded); }},
        {"parse_json", [&] { parse_json(text); }},
    };
    for (const Case &c : cases) EXPECT_EQ(test::error_kind(c.run), ErrorKind::MemoryLimit) << c.name;
    set_memory_budget(0);
    for (const Case &c : cases) EXPECT_EQ(test::error_kind(c.run), std::nullopt) << c.name;
}

TEST_F(Limits, AStateDeeperThanTheStoredLimitGetsNoHash) {
    VersionHashInput in;
    in.new_state = true;
    Value ok = test::deep_chain(kMaxStateDepth, Value::number("1"));
    in.state = &ok;
    EXPECT_NO_THROW(version_hash(in));
    Value deep = test::deep_chain(kMaxStateDepth + 1, Value::number("1"), true);
    in.state = &deep;
    try {
        version_hash(in);
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::TooDeep);
        EXPECT_EQ(std::string(e.what()), "state nesting exceeds the maximum depth of 10000 for a version");
        EXPECT_FALSE(e.hint().empty());
    }
    // An existing state (ts_verify) is hashed up to kMaxDepth.
    in.new_state = false;
    EXPECT_NO_THROW(version_hash(in));
}
