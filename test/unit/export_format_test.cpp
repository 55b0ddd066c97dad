// export_format_test.cpp — the export line format: lines round-trip, times
// and hashes are written exactly, and malformed lines are refused with a
// message naming the field.
#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "core/export_format.hpp"

using namespace tscore;
using namespace tscore::export_format;

namespace {

std::string hash_bytes() {
    std::string h;
    for (int i = 0; i < 32; i++) h.push_back((char)(i * 7 + 1));
    return h;
}

Line version_line() {
    Line l;
    l.seq = 3;
    l.event_type = "BranchMerged";
    l.is_version = true;
    l.version = 2;
    l.parents = {1, 1};
    l.branch_id = 2;
    l.branch = "feature";
    l.author = "alice";
    l.message = "merge";
    l.metadata = parse_json(R"({"ticket": "T-1"})");
    l.committed_at_us = 1793534400123456;
    l.hash = hash_bytes();
    l.payload = PortablePayload{Encoding::JsonPatch, parse_json(R"([{"op": "add", "path": "/a", "value": 1.50}])")};
    return l;
}

std::string error_of(const Value &v) {
    try {
        decode_line(v);
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::Invalid);
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(ExportFormat, IsoTimes) {
    EXPECT_EQ(iso_utc(0), "1970-01-01T00:00:00.000000Z");
    EXPECT_EQ(iso_utc(1793534400123456), "2026-11-01T12:00:00.123456Z");
    EXPECT_EQ(iso_utc(-1), "1969-12-31T23:59:59.999999Z");
    EXPECT_EQ(iso_utc(951782400000000), "2000-02-29T00:00:00.000000Z");
    EXPECT_EQ(iso_utc(253402300799999999), "9999-12-31T23:59:59.999999Z");
    EXPECT_THROW(iso_utc(253402300800000000), Error);
}

TEST(ExportFormat, Hex) {
    std::string h = hash_bytes();
    EXPECT_EQ(to_hex(std::string("\x00\xff\x1a", 3)), "00ff1a");
    EXPECT_EQ(*from_hex(to_hex(h)), h);
    EXPECT_EQ(*from_hex("00FF1a"), std::string("\x00\xff\x1a", 3));
    EXPECT_FALSE(from_hex("abc"));
    EXPECT_FALSE(from_hex("zz"));
}

TEST(ExportFormat, HeaderRoundTrip) {
    Header h{"config", 7, 3};
    Value v = encode_header(h);
    EXPECT_EQ(to_json(v),
              R"({"seq": 0, "store": "config", "events": 3, "format": "temporal_store-export", "versions": 7, "format_version": 1})");
    Header back = decode_header(v);
    EXPECT_EQ(back.store, "config");
    EXPECT_EQ(back.versions, 7);
    EXPECT_EQ(back.events, 3);
    Value other = v;
    other.set("format_version", Value::number("2"));
    EXPECT_THROW(decode_header(other), Error);
    EXPECT_THROW(decode_header(parse_json(R"({"seq": 1, "event_type": "StateCreated"})")), Error);
}

TEST(ExportFormat, VersionLineRoundTrip) {
    Value v = encode_line(version_line());
    EXPECT_EQ(v.find("hash")->text(), to_hex(hash_bytes()));
    EXPECT_EQ(v.find("committed_at")->text(), "2026-11-01T12:00:00.123456Z");
    EXPECT_EQ(to_json(*v.find("payload")), R"({"patch": [{"op": "add", "path": "/a", "value": 1.50}], "encoding": "json_patch"})");
    Line back = decode_line(v);
    Line want = version_line();
    EXPECT_TRUE(back.is_version);
    EXPECT_EQ(back.seq, want.seq);
    EXPECT_EQ(back.event_type, want.event_type);
    EXPECT_EQ(*back.version, *want.version);
    EXPECT_EQ(back.parents, want.parents);
    EXPECT_EQ(*back.branch_id, *want.branch_id);
    EXPECT_EQ(*back.branch, *want.branch);
    EXPECT_EQ(back.author, want.author);
    EXPECT_EQ(*back.message, *want.message);
    EXPECT_EQ(back.metadata, want.metadata);
    EXPECT_EQ(back.committed_at_us, want.committed_at_us);
    EXPECT_EQ(back.hash, want.hash);
    ASSERT_TRUE(back.payload);
    EXPECT_EQ(back.payload->encoding, Encoding::JsonPatch);
    EXPECT_EQ(back.payload->body, want.payload->body);
    // The encoded line decodes to the same line again.
    EXPECT_EQ(encode_line(back), v);
}

TEST(ExportFormat, CompactedAndFullPayloads) {
    Line l = version_line();
    l.payload.reset();
    Value v = encode_line(l);
    EXPECT_TRUE(v.find("payload")->is_null());
    EXPECT_FALSE(decode_line(v).payload);
    l.payload = PortablePayload{Encoding::Full, parse_json(R"({"x": [1, 2]})")};
    v = encode_line(l);
    EXPECT_EQ(to_json(*v.find("payload")), R"({"state": {"x": [1, 2]}, "encoding": "full"})");
    EXPECT_EQ(decode_line(v).payload->body, parse_json(R"({"x": [1, 2]})"));
    l.payload = PortablePayload{Encoding::MergePatch, parse_json(R"({"x": null})")};
    EXPECT_EQ(decode_line(encode_line(l)).payload->encoding, Encoding::MergePatch);
}

TEST(ExportFormat, EventLineRoundTrip) {
    Line l;
    l.seq = 9;
    l.event_type = "TagCreated";
    l.version = 4;
    l.author = "bob";
    l.committed_at_us = 1;
    l.event_payload = parse_json(R"({"tag": "v1", "version": 4})");
    Value v = encode_line(l);
    EXPECT_EQ(v.find("parents"), nullptr);
    EXPECT_TRUE(v.find("branch_id")->is_null());
    Line back = decode_line(v);
    EXPECT_FALSE(back.is_version);
    EXPECT_FALSE(back.branch_id);
    EXPECT_EQ(back.event_payload, l.event_payload);
    EXPECT_EQ(encode_line(back), v);
}

TEST(ExportFormat, MalformedLines) {
    Value good = encode_line(version_line());
    EXPECT_EQ(error_of(good), "no error");
    auto with = [&](const char *key, Value value) {
        Value v = good;
        v.set(key, std::move(value));
        return error_of(v);
    };
    auto without = [&](const char *key) {
        Value v = good;
        v.erase(key);
        return error_of(v);
    };
    EXPECT_EQ(error_of(Value::array()), "the line is not a JSON object");
    EXPECT_EQ(without("seq"), "\"seq\" must be an integer");
    EXPECT_EQ(with("seq", Value::number("1.5")), "\"seq\" must be an integer");
    EXPECT_EQ(with("seq", Value::string("1")), "\"seq\" must be an integer");
    EXPECT_EQ(with("seq", Value::number("1e3")), "\"seq\" must be an integer");
    EXPECT_EQ(with("version", Value::null()), "a version event needs \"version\"");
    EXPECT_EQ(with("hash", Value::string("abc")), "\"hash\" must be 64 hex digits");
    EXPECT_EQ(with("hash", Value::string(std::string(62, 'a'))), "\"hash\" must be 64 hex digits");
    EXPECT_EQ(with("metadata", Value::array()), "\"metadata\" must be a JSON object");
    EXPECT_EQ(with("author", Value::null()), "\"author\" must be a string");
    EXPECT_EQ(with("branch_id", Value::number("0")), "\"branch_id\" is out of range");
    EXPECT_EQ(without("branch_id"), "a version event needs \"branch_id\"");
    EXPECT_EQ(with("parents", parse_json("[1, 2, 3]")), "a version has at most two parents");
    EXPECT_EQ(with("parents", parse_json("[\"1\"]")), "\"parents\" must hold version numbers");
    EXPECT_EQ(with("parents", Value::string("1")), "\"parents\" must be an array (version events) or absent");
    EXPECT_EQ(with("committed_at", Value::string("2026-11-01T12:00:00Z")),
              "\"committed_at\" (2026-11-01T12:00:00Z) does not match \"committed_at_us\" "
              "(2026-11-01T12:00:00.123456Z)");
    EXPECT_EQ(with("payload", parse_json(R"({"encoding": "delta", "patch": []})")),
              "unknown payload encoding \"delta\"");
    EXPECT_EQ(with("payload", parse_json(R"({"encoding": "full", "patch": []})")),
              "a \"full\" payload needs \"state\"");
    EXPECT_EQ(with("payload", parse_json(R"({"encoding": "json_patch", "patch": {}})")),
              "a json_patch payload's patch must be an array");
    EXPECT_EQ(with("payload", Value::string("x")), "\"payload\" must be an object or null");
}
