// The public JSON Patch and JSON Merge Patch conformance suites (in
// ../shared/conformance), plus a diff round trip over every pair of
// documents they contain.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/json_patch.hpp"
#include "json_test_support.hpp"

#ifndef TS_CONFORMANCE_DIR
#define TS_CONFORMANCE_DIR ""
#endif

using namespace tscore;

namespace {

// The records of one suite file, or nullopt when it is not there.
std::optional<Value> load(const std::string &relative) {
    std::filesystem::path path = std::filesystem::path(TS_CONFORMANCE_DIR) / relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return parse_json(text.str());
}

std::string describe(const Value &record, size_t index) {
    const Value *comment = record.find("comment");
    return "record " + std::to_string(index) + (comment && comment->is_string() ? ": " + comment->text() : "");
}

bool disabled(const Value &record) {
    const Value *d = record.find("disabled");
    return d && d->kind() == Kind::True;
}

// Runs one RFC 6902 suite file.
void run_json_patch_suite(const std::string &file, int &checked) {
    std::optional<Value> suite = load(file);
    if (!suite) GTEST_SKIP() << "conformance file " << file << " not found under " << TS_CONFORMANCE_DIR;
    ASSERT_TRUE(suite->is_array());
    for (size_t i = 0; i < suite->items().size(); i++) {
        const Value &record = suite->items()[i];
        SCOPED_TRACE(file + " " + describe(record, i));
        const Value *doc = record.find("doc");
        const Value *patch = record.find("patch");
        ASSERT_TRUE(doc && patch);
        if (disabled(record)) continue;
        const Value *expected = record.find("expected");
        if (record.find("error")) {
            EXPECT_EQ(test::error_kind([&] { apply_json_patch(*doc, *patch); }), ErrorKind::InvalidPatch);
        } else if (expected) {
            try {
                EXPECT_EQ(to_json(apply_json_patch(*doc, *patch)), to_json(*expected));
            } catch (const Error &e) {
                ADD_FAILURE() << "unexpected error: " << e.what();
            }
        } else {
            // Neither result nor error given: it only must not crash.
            try {
                apply_json_patch(*doc, *patch);
            } catch (const Error &) {
            }
        }
        checked++;
    }
}

// Every document of every suite (docs, expected results, merge patches).
std::vector<Value> all_documents() {
    std::vector<Value> docs;
    for (const char *f : {"json-patch/tests.json", "json-patch/spec_tests.json", "json-merge-patch/rfc7396.json"}) {
        std::optional<Value> suite = load(f);
        if (!suite) continue;
        bool merge = std::string(f).find("merge") != std::string::npos;
        for (const Value &r : suite->items())
            for (const char *key : {"doc", "expected", "patch"}) {
                if (std::string(key) == "patch" && !merge) continue;  // RFC 6902 patches: not documents
                if (const Value *d = r.find(key)) docs.push_back(*d);
            }
    }
    return docs;
}

}  // namespace

TEST(Conformance, JsonPatchTests) {
    int checked = 0;
    run_json_patch_suite("json-patch/tests.json", checked);
    if (!IsSkipped()) {
        EXPECT_GT(checked, 90);
    }
}

TEST(Conformance, JsonPatchSpecTests) {
    int checked = 0;
    run_json_patch_suite("json-patch/spec_tests.json", checked);
    if (!IsSkipped()) {
        EXPECT_GT(checked, 10);
    }
}

TEST(Conformance, JsonMergePatchRfc7396) {
    std::optional<Value> suite = load("json-merge-patch/rfc7396.json");
    if (!suite) GTEST_SKIP() << "json-merge-patch/rfc7396.json not found under " << TS_CONFORMANCE_DIR;
    ASSERT_TRUE(suite->is_array());
    ASSERT_FALSE(suite->items().empty());
    for (size_t i = 0; i < suite->items().size(); i++) {
        const Value &record = suite->items()[i];
        SCOPED_TRACE(describe(record, i));
        const Value *doc = record.find("doc");
        const Value *patch = record.find("patch");
        const Value *expected = record.find("expected");
        ASSERT_TRUE(doc && patch && expected);
        EXPECT_EQ(to_json(apply_merge_patch(*doc, *patch)), to_json(*expected));
    }
}

// Every ordered pair of documents from all suites: the diff reproduces the
// target exactly.
TEST(Conformance, DiffRoundTripsEveryDocumentPair) {
    std::vector<Value> docs = all_documents();
    if (docs.empty()) GTEST_SKIP() << "no conformance documents under " << TS_CONFORMANCE_DIR;
    size_t pairs = 0;
    for (const Value &a : docs)
        for (const Value &b : docs) {
            Value patch = json_diff(a, b);
            Value result = apply_json_patch(a, patch);
            ASSERT_TRUE(result == b) << to_json(a) << " -> " << to_json(b) << " via " << to_json(patch);
            pairs++;
        }
    EXPECT_GT(pairs, 1000u);
}
