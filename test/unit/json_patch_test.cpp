// Tests of RFC 6901 pointers, RFC 6902 apply and diff, RFC 7396 merge patch.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/json_patch.hpp"
#include "json_test_support.hpp"

using namespace tscore;
using tscore::test::J;

namespace {

Value apply(const char *doc, const char *patch) { return apply_json_patch(J(doc), J(patch)); }

// The InvalidPatch message apply raises, or "" when it succeeds.
std::string patch_error(const char *doc, const char *patch) {
    try {
        apply(doc, patch);
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidPatch) << e.what();
        return e.what();
    }
    return "";
}

void expect_diff_round_trip(const Value &a, const Value &b) {
    Value patch = json_diff(a, b);
    Value result = apply_json_patch(a, patch);
    EXPECT_TRUE(result == b) << "a: " << to_json(a) << "\nb: " << to_json(b) << "\npatch: " << to_json(patch)
                             << "\nresult: " << to_json(result);
}

}  // namespace

TEST(JsonPointer, ParseAndFormat) {
    EXPECT_EQ(parse_pointer(""), Path{});
    EXPECT_EQ(parse_pointer("/"), Path{""});
    EXPECT_EQ(parse_pointer("/a~1b/0/~0~1/"), (Path{"a/b", "0", "~/", ""}));
    EXPECT_EQ(parse_pointer("/~01"), Path{"~1"});  // not "/"
    EXPECT_EQ(format_pointer(Path{"a/b", "0", "~/", ""}), "/a~1b/0/~0~1/");
    EXPECT_EQ(format_pointer({}), "");
    for (const char *bad : {"a", "a/b", "/~", "/~2", "/a~"})
        EXPECT_EQ(test::error_kind([&] { parse_pointer(bad); }), ErrorKind::InvalidPatch) << bad;
}

TEST(JsonPatch, AddReplacesRootAndMembersAndInserts) {
    EXPECT_EQ(apply(R"({"a":1})", R"([{"op":"add","path":"","value":[1]}])"), J("[1]"));
    EXPECT_EQ(apply(R"({"a":1})", R"([{"op":"add","path":"/a","value":2}])"), J(R"({"a":2})"));
    EXPECT_EQ(apply(R"({"a":1})", R"([{"op":"add","path":"/b","value":{"c":[]}}])"), J(R"({"a":1,"b":{"c":[]}})"));
    EXPECT_EQ(apply("[1,3]", R"([{"op":"add","path":"/1","value":2}])"), J("[1,2,3]"));
    EXPECT_EQ(apply("[1,3]", R"([{"op":"add","path":"/2","value":4}])"), J("[1,3,4]"));
    EXPECT_EQ(apply("[1,3]", R"([{"op":"add","path":"/-","value":4}])"), J("[1,3,4]"));
    EXPECT_EQ(apply("5", R"([{"op":"add","path":"","value":6}])"), J("6"));
}

TEST(JsonPatch, RemoveReplaceMoveCopyTest) {
    EXPECT_EQ(apply(R"({"a":1,"b":2})", R"([{"op":"remove","path":"/a"}])"), J(R"({"b":2})"));
    EXPECT_EQ(apply("[1,2,3]", R"([{"op":"remove","path":"/1"}])"), J("[1,3]"));
    EXPECT_EQ(apply(R"({"a":1})", R"([{"op":"replace","path":"/a","value":null}])"), J(R"({"a":null})"));
    EXPECT_EQ(apply(R"({"a":1})", R"([{"op":"replace","path":"","value":"x"}])"), J(R"("x")"));
    EXPECT_EQ(apply(R"({"a":{"b":1},"c":[]})", R"([{"op":"move","from":"/a/b","path":"/c/0"}])"),
              J(R"({"a":{},"c":[1]})"));
    EXPECT_EQ(apply("[1,2,3]", R"([{"op":"move","from":"/0","path":"/2"}])"), J("[2,3,1]"));
    EXPECT_EQ(apply(R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":""}])"), J(R"({"b":1})"));
    EXPECT_EQ(apply(R"({"a":{"b":1}})", R"([{"op":"copy","from":"/a","path":"/a/c"}])"),
              J(R"({"a":{"b":1,"c":{"b":1}}})"));
    EXPECT_EQ(apply(R"({"a":[1,{"b":1.0}]})", R"([{"op":"test","path":"/a","value":[1,{"b":1.0}]}])"),
              J(R"({"a":[1,{"b":1.0}]})"));
}

TEST(JsonPatch, OperationsApplyInOrder) {
    EXPECT_EQ(apply("[]", R"([{"op":"add","path":"/-","value":1},{"op":"add","path":"/0","value":0},
                              {"op":"test","path":"/1","value":1},{"op":"remove","path":"/0"}])"),
              J("[1]"));
}

TEST(JsonPatch, TestUsesExactEquality) {
    EXPECT_NE(patch_error(R"({"a":1})", R"([{"op":"test","path":"/a","value":1.0}])"), "");
    EXPECT_NE(patch_error(R"({"a":1})", R"([{"op":"test","path":"/a","value":"1"}])"), "");
    EXPECT_EQ(patch_error(R"({"a":1.0})", R"([{"op":"test","path":"/a","value":1.0}])"), "");
}

TEST(JsonPatch, MalformedPatchesAreRejected) {
    const char *bad[] = {
        R"({"op":"add","path":"/a","value":1})",  // not an array
        R"([1])",
        R"([{"path":"/a","value":1}])",
        R"([{"op":1,"path":"/a","value":1}])",
        R"([{"op":"spam","path":"/a","value":1}])",
        R"([{"op":"ADD","path":"/a","value":1}])",
        R"([{"op":"add","value":1}])",
        R"([{"op":"add","path":null,"value":1}])",
        R"([{"op":"add","path":"a","value":1}])",
        R"([{"op":"add","path":"/a~2","value":1}])",
        R"([{"op":"add","path":"/a"}])",
        R"([{"op":"replace","path":"/a"}])",
        R"([{"op":"test","path":"/a"}])",
        R"([{"op":"move","path":"/a"}])",
        R"([{"op":"copy","path":"/a","from":5}])",
    };
    for (const char *p : bad) EXPECT_NE(patch_error(R"({"a":1})", p), "") << p;
}

TEST(JsonPatch, FailingOperationsAreRejected) {
    struct Case {
        const char *doc, *patch;
    } cases[] = {
        {R"({"a":1})", R"([{"op":"remove","path":"/b"}])"},
        {R"({"a":1})", R"([{"op":"remove","path":""}])"},
        {R"({"a":1})", R"([{"op":"replace","path":"/b","value":1}])"},
        {R"({"a":1})", R"([{"op":"add","path":"/b/c","value":1}])"},
        {R"({"a":1})", R"([{"op":"add","path":"/a/c","value":1}])"},  // parent is a scalar
        {R"({"a":1})", R"([{"op":"test","path":"/a","value":2}])"},
        {R"({"a":1})", R"([{"op":"test","path":"/b","value":null}])"},
        {R"({"a":1})", R"([{"op":"move","from":"/b","path":"/c"}])"},
        {R"({"a":1})", R"([{"op":"copy","from":"/b","path":"/c"}])"},
        {R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a/c"}])"},  // into own child
        {R"({"a":{"b":1}})", R"([{"op":"move","from":"","path":"/a/c"}])"},
        {"[1,2]", R"([{"op":"add","path":"/3","value":1}])"},
        {"[1,2]", R"([{"op":"add","path":"/01","value":1}])"},
        {"[1,2]", R"([{"op":"add","path":"/-1","value":1}])"},
        {"[1,2]", R"([{"op":"add","path":"/+1","value":1}])"},
        {"[1,2]", R"([{"op":"add","path":"/ 1","value":1}])"},
        {"[1,2]", R"([{"op":"add","path":"/99999999999999999999999","value":1}])"},
        {"[1,2]", R"([{"op":"remove","path":"/-"}])"},
        {"[1,2]", R"([{"op":"replace","path":"/-","value":1}])"},
        {"[1,2]", R"([{"op":"test","path":"/-","value":2}])"},
        {"[1,2]", R"([{"op":"remove","path":"/2"}])"},
        {"[1,2]", R"([{"op":"test","path":"/00","value":1}])"},
        {"[1,2]", R"([{"op":"add","path":"/-/0","value":1}])"},
        {"[1,2]", R"([{"op":"add","path":"/a","value":1}])"},
        {"5", R"([{"op":"add","path":"/a","value":1}])"},
    };
    for (const Case &c : cases) EXPECT_NE(patch_error(c.doc, c.patch), "") << c.doc << " " << c.patch;
}

TEST(JsonPatch, ErrorsNameTheOperationIndex) {
    std::string msg =
        patch_error(R"({"a":1})", R"([{"op":"test","path":"/a","value":1},{"op":"remove","path":"/zz"}])");
    EXPECT_NE(msg.find("index 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/zz"), std::string::npos) << msg;
    try {
        apply(R"({"a":1})", R"([{"op":"spam","path":"/a"}])");
        FAIL();
    } catch (const Error &e) {
        EXPECT_NE(std::string(e.what()).find("index 0"), std::string::npos) << e.what();
        EXPECT_NE(e.detail().find("spam"), std::string::npos) << e.detail();
        // PostgreSQL style: no trailing period, lower case start.
        EXPECT_NE(std::string(e.what()).back(), '.');
    }
}

TEST(JsonPatch, InputDocumentIsNotModifiedOnFailure) {
    const Value doc = J(R"({"a":[1,2]})");
    EXPECT_THROW(apply_json_patch(doc, J(R"([{"op":"remove","path":"/a/0"},{"op":"remove","path":"/x"}])")),
                 Error);
    EXPECT_EQ(doc, J(R"({"a":[1,2]})"));
}

TEST(JsonDiff, SmallEditsGiveSmallPatches) {
    EXPECT_EQ(json_diff(J(R"({"a":1,"b":[1,2,3]})"), J(R"({"a":1,"b":[1,2,3]})")), J("[]"));
    EXPECT_EQ(json_diff(J(R"({"a":1,"b":{"c":2}})"), J(R"({"a":1,"b":{"c":3}})")),
              J(R"([{"op":"replace","path":"/b/c","value":3}])"));
    EXPECT_EQ(json_diff(J(R"({"a":1})"), J(R"({"b":1})")),
              J(R"([{"op":"remove","path":"/a"},{"op":"add","path":"/b","value":1}])"));
    EXPECT_EQ(json_diff(J("[1,2,3,4]"), J("[1,2,9,3,4]")), J(R"([{"op":"add","path":"/2","value":9}])"));
    EXPECT_EQ(json_diff(J("[1,2,3,4]"), J("[1,3,4]")), J(R"([{"op":"remove","path":"/1"}])"));
    EXPECT_EQ(json_diff(J(R"([{"a":1},{"b":2}])"), J(R"([{"a":1},{"b":3}])")),
              J(R"([{"op":"replace","path":"/1/b","value":3}])"));
    EXPECT_EQ(json_diff(J(R"({"a/b":{"~":1}})"), J(R"({"a/b":{"~":2}})")),
              J(R"([{"op":"replace","path":"/a~1b/~0","value":2}])"));
}

TEST(JsonDiff, ExactNumbersAndKinds) {
    EXPECT_EQ(json_diff(J(R"({"a":1})"), J(R"({"a":1.0})")), J(R"([{"op":"replace","path":"/a","value":1.0}])"));
    EXPECT_EQ(json_diff(J(R"({"a":true})"), J(R"({"a":false})")),
              J(R"([{"op":"replace","path":"/a","value":false}])"));
    EXPECT_EQ(json_diff(J(R"({"a":[]})"), J(R"({"a":{}})")), J(R"([{"op":"replace","path":"/a","value":{}}])"));
}

TEST(JsonDiff, RootReplacement) {
    EXPECT_EQ(json_diff(J(R"({"a":1})"), J("[1]")), J(R"([{"op":"replace","path":"","value":[1]}])"));
    EXPECT_EQ(json_diff(J("1"), J("2")), J(R"([{"op":"replace","path":"","value":2}])"));
    EXPECT_EQ(json_diff(J("null"), J("null")), J("[]"));
    expect_diff_round_trip(J("\"x\""), J("{\"x\":[]}"));
    expect_diff_round_trip(J("[]"), J("null"));
}

TEST(JsonDiff, ArraysOfDifferentLengths) {
    const char *pairs[][2] = {
        {"[]", "[1,2,3]"},          {"[1,2,3]", "[]"},          {"[1,2,3]", "[3,2,1]"},
        {"[1,2,3,4,5]", "[1,9,5]"}, {"[1,9,5]", "[1,2,3,4,5]"}, {"[1,1,1]", "[1,1]"},
        {"[1,1]", "[1,1,1]"},       {"[[1],[2]]", "[[2]]"},     {"[{\"a\":1},2]", "[{\"a\":2},3,4]"},
    };
    for (auto &p : pairs) expect_diff_round_trip(J(p[0]), J(p[1]));
}

TEST(JsonDiff, RandomDocumentsRoundTrip) {
    std::mt19937 rng(12345);
    for (int i = 0; i < 3000; i++) {
        Value a = test::random_doc(rng, 4);
        Value b = a;
        test::mutate(b, rng, 1 + i % 4);
        expect_diff_round_trip(a, b);
        expect_diff_round_trip(b, a);
        EXPECT_EQ(json_diff(a, a), J("[]"));
        if (i % 10 == 0) expect_diff_round_trip(a, test::random_doc(rng, 4));
        if (HasFailure()) break;
    }
}

TEST(MergePatch, Rfc7396Examples) {
    Value target = J(R"({"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},
                        "tags":["example","sample"],"content":"This will be unchanged"})");
    Value patch = J(R"({"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},
                       "tags":["example"]})");
    EXPECT_EQ(apply_merge_patch(target, patch),
              J(R"({"title":"Hello!","author":{"givenName":"John"},"tags":["example"],
                    "content":"This will be unchanged","phoneNumber":"+01-123-456-7890"})"));
    EXPECT_EQ(apply_merge_patch(J(R"({"a":"b"})"), J(R"({"a":null,"b":{"c":null,"d":1}})")),
              J(R"({"b":{"d":1}})"));
    EXPECT_EQ(apply_merge_patch(J("[1]"), J(R"({"a":1})")), J(R"({"a":1})"));
    EXPECT_EQ(apply_merge_patch(J(R"({"a":1})"), J("[null]")), J("[null]"));
    EXPECT_EQ(apply_merge_patch(J(R"({"a":1})"), J("{}")), J(R"({"a":1})"));
    EXPECT_EQ(apply_merge_patch(J(R"({"a":1.0})"), J(R"({"b":1})")), J(R"({"a":1.0,"b":1})"));
}

TEST(JsonPatchDepth, MaxDepthDocumentsDiffAndApply) {
    test::run_with_stack([] {
        for (bool arrays : {false, true}) {
            Value a = test::deep_chain(kMaxDepth, Value::number("1"), arrays);
            Value b = test::deep_chain(kMaxDepth, Value::number("2"), arrays);
            Value patch = json_diff(a, b);
            ASSERT_EQ(patch.items().size(), 1u);
            EXPECT_TRUE(apply_json_patch(a, patch) == b);
            EXPECT_TRUE(json_diff(a, a).items().empty());
            // Merge patch: as deep as the patch itself.
            if (!arrays) {
                EXPECT_TRUE(apply_merge_patch(a, b) == b);
            }
        }
    });
}

TEST(JsonPatchDepth, TooDeepIsAnError) {
    test::run_with_stack([] {
        Value a = test::deep_chain(kMaxDepth + 1, Value::number("1"));
        Value b = test::deep_chain(kMaxDepth + 1, Value::number("2"));
        EXPECT_EQ(test::error_kind([&] { json_diff(a, b); }), ErrorKind::TooDeep);
        EXPECT_EQ(test::error_kind([&] { apply_merge_patch(a, b); }), ErrorKind::TooDeep);
        // A patch whose result would exceed the limit.
        Value doc = test::deep_chain(kMaxDepth, Value::null());
        std::string path;
        for (int i = 0; i < kMaxDepth; i++) path += "/a";
        Value patch = Value::array();
        Value op = Value::object();
        op.set("op", Value::string("add"));
        op.set("path", Value::string(path));
        op.set("value", Value::array());
        patch.items().push_back(op);
        EXPECT_EQ(test::error_kind([&] { apply_json_patch(doc, patch); }), ErrorKind::TooDeep);
        patch.items()[0].set("value", Value::number("1"));
        EXPECT_NO_THROW(apply_json_patch(doc, patch));
    });
}
