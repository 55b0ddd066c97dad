// state_cache_test.cpp — the byte-bounded LRU cache of materialised states.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/state_cache.hpp"

using tscore::HeapMemory;
using tscore::SharedBytes;
using tscore::StateCache;

namespace {

// HeapMemory that can be told to fail, and counts live allocations.
class TestMemory final : public tscore::CacheMemory {
public:
    int fail_after = -1;  // allocations left before failing (-1: never)
    bool fail_other = false;  // fail with another exception than std::bad_alloc
    int live = 0;

protected:
    void *raw_allocate(size_t n) override {
        if (fail_after == 0) {
            if (fail_other) throw std::runtime_error("memory error");
            throw std::bad_alloc();
        }
        if (fail_after > 0) fail_after--;
        char *p = static_cast<char *>(std::malloc(n + 16));
        if (!p) throw std::bad_alloc();
        std::memcpy(p, &n, sizeof n);
        live++;
        return p + 16;
    }
    void raw_deallocate(void *p) noexcept override {
        live--;
        std::free(static_cast<char *>(p) - 16);
    }
    size_t footprint(const void *p) const noexcept override {
        size_t n;
        std::memcpy(&n, static_cast<const char *>(p) - 16, sizeof n);
        return n + 16;
    }
};

std::string text(const SharedBytes &b) { return std::string(b.view()); }

}  // namespace

TEST(StateCache, HitNeedsTheSameHash) {
    HeapMemory m;
    StateCache c(m, 10000);
    c.put(1, 7, "h1", "seven");
    ASSERT_TRUE(c.get(1, 7, "h1"));
    EXPECT_EQ(text(c.get(1, 7, "h1")), "seven");
    // A reused version number (after a rollback) has another hash: a miss
    // that also drops the stale entry.
    EXPECT_FALSE(c.get(1, 7, "h2"));
    EXPECT_EQ(c.entries(), 0u);
    EXPECT_FALSE(c.holds(1, 7));
}

TEST(StateCache, PutReturnsTheCachedCopy) {
    HeapMemory m;
    StateCache c(m, 10000);
    std::string s = "abc";
    SharedBytes kept = c.put(3, 1, "h", s);
    ASSERT_TRUE(kept);
    s[0] = 'x';  // the cache copied the bytes
    EXPECT_EQ(text(kept), "abc");
    EXPECT_EQ(kept.data(), c.get(3, 1, "h").data());
}

TEST(StateCache, EvictsLeastRecentlyUsedByBytes) {
    HeapMemory m;
    StateCache probe(m, 1 << 20);
    probe.put(1, 1, "a", std::string(100, 'x'));
    size_t one = m.used();  // one entry, the index included
    probe.clear();
    ASSERT_EQ(m.used(), 0u);

    StateCache c(m, 3 * one);
    c.put(1, 1, "a", std::string(100, '1'));
    c.put(1, 2, "b", std::string(100, '2'));
    c.put(1, 3, "c", std::string(100, '3'));
    ASSERT_TRUE(c.get(1, 1, "a"));  // 1 is now the most recent
    c.put(1, 4, "d", std::string(100, '4'));
    EXPECT_TRUE(c.get(1, 1, "a"));
    EXPECT_FALSE(c.get(1, 2, "b"));
    EXPECT_TRUE(c.get(1, 4, "d"));
    EXPECT_LE(c.bytes(), 3 * one);
}

TEST(StateCache, OversizedEntriesAreNotKept) {
    HeapMemory m;
    StateCache c(m, 100);
    EXPECT_FALSE(c.put(1, 1, "a", std::string(100, 'x')));
    EXPECT_FALSE(c.get(1, 1, "a"));
    EXPECT_EQ(c.entries(), 0u);
    EXPECT_EQ(m.used(), 0u);
}

// The size the cache keeps itself within is the memory really in use, not
// a figure its callers pass: many small entries cannot make it hold more
// than its capacity (plus the entry being added).
TEST(StateCache, CountsEveryByteItHolds) {
    TestMemory m;
    const size_t capacity = 64 * 1024;
    StateCache c(m, capacity);
    size_t largest = 0;
    for (int i = 0; i < 20000; i++) {
        size_t n = (i % 7 == 0) ? 3000 : 1 + i % 13;
        c.put(1, i, "0123456789abcdef0123456789abcdef", std::string(n, 'v'));
        largest = std::max(largest, StateCache::entry_size(32, n) + 6 * 16);
        ASSERT_LE(m.used(), capacity + largest) << "after entry " << i;
    }
    EXPECT_EQ(c.bytes(), m.used());
    // Every entry costs its nodes and headers too: 64 kB holds dozens of
    // them (mostly of a few bytes), not thousands.
    EXPECT_GT(c.entries(), 50u);
    EXPECT_LT(c.entries(), 1000u);
    size_t payload = 0;
    for (int i = 0; i < 20000; i++)
        if (SharedBytes b = c.get(1, i, "0123456789abcdef0123456789abcdef")) payload += b.size() + 32;
    EXPECT_LT(payload, c.bytes());  // nodes, headers and the index come on top
}

TEST(StateCache, ShrinkingCapacityEvicts) {
    HeapMemory m;
    StateCache c(m, 1 << 20);
    for (int i = 0; i < 10; i++) c.put(1, i, "h", std::string(1000, 'v'));
    size_t before = m.used();
    c.set_capacity(before / 3);
    EXPECT_LE(m.used(), before / 3);
    EXPECT_GE(c.entries(), 1u);
    EXPECT_LE(c.entries(), 4u);
    EXPECT_TRUE(c.get(1, 9, "h"));  // the most recent stay
    c.set_capacity(0);
    EXPECT_EQ(c.entries(), 0u);
    EXPECT_EQ(m.used(), 0u);  // buckets included
}

TEST(StateCache, EvictedBytesStayValidWhileHeld) {
    TestMemory m;
    StateCache c(m, 1 << 16);
    SharedBytes held = c.put(1, 1, "h", std::string(5000, 'a'));
    ASSERT_TRUE(held);
    size_t with_one = m.used();
    c.erase(1, 1);
    EXPECT_FALSE(c.holds(1, 1));
    EXPECT_EQ(text(held), std::string(5000, 'a'));
    EXPECT_GT(m.used(), 5000u);  // still counted: still in memory
    EXPECT_LE(m.used(), with_one);
    held = SharedBytes();
    EXPECT_LT(m.used(), 5000u);
    c.clear();
    EXPECT_EQ(m.used(), 0u);
    EXPECT_EQ(m.live, 0);
}

TEST(StateCache, OutOfMemoryCachesNothingAndLeaksNothing) {
    for (int k = 0; k < 6; k++) {
        TestMemory m;
        {
            StateCache c(m, 1 << 16);
            c.put(1, 1, "h", "first");
            m.fail_after = k;
            SharedBytes b = c.put(1, 2, "h", "second");
            if (b) EXPECT_EQ(text(b), "second");
            EXPECT_EQ(c.holds(1, 2), (bool)b);
            EXPECT_EQ(text(c.get(1, 1, "h")), "first");
            m.fail_after = -1;
        }
        EXPECT_EQ(m.used(), 0u) << k;
        EXPECT_EQ(m.live, 0) << k;
    }
}

TEST(StateCache, ClearReleasesEverything) {
    TestMemory m;
    StateCache c(m, 1 << 20);
    for (int i = 0; i < 500; i++) c.put(i % 3, i, "h", std::string(i, 'z'));
    EXPECT_GT(m.used(), 0u);
    c.clear();
    EXPECT_EQ(m.used(), 0u);
    EXPECT_EQ(m.live, 0);
}

// Any other failure (the extension's memory raises PostgreSQL errors as
// exceptions) propagates, and leaves the cache as it was.
TEST(StateCache, OtherMemoryErrorsPropagateAndLeakNothing) {
    for (int k = 0; k < 4; k++) {
        TestMemory m;
        {
            StateCache c(m, 1 << 16);
            c.put(1, 1, "h", "first");
            m.fail_after = k;
            m.fail_other = true;
            EXPECT_THROW(c.put(1, 2, "h", "second"), std::runtime_error) << k;
            m.fail_after = -1;
            EXPECT_FALSE(c.holds(1, 2));
            EXPECT_EQ(text(c.get(1, 1, "h")), "first");
        }
        EXPECT_EQ(m.used(), 0u) << k;
        EXPECT_EQ(m.live, 0) << k;
    }
}
