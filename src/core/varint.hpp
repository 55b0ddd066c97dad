// varint.hpp — unsigned LEB128 integers, as the payload encodings use them.
//
// Seven bits per byte, least significant group first, high bit set on every
// byte but the last. Readers accept only the minimal form, so every number
// has one encoding and a corrupt byte cannot hide in a padded one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tscore {

constexpr size_t kMaxVarintBytes = 10;  // a uint64_t

inline size_t varint_size(uint64_t v) {
    size_t n = 1;
    for (; v >= 0x80; v >>= 7) ++n;
    return n;
}

// Writes v at p and returns the byte after it.
inline uint8_t *varint_put(uint8_t *p, uint64_t v) {
    for (; v >= 0x80; v >>= 7) *p++ = uint8_t(v | 0x80);
    *p++ = uint8_t(v);
    return p;
}

inline void varint_append(std::string &out, uint64_t v) {
    uint8_t buf[kMaxVarintBytes];
    out.append(reinterpret_cast<const char *>(buf), varint_put(buf, v) - buf);
}

// Reads a varint at p (not past end) and advances p. False when it is
// truncated, longer than ten bytes, above 2^64-1 or not minimal.
inline bool varint_get(const uint8_t *&p, const uint8_t *end, uint64_t &v) {
    if (p < end && *p < 0x80) {  // one byte: the common case
        v = *p++;
        return true;
    }
    uint64_t r = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
        uint8_t b = *p++;
        if (shift == 63 && b > 1) return false;  // more than 64 bits
        r |= uint64_t(b & 0x7f) << shift;
        if (b < 0x80) {
            if (b == 0 && shift > 0) return false;  // padded: not minimal
            v = r;
            return true;
        }
    }
    return false;
}

}  // namespace tscore
