// names_test.cpp — store, branch and tag name rules (SPEC "Names").
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/invisible_chars.hpp"
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

namespace {

// The UTF-8 encoding of one code point.
std::string utf8(int32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += char(cp);
    } else if (cp < 0x800) {
        s += char(0xC0 | (cp >> 6));
        s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += char(0xE0 | (cp >> 12));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    } else {
        s += char(0xF0 | (cp >> 18));
        s += char(0x80 | ((cp >> 12) & 0x3F));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    }
    return s;
}

}  // namespace

// Both ends of every range of the table, and the code points just outside.
TEST(Names, InvisibleCharacterBoundaries) {
    const std::pair<int32_t, int32_t> ranges[] = {
        {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x0600, 0x0605}, {0x061C, 0x061C}, {0x06DD, 0x06DD},
        {0x070F, 0x070F}, {0x0890, 0x0891}, {0x08E2, 0x08E2}, {0x115F, 0x1160}, {0x17B4, 0x17B5},
        {0x180B, 0x180F}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x206F}, {0x3164, 0x3164},
        {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFFB}, {0x110BD, 0x110BD},
        {0x110CD, 0x110CD}, {0x13430, 0x13438}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
        {0xE0000, 0xE0FFF}};
    for (auto [first, last] : ranges) {
        EXPECT_TRUE(is_invisible_char(first)) << std::hex << first;
        EXPECT_TRUE(is_invisible_char(last)) << std::hex << last;
        EXPECT_TRUE(is_invisible_char(first + (last - first) / 2)) << std::hex << first;
        EXPECT_FALSE(is_invisible_char(first - 1)) << std::hex << first - 1;
        EXPECT_FALSE(is_invisible_char(last + 1)) << std::hex << last + 1;
        EXPECT_FALSE(store_ok("a" + utf8(first) + "b")) << std::hex << first;
        EXPECT_FALSE(store_ok(utf8(last))) << std::hex << last;
        EXPECT_FALSE(ref_ok("a" + utf8(last) + "b")) << std::hex << last;
    }
    // Neighbours that must stay allowed in store names.
    for (int32_t cp : {0x00AC, 0x00AE, 0x200A /* hair space */, 0x202F /* narrow no-break space */,
                       0x205F, 0xFEFE, 0xFFFC, 0xFFFD, 0xE1000, 0x10FFFF})
        EXPECT_TRUE(store_ok("a" + utf8(cp) + "b")) << std::hex << cp;
    EXPECT_FALSE(is_invisible_char(0));
    EXPECT_FALSE(is_invisible_char('a'));
}

TEST(Names, InvisibleCharactersHaveAHint) {
    struct Case {
        std::string name, shown, detail;
    } cases[] = {
        {"a\xE2\x80\x8B" "b", "a<U+200B>b", "character 2 is U+200B"},  // zero width space
        {"\xE2\x80\xAE" "abc", "<U+202E>abc", "character 1 is U+202E"},  // right-to-left override
        {"\xEF\xBB\xBF" "x", "<U+FEFF>x", "character 1 is U+FEFF"},      // byte order mark
        {"ab\xE2\x80\xA8", "ab<U+2028>", "character 3 is U+2028"},       // line separator
        {"so\xC2\xAD" "ft", "so<U+00AD>ft", "character 3 is U+00AD"},    // soft hyphen
        {"t\xF3\xA0\x80\x81", "t<U+E0001>", "character 2 is U+E0001"},   // language tag
    };
    for (const Case &c : cases) {
        for (const char *what : {"store", "branch", "tag"}) {
            try {
                if (std::string(what) == "store")
                    validate_store_name(c.name);
                else
                    validate_ref_name(c.name, what);
                ADD_FAILURE() << c.shown << " accepted as a " << what << " name";
            } catch (const Error &e) {
                EXPECT_EQ(e.kind(), ErrorKind::BadName);
                EXPECT_EQ(std::string(e.what()), std::string("invalid ") + what + " name \"" + c.shown + "\"");
                EXPECT_NE(e.detail().find(c.detail), std::string::npos) << e.detail();
                EXPECT_NE(e.hint().find("look alike"), std::string::npos) << e.hint();
            }
        }
    }
    // In a revision, a name with one is a syntax error, with the same hint.
    try {
        parse_revision("ma\xE2\x80\x8Bin~1");
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadRevision);
        EXPECT_STREQ(e.what(), "invalid revision \"ma<U+200B>in~1\"");
        EXPECT_FALSE(e.hint().empty());
    }
}

TEST(Names, OrdinaryNonAsciiNamesStillWork) {
    for (const char *name : {"caf\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC", "\xD0\xBC\xD0\xB8\xD1\x80",
                             "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", "\xF0\x9F\x98\x80"}) {
        EXPECT_TRUE(store_ok(name)) << name;
        EXPECT_TRUE(ref_ok(name)) << name;
    }
    // Other errors echo control characters visibly as well.
    try {
        validate_store_name("a\nb");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "invalid store name \"a<U+000A>b\"");
        EXPECT_TRUE(e.hint().empty());
    }
}
