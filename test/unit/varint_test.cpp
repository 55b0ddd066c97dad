// varint_test.cpp — minimal LEB128: round trips and refusal of bad forms.
#include <gtest/gtest.h>

#include <string>

#include "core/varint.hpp"

using namespace tscore;

namespace {

bool read(const std::string &bytes, uint64_t &v, size_t &used) {
    const auto *p = reinterpret_cast<const uint8_t *>(bytes.data());
    const uint8_t *start = p;
    bool ok = varint_get(p, p + bytes.size(), v);
    used = size_t(p - start);
    return ok;
}

}  // namespace

TEST(Varint, RoundTrips) {
    for (uint64_t v : {uint64_t(0), uint64_t(1), uint64_t(127), uint64_t(128), uint64_t(300),
                       uint64_t(16383), uint64_t(16384), uint64_t(1) << 32, (uint64_t(1) << 63) - 1,
                       uint64_t(1) << 63, ~uint64_t(0)}) {
        std::string s;
        varint_append(s, v);
        EXPECT_EQ(s.size(), varint_size(v)) << v;
        uint64_t back;
        size_t used;
        ASSERT_TRUE(read(s, back, used)) << v;
        EXPECT_EQ(back, v);
        EXPECT_EQ(used, s.size());
    }
}

TEST(Varint, KnownBytes) {
    std::string s;
    varint_append(s, 300);
    EXPECT_EQ(s, "\xAC\x02");
    EXPECT_EQ(varint_size(~uint64_t(0)), 10u);
}

TEST(Varint, RejectsBadForms) {
    uint64_t v;
    size_t used;
    EXPECT_FALSE(read("", v, used));
    EXPECT_FALSE(read("\x80", v, used));                  // truncated
    EXPECT_FALSE(read(std::string("\x80\x00", 2), v, used));  // padded zero
    EXPECT_FALSE(read(std::string("\xAC\x82\x00", 3), v, used));  // padded 300
    EXPECT_FALSE(read("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x02", v, used));  // 65 bits
    EXPECT_FALSE(read("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x81\x01", v, used));  // 11 bytes
    EXPECT_TRUE(read("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01", v, used));
    EXPECT_EQ(v, ~uint64_t(0));
}
