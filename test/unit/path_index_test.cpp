// Unit tests of the history index's path extraction (core/path_index).
#include <gtest/gtest.h>

#include "core/path_index.hpp"
#include "json_test_support.hpp"

using namespace tscore;
using namespace tscore::test;

namespace {

std::string show(const std::vector<PathRow> &rows) {
    std::string out;
    for (const PathRow &r : rows) {
        out += r.exact ? "=" : "~";
        out += format_pointer(r.path);
        out += " ";
    }
    return out;
}

ArrayLength lengths_of(const Value &after) {
    return [after](const Path &p) -> std::optional<size_t> {
        const Value *v = value_at(after, p);
        if (v && v->is_array()) return v->items().size();
        return std::nullopt;
    };
}

std::string diff_rows(const std::string &a, const std::string &b) {
    Value va = J(a), vb = J(b);
    return show(rows_from_diff(json_diff(va, vb), lengths_of(vb)));
}

}  // namespace

TEST(PathIndex, EncodingKeepsPrefixOrder) {
    Path a{"a"}, ab{"a", "b"}, ab2{"a", "b\x01"}, ac{"a", "c"}, weird{std::string("x\0y", 3), "\xff"};
    EXPECT_EQ(decode_path(encode_path(weird)), weird);
    EXPECT_EQ(decode_path(encode_path(Path{})), Path{});
    EXPECT_EQ(decode_path(encode_path(Path{""})), Path{""});
    std::string ea = encode_path(a), eab = encode_path(ab), eac = encode_path(ac), eab2 = encode_path(ab2);
    EXPECT_EQ(eab.compare(0, ea.size(), ea), 0);  // prefix
    std::string upper = *encode_path_upper(a);
    EXPECT_LT(ea, eab);
    EXPECT_LT(eab, upper);
    EXPECT_LT(eac, upper);
    // "ab" is not below "a"
    std::string e_ab = encode_path(Path{"ab"});
    EXPECT_FALSE(e_ab >= ea && e_ab < upper);
    EXPECT_LT(eab, eab2);
    EXPECT_FALSE(encode_path_upper(Path{}));
    for (char c : encode_path(weird)) EXPECT_NE((unsigned char)c, 0xFF);
    EXPECT_THROW(decode_path(std::string("a", 1)), Error);
}

TEST(PathIndex, FirstVersionListsEveryLeaf) {
    EXPECT_EQ(show(rows_for_state(J(R"({"a":{"b":1,"c":[]},"d":[true,{}]})"))), "=/a/b =/a/c =/d/0 =/d/1 ");
    EXPECT_EQ(show(rows_for_state(J("5"))), "= ");
    EXPECT_EQ(show(rows_for_state(J("{}"))), "= ");
}

TEST(PathIndex, DiffRows) {
    EXPECT_EQ(diff_rows(R"({"a":1,"b":2})", R"({"a":1,"b":3})"), "~/b ");
    EXPECT_EQ(diff_rows(R"({"a":1})", R"({"a":1,"n":{"x":1,"y":[2]}})"), "=/n/x =/n/y/0 ");
    EXPECT_EQ(diff_rows(R"({"a":{"x":1}})", R"({})"), "~/a ");
    EXPECT_EQ(diff_rows(R"({"a":1})", R"({"a":1})"), "");
    // Appending to an array shifts nothing; inserting in front shifts all.
    EXPECT_EQ(diff_rows(R"({"l":[1,2]})", R"({"l":[1,2,3]})"), "=/l/2 ");
    EXPECT_EQ(diff_rows(R"({"l":[1,2]})", R"({"l":[0,1,2]})"), "~/l ");
    EXPECT_EQ(diff_rows(R"({"l":[1,2,3]})", R"({"l":[1,2]})"), "~/l/2 ");
    EXPECT_EQ(diff_rows(R"({"l":[1,2,3]})", R"({"l":[2,3]})"), "~/l ");
    // Without array lengths every add/remove at an index shifts the array.
    Value d = json_diff(J(R"({"l":[1,2]})"), J(R"({"l":[1,2,3]})"));
    EXPECT_EQ(show(rows_from_diff(d, nullptr)), "~/l ");
    // An object whose keys look like indices.
    EXPECT_EQ(diff_rows(R"({"o":{"0":1}})", R"({"o":{"0":1,"1":2}})"), "=/o/1 ");
    // A type change at the root.
    EXPECT_EQ(diff_rows(R"({"a":1})", R"([1])"), "~ ");
}

TEST(PathIndex, CompactDiffForm) {
    Value compact = J(R"([[2,"/a/b",5],[0,"/c",{"d":true}],[1,"/e"]])");
    EXPECT_EQ(show(rows_from_diff(compact, nullptr)), "~/a/b =/c/d ~/e ");
}

TEST(PathIndex, GivenPatchesAreDiffedAtTheirPaths) {
    Value before = J(R"({"a":{"b":1,"c":2},"l":[1,2,3],"k":5})");
    // replace with the same value: no row; test: no row
    Value p1 = J(R"([{"op":"replace","path":"/k","value":5},{"op":"test","path":"/a/b","value":1}])");
    Value after1 = apply_json_patch(before, p1);
    EXPECT_EQ(show(rows_from_patch(before, after1, p1, false)), "");
    // replace an object by one differing in one leaf
    Value p2 = J(R"([{"op":"replace","path":"/a","value":{"b":1,"c":3}}])");
    EXPECT_EQ(show(rows_from_patch(before, apply_json_patch(before, p2), p2, false)), "~/a/c ");
    // insert in front of an array: the array
    Value p3 = J(R"([{"op":"add","path":"/l/0","value":0}])");
    EXPECT_EQ(show(rows_from_patch(before, apply_json_patch(before, p3), p3, false)), "~/l ");
    Value p4 = J(R"([{"op":"add","path":"/l/-","value":4}])");
    EXPECT_EQ(show(rows_from_patch(before, apply_json_patch(before, p4), p4, false)), "=/l/3 ");
    Value p6 = J(R"([{"op":"replace","path":"/l/1","value":9}])");
    EXPECT_EQ(show(rows_from_patch(before, apply_json_patch(before, p6), p6, false)), "~/l/1 ");
    Value p5 = J(R"([{"op":"move","from":"/k","path":"/m"}])");
    EXPECT_EQ(show(rows_from_patch(before, apply_json_patch(before, p5), p5, false)), "~/k =/m ");
    // merge patches: removing an absent key changes nothing
    Value m1 = J(R"({"zz":null,"a":{"c":2,"d":{"e":1}}})");
    EXPECT_EQ(show(rows_from_patch(before, apply_merge_patch(before, m1), m1, true)), "=/a/d/e ");
    Value m2 = J(R"({"a":null})");
    EXPECT_EQ(show(rows_from_patch(before, apply_merge_patch(before, m2), m2, true)), "~/a ");
}

TEST(PathIndex, LargeChangesCollapse) {
    std::string big = "{";
    for (int i = 0; i < 5000; i++) big += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":" + std::to_string(i);
    big += "}";
    EXPECT_EQ(show(rows_for_state(J(big))), "~ ");
    // an added value with many leaves stays one inexact row
    Value d = json_diff(J("{}"), J(R"({"x":)" + big + "}"));
    EXPECT_EQ(show(rows_from_diff(d, nullptr)), "~/x ");
}

TEST(PathIndex, LeavesInDocumentOrder) {
    std::string out;
    for_each_leaf(J(R"({"b":[1,{}],"a":{"c":null}})"), [&](const Path &p, const Value &v) {
        out += format_pointer(p) + "=" + (v.is_null() ? "null" : v.is_object() ? "{}" : v.text()) + " ";
    });
    EXPECT_EQ(out, "/a/c=null /b/0=1 /b/1={} ");
    std::string deep = std::string(10000, '[') + std::string(10000, ']');
    size_t n = 0;
    run_with_stack([&] { for_each_leaf(J(deep), [&](const Path &p, const Value &) { n = p.size(); }); });
    EXPECT_EQ(n, 9999u);
}
