// noinline.hpp — TS_NOINLINE keeps rarely taken paths and their
// temporaries out of recursive frames: deep documents recurse once per
// level, so every byte of a frame counts.
#pragma once

#if defined(__GNUC__)
#define TS_NOINLINE __attribute__((noinline))
#else
#define TS_NOINLINE
#endif
