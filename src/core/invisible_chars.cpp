// invisible_chars.cpp — see invisible_chars.hpp.
#include "invisible_chars.hpp"

#include <algorithm>
#include <iterator>

namespace tscore {

namespace {

struct Range {
    int32_t first, last;  // inclusive
};

// The union of General_Category Cf, Zl, Zp and Default_Ignorable_Code_Point
// in Unicode 14.0.0 (UnicodeData.txt, DerivedCoreProperties.txt), merged
// into disjoint ranges in ascending order. The data, not a generator, is
// kept here; it was taken from the Unicode 14.0.0 tables that ship with
// Python's unicodedata and Perl's Unicode::UCD, which agree on it. Ranges
// that are only Default_Ignorable (not Cf) are marked "DI".
constexpr Range kInvisible[] = {
    {0x00AD, 0x00AD},    // SOFT HYPHEN
    {0x034F, 0x034F},    // COMBINING GRAPHEME JOINER (DI)
    {0x0600, 0x0605},    // ARABIC NUMBER SIGN .. ARABIC NUMBER MARK ABOVE
    {0x061C, 0x061C},    // ARABIC LETTER MARK
    {0x06DD, 0x06DD},    // ARABIC END OF AYAH
    {0x070F, 0x070F},    // SYRIAC ABBREVIATION MARK
    {0x0890, 0x0891},    // ARABIC POUND/PIASTRE MARK ABOVE
    {0x08E2, 0x08E2},    // ARABIC DISPUTED END OF AYAH
    {0x115F, 0x1160},    // HANGUL CHOSEONG/JUNGSEONG FILLER (DI)
    {0x17B4, 0x17B5},    // KHMER VOWEL INHERENT AQ/AA (DI)
    {0x180B, 0x180F},    // MONGOLIAN FREE VARIATION SELECTORS (DI), VOWEL SEPARATOR
    {0x200B, 0x200F},    // ZERO WIDTH SPACE .. RIGHT-TO-LEFT MARK
    {0x2028, 0x202E},    // LINE SEPARATOR, PARAGRAPH SEPARATOR, bidi embeddings and overrides
    {0x2060, 0x206F},    // WORD JOINER .. NOMINAL DIGIT SHAPES (U+2065 unassigned, DI)
    {0x3164, 0x3164},    // HANGUL FILLER (DI)
    {0xFE00, 0xFE0F},    // VARIATION SELECTORS 1-16 (DI)
    {0xFEFF, 0xFEFF},    // ZERO WIDTH NO-BREAK SPACE (byte order mark)
    {0xFFA0, 0xFFA0},    // HALFWIDTH HANGUL FILLER (DI)
    {0xFFF0, 0xFFFB},    // unassigned (DI), INTERLINEAR ANNOTATION ANCHOR .. TERMINATOR
    {0x110BD, 0x110BD},  // KAITHI NUMBER SIGN
    {0x110CD, 0x110CD},  // KAITHI NUMBER SIGN ABOVE
    {0x13430, 0x13438},  // EGYPTIAN HIEROGLYPH format controls
    {0x1BCA0, 0x1BCA3},  // SHORTHAND FORMAT controls
    {0x1D173, 0x1D17A},  // MUSICAL SYMBOL BEGIN BEAM .. END PHRASE
    {0xE0000, 0xE0FFF},  // TAGS, VARIATION SELECTORS 17-256, the rest unassigned (DI)
};

}  // namespace

bool is_invisible_char(int32_t cp) {
    // The first range whose last code point is at or past cp.
    auto it = std::lower_bound(std::begin(kInvisible), std::end(kInvisible), cp,
                               [](const Range &r, int32_t c) { return r.last < c; });
    return it != std::end(kInvisible) && it->first <= cp;
}

}  // namespace tscore
