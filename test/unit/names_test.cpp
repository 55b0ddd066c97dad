// names_test.cpp — store, branch and tag name rules (SPEC "Names").
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/revision.hpp"

using namespace tscore;

namespace {

bool store_ok(const std::string &name) {
    try {
        validate_store_name(name);
        return true;
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadName);
        EXPECT_FALSE(e.detail().empty());
        return false;
    }
}

bool ref_ok(const std::string &name) {
    try {
        validate_ref_name(name, "branch");
        return true;
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadName);
        EXPECT_FALSE(e.detail().empty());
        return false;
    }
}

}  // namespace

TEST(Names, StoreNameLengthInCharacters) {
    EXPECT_TRUE(store_ok("a"));
    EXPECT_TRUE(store_ok(std::string(63, 'a')));
    EXPECT_FALSE(store_ok(std::string(64, 'a')));
    EXPECT_FALSE(store_ok(""));
    // 63 two-byte characters: 126 bytes, still 63 characters.
    std::string umlauts;
    for (int i = 0; i < 63; ++i) umlauts += "ü";
    EXPECT_TRUE(store_ok(umlauts));
    EXPECT_FALSE(store_ok(umlauts + "ü"));
    EXPECT_TRUE(store_ok("\xF0\x9F\x98\x80"));  // U+1F600, one character
}

TEST(Names, StoreNamesAreVerbatim) {
    EXPECT_TRUE(store_ok("My Store"));
    EXPECT_TRUE(store_ok("HEAD"));
    EXPECT_TRUE(store_ok("42"));
    EXPECT_TRUE(store_ok("a~b^c:d@{e}..f"));
}

TEST(Names, StoreNameControlCharactersAndBadUtf8) {
    EXPECT_FALSE(store_ok("a\tb"));
    EXPECT_FALSE(store_ok("a\nb"));
    EXPECT_FALSE(store_ok(std::string("a\0b", 3)));
    EXPECT_FALSE(store_ok("a\x7f"));
    EXPECT_FALSE(store_ok("a\xC2\x85"));  // U+0085, a C1 control
    EXPECT_FALSE(store_ok("a\xff"));
    EXPECT_FALSE(store_ok("\xC0\xAF"));          // overlong "/"
    EXPECT_FALSE(store_ok("\xED\xA0\x80"));      // a surrogate
    EXPECT_FALSE(store_ok("\xE2\x82"));          // truncated
}

TEST(Names, StoreErrorMessage) {
    try {
        validate_store_name("");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "invalid store name \"\"");
    }
}

TEST(Names, RefNamesAccepted) {
    for (const char *name : {"main", "feature-x", "release/1.0", "v1.2", "v", "42x", "x42", "head",
                             "HEADS", "a.b", "user@host", "a{b}", "größe", "-1", "V42"})
        EXPECT_TRUE(ref_ok(name)) << name;
    EXPECT_TRUE(ref_ok(std::string(63, 'b')));
}

TEST(Names, RefNamesRejected) {
    for (const char *name : {"", "HEAD", "42", "0", "v42", "v0", "007", "a~b", "a^b", "a:b",
                             "a@{b", "a..b", "..", "a b", " a", "a\tb", "a\nb", "a\x7f"})
        EXPECT_FALSE(ref_ok(name)) << name;
    EXPECT_FALSE(ref_ok(std::string(64, 'b')));
    EXPECT_FALSE(ref_ok("a\xC2\xA0" "b"));      // no-break space
    EXPECT_FALSE(ref_ok("a\xE3\x80\x80" "b"));  // ideographic space
    EXPECT_FALSE(ref_ok("a\xE2\x80\xA8" "b"));  // line separator
    EXPECT_FALSE(ref_ok("99999999999999999999999"));  // version-like even past int64
}

TEST(Names, RefErrorMessageNamesTheKind) {
    try {
        validate_ref_name("x y", "tag");
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadName);
        EXPECT_STREQ(e.what(), "invalid tag name \"x y\"");
        EXPECT_EQ(e.detail(), "Names may not contain white space.");
    }
    try {
        validate_ref_name("HEAD", "branch");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "invalid branch name \"HEAD\"");
    }
}

TEST(Names, EveryValidRefNameParsesAsANameRevision) {
    for (const char *name : {"main", "feature-x", "v1.2", "user@host", "größe"}) {
        Revision r = parse_revision(name);
        EXPECT_EQ(r.base, Revision::Base::Name) << name;
        EXPECT_EQ(r.text, name);
    }
}
