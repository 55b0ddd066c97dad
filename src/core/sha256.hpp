// sha256.hpp — a self-contained SHA-256 (FIPS 180-4) for the version hash.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tscore {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
public:
    Sha256();
    void update(const void *data, size_t len);
    Digest finish();

private:
    void block(const uint8_t *p);
    uint32_t h_[8];
    uint8_t buf_[64];
    size_t buf_len_ = 0;
    uint64_t total_ = 0;
};

Digest sha256(const void *data, size_t len);
std::string to_hex(const uint8_t *data, size_t len);

}  // namespace tscore
