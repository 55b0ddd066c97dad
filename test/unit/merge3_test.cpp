// Tests of the structural three-way merge.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/merge3.hpp"
#include "json_test_support.hpp"

using namespace tscore;
using tscore::test::J;

namespace {

MergeResult merge(const char *base, const char *ours, const char *theirs,
                  MergeStrategy s = MergeStrategy::ThreeWay) {
    return merge3(J(base), J(ours), J(theirs), s);
}

std::string paths(const MergeResult &r) { return conflict_paths_json(r.conflicts); }

}  // namespace

TEST(Merge3, ParseStrategy) {
    EXPECT_EQ(parse_merge_strategy("three_way"), MergeStrategy::ThreeWay);
    EXPECT_EQ(parse_merge_strategy("ours"), MergeStrategy::Ours);
    EXPECT_EQ(parse_merge_strategy("theirs"), MergeStrategy::Theirs);
    for (const char *bad : {"", "THREE_WAY", "fast_forward", "no_ff", "recursive"})
        EXPECT_EQ(test::error_kind([&] { parse_merge_strategy(bad); }), ErrorKind::Invalid) << bad;
}

TEST(Merge3, DifferentPathsCombine) {
    MergeResult r = merge(R"({"a":1,"b":1,"c":{"x":1,"y":1}})", R"({"a":2,"b":1,"c":{"x":2,"y":1}})",
                          R"({"a":1,"b":3,"c":{"x":1,"y":3},"d":4})");
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J(R"({"a":2,"b":3,"c":{"x":2,"y":3},"d":4})"));
}

TEST(Merge3, DeletionsOnOneSideApply) {
    MergeResult r = merge(R"({"a":1,"b":2,"c":3})", R"({"b":2,"c":3})", R"({"a":1,"b":2})");
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J(R"({"b":2})"));
}

TEST(Merge3, IdenticalChangesAreNotConflicts) {
    MergeResult r = merge(R"({"a":1,"b":[1]})", R"({"a":2,"b":[1,2]})", R"({"a":2,"b":[1,2]})");
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J(R"({"a":2,"b":[1,2]})"));
    r = merge(R"({"a":1})", "{}", "{}");  // both deleted
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J("{}"));
}

TEST(Merge3, SameKeyChangedDifferentlyConflicts) {
    MergeResult r = merge(R"({"a":{"b":1},"z":0})", R"({"a":{"b":2},"z":0})", R"({"a":{"b":3},"z":1})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    const Conflict &c = r.conflicts[0];
    EXPECT_EQ(c.path, (Path{"a", "b"}));
    EXPECT_EQ(c.base, J("1"));
    EXPECT_EQ(c.ours, J("2"));
    EXPECT_EQ(c.theirs, J("3"));
    EXPECT_EQ(r.merged, J(R"({"a":{"b":2},"z":1})"));  // three_way keeps ours at conflicts
    EXPECT_EQ(paths(r), R"([["a","b"]])");
}

TEST(Merge3, ExactNumbersDiffer) {
    MergeResult r = merge(R"({"a":1})", R"({"a":1.0})", R"({"a":1.00})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    r = merge(R"({"a":1})", R"({"a":1.0})", R"({"a":1})");
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J(R"({"a":1.0})"));
}

TEST(Merge3, ArraysAreSingleValues) {
    MergeResult r = merge(R"({"l":[1,2,3]})", R"({"l":[0,1,2,3]})", R"({"l":[1,2,3,4]})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_EQ(r.conflicts[0].path, Path{"l"});
    EXPECT_EQ(paths(r), R"([["l"]])");
}

TEST(Merge3, DeleteAgainstEditConflictsAtTheDeletedKey) {
    MergeResult r = merge(R"({"a":{"b":1,"c":1}})", R"({})", R"({"a":{"b":2,"c":1}})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    const Conflict &c = r.conflicts[0];
    EXPECT_EQ(c.path, Path{"a"});
    EXPECT_EQ(c.base, J(R"({"b":1,"c":1})"));
    EXPECT_FALSE(c.ours.has_value());
    EXPECT_EQ(c.theirs, J(R"({"b":2,"c":1})"));
    EXPECT_EQ(r.merged, J("{}"));  // ours: deleted

    r = merge(R"({"a":1})", R"({"a":2})", R"({})", MergeStrategy::Theirs);
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_FALSE(r.conflicts[0].theirs.has_value());
    EXPECT_EQ(r.merged, J("{}"));
}

TEST(Merge3, BothAddDifferentValuesConflict) {
    MergeResult r = merge("{}", R"({"n":1})", R"({"n":2})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_FALSE(r.conflicts[0].base.has_value());
    EXPECT_EQ(r.conflicts[0].ours, J("1"));
    EXPECT_EQ(r.conflicts[0].theirs, J("2"));
}

TEST(Merge3, ObjectsCreatedOnBothSidesMergeAgainstEmpty) {
    MergeResult r = merge(R"({"a":5})", R"({"a":{"x":1,"s":0}})", R"({"a":{"y":2,"s":0}})");
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J(R"({"a":{"x":1,"y":2,"s":0}})"));
    r = merge("{}", R"({"a":{"x":1}})", R"({"a":{"x":2}})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_EQ(r.conflicts[0].path, (Path{"a", "x"}));
    EXPECT_FALSE(r.conflicts[0].base.has_value());
    // Base is not an object at the root either.
    r = merge("[1]", R"({"x":1})", R"({"y":2})");
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J(R"({"x":1,"y":2})"));
}

TEST(Merge3, ObjectAgainstScalarConflictsWhereTheyStopBeingObjects) {
    MergeResult r = merge(R"({"a":{"b":1}})", R"({"a":{"b":2}})", R"({"a":7})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_EQ(r.conflicts[0].path, Path{"a"});
}

TEST(Merge3, RootConflicts) {
    MergeResult r = merge("1", "2", "3");
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_TRUE(r.conflicts[0].path.empty());
    EXPECT_EQ(paths(r), "[[]]");
    EXPECT_EQ(r.merged, J("2"));
    EXPECT_EQ(merge("1", "2", "3", MergeStrategy::Theirs).merged, J("3"));
    r = merge(R"({"a":1})", "[1]", R"({"a":2})");
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_TRUE(r.conflicts[0].path.empty());
    // One side unchanged: the other wins, whatever the kinds.
    r = merge(R"({"a":1})", R"({"a":1})", "[2]");
    EXPECT_TRUE(r.conflicts.empty());
    EXPECT_EQ(r.merged, J("[2]"));
}

TEST(Merge3, StrategiesResolveEveryConflictAndStillListThem) {
    const char *base = R"({"a":1,"b":{"c":1},"d":1,"e":[1]})";
    const char *ours = R"({"a":2,"b":{"c":2},"d":1,"e":[2]})";
    const char *theirs = R"({"a":3,"b":{"c":3},"d":5,"e":[3]})";
    MergeResult tw = merge(base, ours, theirs);
    MergeResult o = merge(base, ours, theirs, MergeStrategy::Ours);
    MergeResult t = merge(base, ours, theirs, MergeStrategy::Theirs);
    EXPECT_EQ(paths(tw), R"([["a"],["b","c"],["e"]])");
    EXPECT_EQ(paths(o), paths(tw));
    EXPECT_EQ(paths(t), paths(tw));
    EXPECT_EQ(o.merged, J(R"({"a":2,"b":{"c":2},"d":5,"e":[2]})"));
    EXPECT_EQ(t.merged, J(R"({"a":3,"b":{"c":3},"d":5,"e":[3]})"));
    EXPECT_EQ(tw.merged, o.merged);
}

TEST(Merge3, ConflictsAreInKeyOrder) {
    MergeResult r = merge(R"({"bb":1,"a":{"z":1,"y":1},"c":1})", R"({"bb":2,"a":{"z":2,"y":2},"c":2})",
                          R"({"bb":3,"a":{"z":3,"y":3},"c":3})");
    EXPECT_EQ(paths(r), R"([["a","y"],["a","z"],["c"],["bb"]])");
}

TEST(Merge3, ConflictPathsJsonEscapesKeys) {
    MergeResult r = merge(R"({"a\"b":{"c\\d":1}})", R"({"a\"b":{"c\\d":2}})", R"({"a\"b":{"c\\d":3}})");
    EXPECT_EQ(paths(r), R"([["a\"b","c\\d"]])");
    EXPECT_EQ(conflict_paths_json({}), "[]");
}

TEST(Merge3, RandomEditsOnOneSideTakeThatSide) {
    std::mt19937 rng(777);
    for (int i = 0; i < 2000; i++) {
        Value base = test::random_doc(rng, 4);
        Value side = base;
        test::mutate(side, rng, 1 + i % 3);
        MergeResult a = merge3(base, side, base, MergeStrategy::ThreeWay);
        MergeResult b = merge3(base, base, side, MergeStrategy::ThreeWay);
        MergeResult c = merge3(base, side, side, MergeStrategy::ThreeWay);
        EXPECT_TRUE(a.conflicts.empty() && b.conflicts.empty() && c.conflicts.empty());
        EXPECT_TRUE(a.merged == side && b.merged == side && c.merged == side)
            << to_json(base) << "\n" << to_json(side);
        // Swapping sides swaps ours and theirs but finds the same paths.
        Value other = base;
        test::mutate(other, rng, 2);
        MergeResult x = merge3(base, side, other, MergeStrategy::Ours);
        MergeResult y = merge3(base, other, side, MergeStrategy::Theirs);
        EXPECT_EQ(paths(x), paths(y));
        EXPECT_TRUE(x.merged == y.merged) << to_json(x.merged) << "\n" << to_json(y.merged);
        if (HasFailure()) break;
    }
}

TEST(Merge3Depth, MaxDepthDocumentsMerge) {
    test::run_with_stack([] {
        Value base = test::deep_chain(kMaxDepth, Value::number("1"));
        Value ours = test::deep_chain(kMaxDepth, Value::number("2"));
        Value theirs = test::deep_chain(kMaxDepth, Value::number("3"));
        MergeResult r = merge3(base, ours, base, MergeStrategy::ThreeWay);
        EXPECT_TRUE(r.conflicts.empty());
        EXPECT_TRUE(r.merged == ours);
        r = merge3(base, ours, theirs, MergeStrategy::Theirs);
        ASSERT_EQ(r.conflicts.size(), 1u);
        EXPECT_EQ(r.conflicts[0].path.size(), static_cast<size_t>(kMaxDepth));
        EXPECT_TRUE(r.merged == theirs);
    });
}

TEST(Merge3Depth, TooDeepIsAnError) {
    test::run_with_stack([] {
        Value base = test::deep_chain(kMaxDepth + 1, Value::number("1"));
        Value ours = test::deep_chain(kMaxDepth + 1, Value::number("2"));
        EXPECT_EQ(test::error_kind([&] { merge3(base, ours, base, MergeStrategy::ThreeWay); }),
                  ErrorKind::TooDeep);
    });
}
