// invisible_chars.hpp — characters a name may not contain because they
// cannot be seen: two names that differ only in them look alike.
#pragma once

#include <cstdint>

namespace tscore {

// True for a code point of General_Category Cf (format), Zl (line
// separator) or Zp (paragraph separator), or with the property
// Default_Ignorable_Code_Point, per Unicode 14.0.0. Unassigned code points
// inside those sets (e.g. U+2065, U+E0080..U+E00FF) count too.
bool is_invisible_char(int32_t cp);

}  // namespace tscore
