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

// Whether the x86 SHA extensions are in use on this CPU (tests, benchmarks).
bool sha256_uses_cpu_extensions();
// The portable block function over n 64-byte blocks, so tests can check the
// accelerated one against it.
void sha256_blocks_portable(uint32_t *state, const uint8_t *blocks, size_t n);

}  // namespace tscore
