// state_cache_test.cpp — the LRU caches of materialised states.
#include <gtest/gtest.h>

#include "core/state_cache.hpp"

using tscore::BytesCache;

namespace {
std::shared_ptr<const std::string> bytes(const char *s) { return std::make_shared<const std::string>(s); }
}  // namespace

TEST(StateCache, HitNeedsTheSameHash) {
    BytesCache c(1000);
    c.put(1, 7, "h1", bytes("seven"), 10);
    ASSERT_TRUE(c.get(1, 7, "h1"));
    EXPECT_EQ(*c.get(1, 7, "h1"), "seven");
    // A reused version number (after a rollback) has another hash: a miss
    // that also drops the stale entry.
    EXPECT_FALSE(c.get(1, 7, "h2"));
    EXPECT_EQ(c.entries(), 0u);
}

TEST(StateCache, EvictsLeastRecentlyUsedByBytes) {
    BytesCache c(30);
    c.put(1, 1, "a", bytes("1"), 10);
    c.put(1, 2, "b", bytes("2"), 10);
    c.put(1, 3, "c", bytes("3"), 10);
    ASSERT_TRUE(c.get(1, 1, "a"));  // 1 is now the most recent
    c.put(1, 4, "d", bytes("4"), 10);
    EXPECT_TRUE(c.get(1, 1, "a"));
    EXPECT_FALSE(c.get(1, 2, "b"));
    EXPECT_TRUE(c.get(1, 3, "c"));
    EXPECT_TRUE(c.get(1, 4, "d"));
    EXPECT_LE(c.bytes(), 30u);
}

TEST(StateCache, OversizedEntriesAreNotKept) {
    BytesCache c(5);
    c.put(1, 1, "a", bytes("big"), 6);
    EXPECT_FALSE(c.get(1, 1, "a"));
    EXPECT_EQ(c.bytes(), 0u);
}

TEST(StateCache, TakeRemovesTheEntry) {
    BytesCache c(100);
    c.put(2, 5, "x", bytes("five"), 10);
    EXPECT_FALSE(c.take(2, 5, "other"));  // stale: dropped, nothing returned
    EXPECT_EQ(c.entries(), 0u);
    c.put(2, 5, "x", bytes("five"), 10);
    auto v = c.take(2, 5, "x");
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, "five");
    EXPECT_EQ(v.use_count(), 1);
    EXPECT_EQ(c.entries(), 0u);
    EXPECT_EQ(c.bytes(), 0u);
}

TEST(StateCache, ShrinkingCapacityEvicts) {
    BytesCache c(100);
    for (int i = 0; i < 10; i++) c.put(1, i, "h", bytes("v"), 10);
    c.set_capacity(25);
    EXPECT_LE(c.bytes(), 25u);
    EXPECT_EQ(c.entries(), 2u);
}
