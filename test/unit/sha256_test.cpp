// sha256_test.cpp — SHA-256 against the FIPS 180-4 / NIST example vectors,
// and incremental updates split at every offset.
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "core/sha256.hpp"

using namespace tscore;

namespace {

std::string hex(const Digest &d) { return to_hex(d.data(), d.size()); }
std::string hash_of(const std::string &s) { return hex(sha256(s.data(), s.size())); }

}  // namespace

TEST(Sha256, Empty) {
    EXPECT_EQ(hash_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
    EXPECT_EQ(hash_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessage448Bits) {
    EXPECT_EQ(hash_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Message896Bits) {
    EXPECT_EQ(hash_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                      "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, MillionA) {
    Sha256 s;
    std::string chunk(1000, 'a');
    for (int i = 0; i < 1000; ++i) s.update(chunk.data(), chunk.size());
    EXPECT_EQ(hex(s.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(hash_of(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingBoundaries) {
    // Lengths around the 56-byte padding edge and the 64-byte block edge.
    const char *expected[] = {
        // sha256 of 'a' * n for n = 55, 56, 63, 64, 65
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
        "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
        "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
    };
    int sizes[] = {55, 56, 63, 64, 65};
    for (int i = 0; i < 5; ++i) EXPECT_EQ(hash_of(std::string(sizes[i], 'a')), expected[i]) << sizes[i];
}

TEST(Sha256, SplitUpdatesMatchOneShot) {
    std::string msg;
    for (int i = 0; i < 300; ++i) msg += char('A' + i % 53);
    std::string whole = hash_of(msg);
    for (size_t cut = 0; cut <= msg.size(); ++cut) {
        Sha256 s;
        s.update(msg.data(), cut);
        s.update(msg.data() + cut, msg.size() - cut);
        ASSERT_EQ(hex(s.finish()), whole) << cut;
    }
    Sha256 bytewise;
    for (char c : msg) bytewise.update(&c, 1);
    EXPECT_EQ(hex(bytewise.finish()), whole);
}

TEST(Sha256, ToHex) {
    const uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
    EXPECT_EQ(to_hex(bytes, 4), "000fa5ff");
    EXPECT_EQ(to_hex(bytes, 0), "");
}

TEST(Sha256, AcceleratedBlocksMatchPortable) {
    // Whatever block function this CPU uses must agree with the portable one.
    std::string data;
    uint32_t x = 12345;
    for (int i = 0; i < 64 * 50; ++i) {
        x = x * 1103515245 + 12345;
        data.push_back(char(x >> 16));
    }
    for (size_t len : {0, 1, 63, 64, 65, 200, 64 * 50}) {
        Sha256 s;
        s.update(data.data(), len);
        Digest fast = s.finish();
        // Portable: pad by hand and run the block function directly.
        std::string msg = data.substr(0, len);
        msg.push_back(char(0x80));
        while (msg.size() % 64 != 56) msg.push_back('\0');
        uint64_t bits = uint64_t(len) * 8;
        for (int i = 7; i >= 0; --i) msg.push_back(char(bits >> (8 * i)));
        uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        sha256_blocks_portable(h, reinterpret_cast<const uint8_t *>(msg.data()), msg.size() / 64);
        Digest slow;
        for (int i = 0; i < 8; ++i)
            for (int k = 0; k < 4; ++k) slow[4 * i + k] = uint8_t(h[i] >> (24 - 8 * k));
        EXPECT_EQ(hex(fast), hex(slow)) << len;
    }
    std::cout << "[ INFO     ] SHA extensions in use: " << (sha256_uses_cpu_extensions() ? "yes" : "no") << "\n";
}
