// utf8_scan.hpp — strict UTF-8 decoding and validation.
//
// Names are counted in characters and stored strings must be valid text, so
// the core needs one strict decoder: no overlong forms, no surrogates,
// nothing above U+10FFFF (the rules PostgreSQL applies to UTF-8 text).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace tscore {

// Decodes the code point starting at s[i] and advances i past it. Returns
// -1 (and leaves i unchanged) when the bytes there are not valid UTF-8.
inline int32_t utf8_next(std::string_view s, size_t &i) {
    const auto *p = reinterpret_cast<const uint8_t *>(s.data());
    size_t n = s.size();
    uint8_t c = p[i];
    if (c < 0x80) {
        ++i;
        return c;
    }
    int len;
    int32_t cp, min;
    if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; min = 0x80; }
    else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; min = 0x800; }
    else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return -1;
    if (n - i < size_t(len)) return -1;
    for (int k = 1; k < len; ++k) {
        uint8_t cc = p[i + k];
        if ((cc & 0xc0) != 0x80) return -1;
        cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
    i += len;
    return cp;
}

// True when all of s is valid UTF-8. ASCII runs are skipped eight bytes at
// a time: stored documents are mostly ASCII.
inline bool utf8_valid(std::string_view s) {
    size_t i = 0, n = s.size();
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            if ((w & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        if (static_cast<uint8_t>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        if (utf8_next(s, i) < 0) return false;
    }
    return true;
}

}  // namespace tscore
