// version_hash_test.cpp — the version hash is an on-disk contract: a fixed
// input must always give the recorded digest, and every field must count.
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/version_hash.hpp"

using namespace tscore;

namespace {

std::string hex(const Digest &d) { return to_hex(d.data(), d.size()); }

Digest digest_of(const std::string &s) { return sha256(s.data(), s.size()); }

// {"a": 1, "bb": [true, null, "x", 1.50], "ccc": {}}
Value sample_state() {
    Value bb = Value::array();
    bb.items().push_back(Value::boolean(true));
    bb.items().push_back(Value::null());
    bb.items().push_back(Value::string("x"));
    bb.items().push_back(Value::number("1.50"));
    Value v = Value::object();
    v.set("ccc", Value::object());
    v.set("a", Value::number("1"));
    v.set("bb", std::move(bb));
    return v;
}

Value sample_metadata() {
    Value m = Value::object();
    m.set("ticket", Value::string("OPS-7"));
    m.set("größe", Value::boolean(false));
    return m;
}

struct Fixture {
    Value state = sample_state();
    Value metadata = sample_metadata();
    VersionHashInput in;
    Fixture() {
        in.parents = {digest_of("parent-1")};
        in.state = &state;
        in.author = "alice";
        in.message = std::string("first commit");
        in.metadata = &metadata;
        in.committed_at_unix_us = 1793534400000000;  // 2026-11-01 12:00:00 UTC
    }
    std::string hash() const { return hex(version_hash(in)); }
};

Value nested_arrays(int depth) {
    Value v = Value::array();
    for (int i = 1; i < depth; ++i) {
        Value outer = Value::array();
        outer.items().push_back(std::move(v));
        v = std::move(outer);
    }
    return v;
}

}  // namespace

// These digests are the stored contract of hash format 1. They were also
// checked against an independent implementation of the documented
// encoding. If this test fails, the encoding changed: existing hashes would
// no longer verify. Bump kHashFormat instead of editing these values.
TEST(VersionHash, FormatOneIsStable) {
    Fixture f;
    EXPECT_EQ(f.hash(), "f5ff0a3c660736c47180d141348e9d05562f7b665fce3aacf7ef8ea43871818e");

    // Version 1: no parents, NULL message, {} metadata, a scalar state.
    Value state = Value::string("hello");
    VersionHashInput in;
    in.state = &state;
    in.author = "postgres";
    in.committed_at_unix_us = 0;
    EXPECT_EQ(hex(version_hash(in)), "326e2431949bf496cd79217360b0d39a6b5b782d4255794676c432fbf6427f80");
}

TEST(VersionHash, Deterministic) {
    Fixture a, b;
    EXPECT_EQ(a.hash(), b.hash());
    // Building the same object in a different insertion order is the same tree.
    Value other = Value::object();
    other.set("a", Value::number("1"));
    other.set("bb", a.state.find("bb") ? *a.state.find("bb") : Value());
    other.set("ccc", Value::object());
    b.in.state = &other;
    EXPECT_EQ(a.hash(), b.hash());
}

TEST(VersionHash, EveryFieldCounts) {
    Fixture base;
    const std::string h = base.hash();
    auto differs = [&](auto change) {
        Fixture f;
        change(f);
        return f.hash() != h;
    };
    EXPECT_TRUE(differs([](Fixture &f) { f.in.parents.clear(); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.parents[0][31] ^= 1; }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.parents.push_back(digest_of("parent-2")); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.state.set("a", Value::number("2")); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.state.set("a", Value::number("1.0")); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.state.set("a", Value::string("1")); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.state.set("d", Value::null()); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.state.erase("ccc"); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.state.set("ccc", Value::array()); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.author = "bob"; }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.author = ""; }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.message = std::string("first commit!"); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.message.reset(); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.metadata.set("ticket", Value::string("OPS-8")); }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.committed_at_unix_us += 1; }));
    EXPECT_TRUE(differs([](Fixture &f) { f.in.committed_at_unix_us = -f.in.committed_at_unix_us; }));
}

TEST(VersionHash, NullMessageDiffersFromEmpty) {
    Fixture a, b;
    a.in.message.reset();
    b.in.message = std::string();
    EXPECT_NE(a.hash(), b.hash());
}

TEST(VersionHash, ParentOrderCounts) {
    Fixture a, b;
    a.in.parents = {digest_of("x"), digest_of("y")};
    b.in.parents = {digest_of("y"), digest_of("x")};
    EXPECT_NE(a.hash(), b.hash());
}

TEST(VersionHash, FieldsDoNotRunTogether) {
    Fixture a, b;
    a.in.author = "ab";
    a.in.message = std::string("c");
    b.in.author = "a";
    b.in.message = std::string("bc");
    EXPECT_NE(a.hash(), b.hash());

    // ["ab"] vs ["a", "b"], {"a": "b"} vs ["a", "b"]
    Value x = Value::array(), y = Value::array(), z = Value::object();
    x.items().push_back(Value::string("ab"));
    y.items().push_back(Value::string("a"));
    y.items().push_back(Value::string("b"));
    z.set("a", Value::string("b"));
    Fixture fx, fy, fz;
    fx.in.state = &x;
    fy.in.state = &y;
    fz.in.state = &z;
    EXPECT_NE(fx.hash(), fy.hash());
    EXPECT_NE(fy.hash(), fz.hash());
}

TEST(VersionHash, MissingMetadataIsEmptyObject) {
    Fixture a, b;
    Value empty = Value::object();
    a.in.metadata = nullptr;
    b.in.metadata = &empty;
    EXPECT_EQ(a.hash(), b.hash());
    Value null_meta;
    b.in.metadata = &null_meta;
    EXPECT_NE(a.hash(), b.hash());
}

TEST(VersionHash, MissingStateIsAnError) {
    Fixture f;
    f.in.state = nullptr;
    EXPECT_THROW(version_hash(f.in), Error);
}

TEST(VersionHash, DepthIsBounded) {
    Fixture f;
    Value ok = nested_arrays(kMaxDepth);
    f.in.state = &ok;
    EXPECT_NO_THROW(version_hash(f.in));
    Value deep = nested_arrays(kMaxDepth + 1);
    f.in.state = &deep;
    try {
        version_hash(f.in);
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::TooDeep);
    }
}

TEST(VersionHash, LargeStringsStreamTheSameAsSmallOnes) {
    // Strings below, at and above the writer's buffer size.
    for (size_t n : {0, 1, 4095, 4096, 4097, 100000}) {
        Value s = Value::string(std::string(n, 'q'));
        Fixture a, b;
        a.in.state = &s;
        b.in.state = &s;
        EXPECT_EQ(a.hash(), b.hash());
        Value t = Value::string(std::string(n, 'q') + "r");
        b.in.state = &t;
        EXPECT_NE(a.hash(), b.hash());
    }
}

// A state streamed through StateHashWriter (the glue walks jsonb that
// way) hashes exactly like the same state given as a tree.
TEST(VersionHash, StreamedStateHashesLikeTheTree) {
    VersionHashInput tree;
    Value state = sample_state();
    tree.state = &state;
    tree.author = "alice";
    tree.committed_at_unix_us = 1700000000000000;
    VersionHashInput streamed = tree;
    streamed.state = nullptr;
    streamed.write_state = [](StateHashWriter &w) {
        // {"a": 1, "bb": [true, null, "x", 1.50], "ccc": {}} in jsonb key order
        w.open_object(3);
        w.key("a");
        w.number("1");
        w.key("bb");
        w.open_array(4);
        w.boolean(true);
        w.null();
        w.string("x");
        w.number("1.50");
        w.key("ccc");
        w.open_object(0);
    };
    EXPECT_EQ(hex(version_hash(streamed)), hex(version_hash(tree)));
    streamed.write_state = [](StateHashWriter &w) { w.open_object(0); };
    EXPECT_NE(hex(version_hash(streamed)), hex(version_hash(tree)));
}
