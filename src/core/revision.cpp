// revision.cpp — the revision grammar and the rules for names.
//
// Only syntax is checked here; the glue resolves what a revision names.
// Decisions the grammar leaves open:
//   - "0" and "v0" parse (version 0); resolving them fails as a version that
//     does not exist (42704), like any other missing version number.
//   - Leading zeros are allowed: "v007" is version 7.
//   - A hash prefix has 7 to 64 hex digits (a SHA-256 has 64); it is
//     stored in lower case.
//   - A NAME base must be a valid branch/tag name (see validate_ref_name);
//     one that never could be is a syntax error, not "does not exist".
//   - "@{...}" ends at the first "}"; its contents are kept verbatim and
//     must not be empty.
//   - No white space is trimmed anywhere.
//   - At most 10000 "~"/"^" steps, so a huge argument cannot take huge
//     memory (the glue bounds each step by the history anyway).
// Names are UTF-8 and counted in characters (code points).
#include "revision.hpp"

#include "errors.hpp"
#include "invisible_chars.hpp"
#include "utf8_scan.hpp"

#include <limits>

namespace tscore {

namespace {

constexpr size_t kMaxNameChars = 63;
constexpr size_t kMinHashDigits = 7;
constexpr size_t kMaxHashDigits = 64;
constexpr size_t kMaxEchoChars = 64;  // longer input is cut in messages
constexpr size_t kMaxEchoBytes = 160;  // and so is input whose escapes make it long
constexpr size_t kMaxSteps = 10000;   // bounds memory for "~~~~..." input

// C0, DEL and C1 controls.
bool is_control(int32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

// "U+200B": how a message names a code point.
std::string code_point_name(int32_t cp) {
    static const char hex[] = "0123456789ABCDEF";
    std::string digits;
    for (; cp > 0 || digits.size() < 4; cp >>= 4) digits.insert(digits.begin(), hex[cp & 0xf]);
    return "U+" + digits;
}

// The input as it appears in a message: at most kMaxEchoChars characters
// and about kMaxEchoBytes bytes, so a huge argument gives a short error; bytes that are not UTF-8 shown
// as "?", so the message is always valid text; control and invisible
// characters shown as "<U+200B>", so the reader sees where they are.
std::string echo(std::string_view text) {
    std::string out;
    size_t i = 0, chars = 0;
    for (; i < text.size() && chars < kMaxEchoChars && out.size() < kMaxEchoBytes; ++chars) {
        size_t start = i;
        int32_t cp = utf8_next(text, i);
        if (cp < 0) {
            out += '?';
            ++i;
        } else if (is_control(cp) || is_invisible_char(cp)) {
            out += "<" + code_point_name(cp) + ">";
        } else {
            out.append(text.substr(start, i - start));
        }
    }
    if (i < text.size()) out += "...";
    return out;
}

[[noreturn]] void bad_revision(std::string_view text, std::string detail, std::string hint = {}) {
    throw Error(ErrorKind::BadRevision, "invalid revision \"" + echo(text) + "\"", std::move(detail), std::move(hint));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

// Parses a non-empty run of decimal digits; false when it overflows int64.
bool parse_int64(std::string_view digits, int64_t &out) {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    int64_t v = 0;
    for (char c : digits) {
        int d = c - '0';
        if (v > (kMax - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

bool version_like(std::string_view s) {
    return all_digits(s) || (s.size() > 1 && s[0] == 'v' && all_digits(s.substr(1)));
}

// Unicode White_Space (the property), which includes the ASCII blanks.
bool is_white_space(int32_t cp) {
    return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

// What is wrong with a name: a detail and, where it helps, a hint.
struct NameProblem {
    NameProblem(std::string detail = {}, std::string hint = {}) : detail(std::move(detail)), hint(std::move(hint)) {}
    std::string detail;  // empty: the name is valid
    std::string hint;
};

constexpr const char *kInvisibleHint =
    "Remove the character: format and invisible characters would let different names look alike.";

// Why `name` is not a valid name, as an error detail; empty when it is.
// `ref` adds the branch/tag rules to the store rules.
NameProblem name_problem(std::string_view name, bool ref) {
    size_t chars = 0;
    for (size_t i = 0; i < name.size(); ++chars) {
        int32_t cp = utf8_next(name, i);
        if (cp < 0) return {"Names must be valid UTF-8 text."};
        if (is_invisible_char(cp))
            return {"Names may not contain format or invisible characters; character " + std::to_string(chars + 1) +
                        " is " + code_point_name(cp) + ".",
                    kInvisibleHint};
        if (ref && is_white_space(cp)) return {"Names may not contain white space."};
        if (is_control(cp)) return {"Names may not contain control characters."};
    }
    if (chars == 0 || chars > kMaxNameChars) return {"Names must be 1 to 63 characters long."};
    if (!ref) return {};
    if (name == "HEAD") return {"\"HEAD\" is reserved."};
    if (version_like(name)) return {"Names that look like a version number (42, v42) are reserved."};
    for (char c : {'~', '^', ':'})
        if (name.find(c) != std::string_view::npos)
            return {std::string("Names may not contain \"") + c + "\"."};
    if (name.find("@{") != std::string_view::npos) return {"Names may not contain \"@{\"."};
    if (name.find("..") != std::string_view::npos) return {"Names may not contain \"..\"."};
    return {};
}

// End of the base: the first "~", "^" or "@{".
size_t base_end(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '~' || c == '^') return i;
        if (c == '@' && i + 1 < text.size() && text[i + 1] == '{') return i;
    }
    return text.size();
}

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

void parse_base(std::string_view text, std::string_view base, Revision &rev) {
    if (base.empty())
        bad_revision(text, "A revision starts with a version number, \"h:\" and a hash prefix, HEAD, or a branch or tag name.");
    if (version_like(base)) {
        rev.base = Revision::Base::Version;
        if (!parse_int64(base[0] == 'v' ? base.substr(1) : base, rev.version))
            bad_revision(text, "The version number is out of range.");
        return;
    }
    if (base.substr(0, 2) == "h:") {
        std::string_view hex = base.substr(2);
        for (char c : hex)
            if (!is_hex(c)) bad_revision(text, "A hash prefix may only contain hex digits.");
        if (hex.size() < kMinHashDigits) bad_revision(text, "A hash prefix needs at least 7 hex digits.");
        if (hex.size() > kMaxHashDigits) bad_revision(text, "A hash has at most 64 hex digits.");
        rev.base = Revision::Base::HashPrefix;
        rev.text.reserve(hex.size());
        for (char c : hex) rev.text += (c >= 'A' && c <= 'F') ? char(c - 'A' + 'a') : c;
        return;
    }
    if (base == "HEAD") {
        rev.base = Revision::Base::Head;
        return;
    }
    NameProblem problem = name_problem(base, true);
    if (!problem.detail.empty()) bad_revision(text, std::move(problem.detail), std::move(problem.hint));
    rev.base = Revision::Base::Name;
    rev.text.assign(base);
}

[[noreturn]] void bad_name(std::string_view name, const char *what, NameProblem problem) {
    throw Error(ErrorKind::BadName, std::string("invalid ") + what + " name \"" + echo(name) + "\"",
                std::move(problem.detail), std::move(problem.hint));
}

}  // namespace

Revision parse_revision(std::string_view text) {
    if (text.empty()) bad_revision(text, "A revision may not be empty.");
    Revision rev;
    size_t i = base_end(text);
    parse_base(text, text.substr(0, i), rev);

    if (text.substr(i, 2) == "@{") {
        if (rev.base != Revision::Base::Name && rev.base != Revision::Base::Head)
            bad_revision(text, "\"@{...}\" is only allowed after a branch name or HEAD.");
        size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) bad_revision(text, "\"@{\" has no closing \"}\".");
        if (close == i + 2) bad_revision(text, "\"@{}\" needs a time inside the braces.");
        rev.has_at = true;
        rev.at.assign(text.substr(i + 2, close - i - 2));
        i = close + 1;
    }

    while (i < text.size()) {
        char c = text[i];
        if (c != '~' && c != '^')
            bad_revision(text, "Unexpected \"" + echo(text.substr(i)) +
                                   "\"; only \"~N\" and \"^N\" steps may follow the base revision.");
        if (rev.steps.size() == kMaxSteps)
            bad_revision(text, "A revision may have at most " + std::to_string(kMaxSteps) + " steps.");
        size_t start = ++i;
        while (i < text.size() && is_digit(text[i])) ++i;
        int64_t n = 1;
        if (i > start && !parse_int64(text.substr(start, i - start), n))
            bad_revision(text, "A step count is out of range.");
        rev.steps.push_back({c == '~' ? RevisionStep::Kind::Ancestor : RevisionStep::Kind::Parent, n});
    }
    return rev;
}

void validate_store_name(std::string_view name) {
    NameProblem problem = name_problem(name, false);
    if (!problem.detail.empty()) bad_name(name, "store", std::move(problem));
}

void validate_ref_name(std::string_view name, const char *what) {
    NameProblem problem = name_problem(name, true);
    if (!problem.detail.empty()) bad_name(name, what ? what : "ref", std::move(problem));
}

}  // namespace tscore
