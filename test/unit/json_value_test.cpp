// Tests of the JSON tree, its text parser and serializer.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/json_value.hpp"
#include "json_test_support.hpp"

using namespace tscore;
using tscore::test::J;

TEST(JsonValue, ObjectMembersStaySortedInJsonbOrder) {
    Value o = Value::object();
    o.set("bb", Value::number("1"));
    o.set("a", Value::number("2"));
    o.set("ccc", Value::number("3"));
    o.set("b", Value::number("4"));
    std::vector<std::string> keys;
    for (const Member &m : o.members()) keys.push_back(m.first);
    EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "bb", "ccc"}));
    o.set("bb", Value::string("x"));  // replaces
    EXPECT_EQ(o.members().size(), 4u);
    ASSERT_NE(o.find("bb"), nullptr);
    EXPECT_EQ(o.find("bb")->text(), "x");
    EXPECT_EQ(o.find("zz"), nullptr);
    EXPECT_TRUE(o.erase("a"));
    EXPECT_FALSE(o.erase("a"));
    EXPECT_EQ(o.find("a"), nullptr);
    EXPECT_EQ(to_json(o), R"({"b": 4, "bb": "x", "ccc": 3})");
}

TEST(JsonValue, KeyLessIsLengthThenBytes) {
    EXPECT_TRUE(key_less("b", "aa"));
    EXPECT_TRUE(key_less("a", "b"));
    EXPECT_FALSE(key_less("a", "a"));
    EXPECT_TRUE(key_less("", "a"));
    EXPECT_TRUE(key_less("A", "a"));
}

TEST(JsonValue, EqualityIsExact) {
    EXPECT_EQ(J("1"), J("1"));
    EXPECT_NE(J("1"), J("1.0"));
    EXPECT_NE(J("1"), J("\"1\""));
    EXPECT_NE(J("true"), J("false"));
    EXPECT_NE(J("null"), J("false"));
    EXPECT_EQ(J(R"({"a": [1, {"b": null}], "c": "d"})"), J(R"({"c": "d", "a": [1, {"b": null}]})"));
    EXPECT_NE(J(R"({"a": [1, {"b": null}]})"), J(R"({"a": [1, {"b": false}]})"));
    EXPECT_NE(J(R"({"a": 1})"), J(R"({"b": 1})"));
    EXPECT_NE(J(R"([1, 2])"), J(R"([1, 2, 3])"));
    EXPECT_NE(J(R"([[]])"), J(R"([{}])"));
    EXPECT_NE(J(R"({"a": {}})"), J(R"({"a": {"b": 1}})"));
}

TEST(JsonValue, CopyIsDeepAndIndependent) {
    Value a = J(R"({"x": [1, {"y": [2, 3]}], "z": {"w": "v"}})");
    Value b = a;
    EXPECT_EQ(a, b);
    b.find("x")->items()[1].find("y")->items().push_back(Value::number("4"));
    EXPECT_NE(a, b);
    EXPECT_EQ(to_json(a), R"({"x": [1, {"y": [2, 3]}], "z": {"w": "v"}})");
    Value c;
    c = a;
    EXPECT_EQ(c, a);
}

TEST(JsonValue, AssignFromOwnSubtree) {
    Value a = J(R"({"k": [1, {"m": [true]}]})");
    a = a.find("k")->items()[1];  // copy from inside itself
    EXPECT_EQ(a, J(R"({"m": [true]})"));
    Value b = J(R"([[1, [2]], 3])");
    b = std::move(b.items()[0]);  // move from inside itself
    EXPECT_EQ(b, J("[1, [2]]"));
}

TEST(JsonParse, Scalars) {
    EXPECT_TRUE(J("null").is_null());
    EXPECT_EQ(J("true").kind(), Kind::True);
    EXPECT_EQ(J(" false ").kind(), Kind::False);
    EXPECT_EQ(J("\"hi\"").text(), "hi");
    for (const char *n : {"0", "-0", "1.0", "1e2", "1E+2", "-1.25e-10", "12345678901234567890123", "0.000"}) {
        Value v = J(n);
        EXPECT_TRUE(v.is_number()) << n;
        EXPECT_EQ(v.text(), n);  // literal text kept
    }
}

TEST(JsonParse, StringEscapes) {
    EXPECT_EQ(J(R"("a\"b\\c\/d\be\ff\ng\rh\ti")").text(), "a\"b\\c/d\be\ff\ng\rh\ti");
    EXPECT_EQ(J(R"("\u0041\u00e9\u20ac")").text(), "A\xC3\xA9\xE2\x82\xAC");
    EXPECT_EQ(J(R"("\ud83d\ude00")").text(), "\xF0\x9F\x98\x80");  // U+1F600
    EXPECT_EQ(J(R"("\uD834\uDD1E")").text(), "\xF0\x9D\x84\x9E");  // U+1D11E
    EXPECT_EQ(J("\"\xC3\xA9\xF0\x9F\x98\x80\"").text(), "\xC3\xA9\xF0\x9F\x98\x80");
    EXPECT_EQ(J(R"("\u0000")").text(), std::string(1, '\0'));
}

TEST(JsonParse, DuplicateKeysLastWins) {
    Value v = J(R"({"b": 1, "a": 2, "b": 3, "a": 4, "c": 5})");
    EXPECT_EQ(to_json(v), R"({"a": 4, "b": 3, "c": 5})");
    EXPECT_EQ(J(R"({"a": 1, "a": {"x": 1}})"), J(R"({"a": {"x": 1}})"));
}

TEST(JsonParse, UnsortedInputIsSorted) {
    Value v = J(R"({"zz": 1, "a": 2, "bbb": 3, "b": 4})");
    EXPECT_EQ(to_json(v), R"({"a": 2, "b": 4, "zz": 1, "bbb": 3})");
}

TEST(JsonParse, RejectsMalformedText) {
    const char *bad[] = {
        "",          " ",          "nul",        "tru",         "True",       "01",         "-",
        "1.",        ".5",         "1e",         "1e+",         "+1",         "0x10",       "NaN",
        "Infinity",  "[1,]",       "[,1]",       "[1 2]",       "{\"a\"}",    "{\"a\":}",   "{a:1}",
        "{\"a\":1,}", "{'a':1}",   "[",          "]",           "{",          "\"abc",      "\"\\x\"",
        "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\tb\"", "\"a\nb\"", "1 2",
        "[1]]",      "{}{}",       "\xEF\xBB\xBF{}", "\"\xC3\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"",
        "\"\xF4\x90\x80\x80\"", "\"\xFF\"", "[1]\x01",
    };
    for (const char *text : bad)
        EXPECT_EQ(test::error_kind([&] { parse_json(text); }), ErrorKind::InvalidJson) << "input: " << text;
}

TEST(JsonParse, AcceptsWhitespaceEverywhere) {
    EXPECT_EQ(J(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } }\n"), J(R"({"a":[1,2],"b":{}})"));
}

TEST(JsonText, SerializesLikeJsonbOutput) {
    EXPECT_EQ(to_json(J(R"({"a":[1,2,{"b":null}],"c":true,"d":false,"e":{},"f":[]})")),
              R"({"a": [1, 2, {"b": null}], "c": true, "d": false, "e": {}, "f": []})");
    EXPECT_EQ(to_json(J("1.50")), "1.50");
}

TEST(JsonText, EscapesStringsLikeEscapeJson) {
    std::string s = "q\"b\\s/\b\f\n\r\t";
    s += '\x01';
    s += '\x1f';
    s += '\0';
    s += "\x7f\xC3\xA9";
    EXPECT_EQ(to_json(Value::string(s)), "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\\u0000\x7f\xC3\xA9\"");
    EXPECT_EQ(J(to_json(Value::string(s))).text(), s);  // round trip
}

TEST(JsonText, RoundTrips) {
    const char *docs[] = {
        R"({"a": [1, 2.50, -3e10, "x\u0001y"], "b": {"c": {"d": [[], {}]}}, "": null})",
        R"([true, false, null, "\ud83d\ude00", 0, -0.0])",
        R"("just a string")",
    };
    for (const char *d : docs) {
        Value v = J(d);
        EXPECT_EQ(J(to_json(v)), v) << d;
        EXPECT_EQ(to_json(J(to_json(v))), to_json(v));
    }
}

TEST(JsonDepth, NestingDepth) {
    EXPECT_EQ(nesting_depth(J("1")), 0);
    EXPECT_EQ(nesting_depth(J("[]")), 1);
    EXPECT_EQ(nesting_depth(J("{\"a\": [1, [2], {\"b\": [[]]}]}")), 5);
}

TEST(JsonDepth, ParserAcceptsMaxDepthAndRejectsDeeper) {
    test::run_with_stack([] {
        for (bool arrays : {false, true}) {
            Value v = parse_json(test::deep_text(kMaxDepth, "1", arrays));
            EXPECT_EQ(nesting_depth(v), kMaxDepth);
            EXPECT_EQ(test::error_kind([&] { parse_json(test::deep_text(kMaxDepth + 1, "1", arrays)); }),
                      ErrorKind::TooDeep);
            EXPECT_EQ(test::error_kind([&] { parse_json(test::deep_text(kMaxDepth + 1, "[]", arrays)); }),
                      ErrorKind::TooDeep);
        }
    });
}

TEST(JsonDepth, MaxDepthTreeBuildCopyCompareSerializeDestroy) {
    test::run_with_stack([] {
        for (bool arrays : {false, true}) {
            Value v = test::deep_chain(kMaxDepth, Value::number("1"), arrays);
            Value w = v;  // copy
            EXPECT_TRUE(v == w);
            std::string text = to_json(v);
            if (arrays) {
                EXPECT_EQ(text, test::deep_text(kMaxDepth, "1", true));
            }
            Value back = parse_json(text);
            EXPECT_TRUE(back == v);
            w = test::deep_chain(kMaxDepth, Value::number("2"), arrays);
            EXPECT_FALSE(v == w);
        }  // and destroyed here
    });
}

// Trees far deeper than any document can still be built, copied, compared
// and freed: those walks use no stack per level. Serializing refuses.
TEST(JsonDepth, ExtremeDepthIsHandledWithoutRecursion) {
    test::run_with_stack([] {
        Value v = test::deep_chain(200000, Value::null());
        Value w = v;
        EXPECT_TRUE(v == w);
        EXPECT_EQ(nesting_depth(v), 200000);
        EXPECT_EQ(test::error_kind([&] { to_json(v); }), ErrorKind::TooDeep);
    });
}
