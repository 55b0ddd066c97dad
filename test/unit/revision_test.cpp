// revision_test.cpp — the revision grammar: bases, "@{...}", steps, errors.
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/revision.hpp"

using namespace tscore;
using Base = Revision::Base;
using StepKind = RevisionStep::Kind;

namespace {

// The BadRevision error parse_revision throws for text (fails if none).
Error bad(const std::string &text) {
    try {
        parse_revision(text);
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadRevision) << text;
        return e;
    }
    ADD_FAILURE() << "accepted: " << text;
    return Error(ErrorKind::Invalid, "");
}

}  // namespace

TEST(Revision, VersionNumbers) {
    Revision r = parse_revision("42");
    EXPECT_EQ(r.base, Base::Version);
    EXPECT_EQ(r.version, 42);
    EXPECT_FALSE(r.has_at);
    EXPECT_TRUE(r.steps.empty());

    EXPECT_EQ(parse_revision("v42").version, 42);
    EXPECT_EQ(parse_revision("v42").base, Base::Version);
    EXPECT_EQ(parse_revision("1").version, 1);
    EXPECT_EQ(parse_revision("v007").version, 7);
    EXPECT_EQ(parse_revision("9223372036854775807").version, INT64_MAX);
}

TEST(Revision, VersionZeroParsesAndIsLeftToTheResolver) {
    EXPECT_EQ(parse_revision("0").version, 0);
    EXPECT_EQ(parse_revision("v0").version, 0);
}

TEST(Revision, VersionOverflow) {
    Error e = bad("9223372036854775808");
    EXPECT_STREQ(e.what(), "invalid revision \"9223372036854775808\"");
    EXPECT_NE(e.detail().find("out of range"), std::string::npos);
    bad("v99999999999999999999999");
}

TEST(Revision, HashPrefix) {
    Revision r = parse_revision("h:1a2b3c4");
    EXPECT_EQ(r.base, Base::HashPrefix);
    EXPECT_EQ(r.text, "1a2b3c4");
    EXPECT_EQ(parse_revision("h:ABCDEF0123").text, "abcdef0123");
    std::string full(64, 'f');
    EXPECT_EQ(parse_revision("h:" + full).text, full);

    EXPECT_NE(bad("h:1a2b3c").detail().find("at least 7"), std::string::npos);
    bad("h:");
    bad("h:1a2b3cg");
    bad("h:1a2b 3c4");
    bad("h:" + full + "0");  // longer than a SHA-256
    bad("H:1a2b3c4");        // ":" is not allowed in a name either
}

TEST(Revision, Head) {
    Revision r = parse_revision("HEAD");
    EXPECT_EQ(r.base, Base::Head);
    EXPECT_EQ(parse_revision("HEAD~").steps.size(), 1u);
}

TEST(Revision, Names) {
    Revision r = parse_revision("main");
    EXPECT_EQ(r.base, Base::Name);
    EXPECT_EQ(r.text, "main");
    EXPECT_EQ(parse_revision("feature-x").text, "feature-x");
    EXPECT_EQ(parse_revision("head").base, Base::Name);  // case-sensitive
    EXPECT_EQ(parse_revision("v1.2").text, "v1.2");       // not version-like
    EXPECT_EQ(parse_revision("42x").text, "42x");
    EXPECT_EQ(parse_revision("v").text, "v");
    EXPECT_EQ(parse_revision("user@host").text, "user@host");  // "@" without "{"
    EXPECT_EQ(parse_revision("main@").text, "main@");
    EXPECT_EQ(parse_revision("größe").text, "größe");
    EXPECT_EQ(parse_revision("-1").base, Base::Name);
}

TEST(Revision, NamesThatCannotExistAreSyntaxErrors) {
    bad("a b");
    bad("a:b");
    bad("a..b");
    bad("a\tb");
    bad(std::string(64, 'x'));
    EXPECT_EQ(parse_revision(std::string(63, 'x')).text, std::string(63, 'x'));
}

TEST(Revision, AtTime) {
    Revision r = parse_revision("main@{2026-11-01 12:00:00+00}");
    EXPECT_EQ(r.base, Base::Name);
    EXPECT_EQ(r.text, "main");
    EXPECT_TRUE(r.has_at);
    EXPECT_EQ(r.at, "2026-11-01 12:00:00+00");
    EXPECT_TRUE(r.steps.empty());

    r = parse_revision("HEAD@{ yesterday }");
    EXPECT_EQ(r.base, Base::Head);
    EXPECT_EQ(r.at, " yesterday ");  // untrimmed

    r = parse_revision("main@{2026-11-01}~2");
    EXPECT_EQ(r.at, "2026-11-01");
    ASSERT_EQ(r.steps.size(), 1u);
    EXPECT_EQ(r.steps[0].kind, StepKind::Ancestor);
    EXPECT_EQ(r.steps[0].n, 2);

    EXPECT_EQ(parse_revision("main@{a~b^c}").at, "a~b^c");  // anything up to "}"
}

TEST(Revision, AtTimeErrors) {
    EXPECT_NE(bad("main@{2026-11-01").detail().find("}"), std::string::npos);
    bad("main@{}");
    EXPECT_NE(bad("42@{2026-11-01}").detail().find("only allowed after"), std::string::npos);
    bad("v42@{2026-11-01}");
    bad("h:1a2b3c4@{2026-11-01}");
    bad("@{2026-11-01}");            // no base
    bad("main@{t}@{u}");             // only one
    bad("main~1@{2026-11-01}");      // time comes before the steps
    bad("main@{t}x");
}

TEST(Revision, Steps) {
    Revision r = parse_revision("main~3^2~^~0^0^");
    ASSERT_EQ(r.steps.size(), 7u);
    StepKind A = StepKind::Ancestor, P = StepKind::Parent;
    StepKind kinds[] = {A, P, A, P, A, P, P};
    int64_t ns[] = {3, 2, 1, 1, 0, 0, 1};
    for (size_t i = 0; i < 7; ++i) {
        EXPECT_EQ(r.steps[i].kind, kinds[i]) << i;
        EXPECT_EQ(r.steps[i].n, ns[i]) << i;
    }
    EXPECT_EQ(parse_revision("42~9223372036854775807").steps[0].n, INT64_MAX);
    EXPECT_EQ(parse_revision("h:abcdef0^2").steps[0].n, 2);
    EXPECT_EQ(parse_revision("v3~007").steps[0].n, 7);
}

TEST(Revision, StepErrors) {
    bad("main~9223372036854775808");
    bad("main~-1");
    bad("main~+1");
    bad("main~1x");
    bad("main^ ");
    bad("~1");
    bad("^");
}

TEST(Revision, EmptyAndWhiteSpace) {
    Error e = bad("");
    EXPECT_STREQ(e.what(), "invalid revision \"\"");
    EXPECT_FALSE(e.detail().empty());
    bad(" 42");
    bad("42 ");
    bad("main ");
}

TEST(Revision, MessagesAreShortForHugeInput) {
    std::string huge(1 << 20, 'x');
    huge += " y";
    Error e = bad(huge);
    EXPECT_LT(std::string(e.what()).size(), 100u);
}

TEST(Revision, MessagesStayValidUtf8) {
    Error e = bad("a\xff b");
    EXPECT_STREQ(e.what(), "invalid revision \"a? b\"");
}

TEST(Revision, StepCountIsBounded) {
    EXPECT_EQ(parse_revision("main" + std::string(10000, '~')).steps.size(), 10000u);
    EXPECT_NE(bad("main" + std::string(10001, '^')).detail().find("at most"), std::string::npos);
    bad("main" + std::string(50 << 20, '~'));
}

// Found by fuzz_revision: control characters are shown as "<U+0000>" in
// messages, so 64 of them made a 600-byte message. The echo is cut by
// bytes too.
TEST(Revision, EchoOfEscapedInputStaysShort) {
    std::string input("v@");
    input.append(48, '\0');
    input += 'Y';
    try {
        parse_revision(input);
        FAIL() << "expected an error";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::BadRevision);
        EXPECT_LT(std::string(e.what()).size(), 400u) << e.what();
        EXPECT_NE(std::string(e.what()).find("<U+0000>"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("..."), std::string::npos);
    }
    std::string rtl;
    for (int i = 0; i < 64; i++) rtl += "\xE2\x80\xAE";  // U+202E
    try {
        validate_store_name(rtl);
        FAIL() << "expected an error";
    } catch (const Error &e) {
        EXPECT_LT(std::string(e.what()).size(), 400u) << e.what();
    }
}
