// revision.hpp — the revision grammar and ref-name rules.
//
//   revision := base [ "@{" timestamp "}" ] { "~" [N] | "^" [N] }
//   base     := N | "v" N | "h:" HEX(7+) | "HEAD" | NAME
// "@{...}" is only allowed after a NAME or HEAD. "~" alone is "~1", "^" alone
// is "^1"; "~0" and "^0" are the revision itself. The parser only checks
// syntax; the glue resolves names, hashes and timestamps against tables.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tscore {

struct RevisionStep {
    enum class Kind { Ancestor, Parent };  // "~N": N first parents; "^N": Nth parent
    Kind kind;
    int64_t n;
};

struct Revision {
    enum class Base { Version, HashPrefix, Head, Name };
    Base base = Base::Head;
    int64_t version = 0;         // Base::Version
    std::string text;            // HashPrefix: lower-case hex; Name: the name
    bool has_at = false;         // "@{...}" present
    std::string at;              // its contents, untrimmed
    std::vector<RevisionStep> steps;
};

// Throws Error(BadRevision) with a message saying what is wrong.
Revision parse_revision(std::string_view text);

// Store names: 1-63 characters, no control characters, no format or
// invisible characters (invisible_chars.hpp; the error has a hint). Branch
// and tag names also:
// not "HEAD", not version-like ("42", "v42"), no "~", "^", ":", "@{", "..",
// or white space. Throw Error(BadName); `what` is "store", "branch" or "tag".
void validate_store_name(std::string_view name);
void validate_ref_name(std::string_view name, const char *what);

}  // namespace tscore
