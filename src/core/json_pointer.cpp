// json_pointer.cpp — RFC 6901 JSON Pointers as token lists.
#include <algorithm>

#include "errors.hpp"
#include "json_patch.hpp"

namespace tscore {

// "" is the whole document; otherwise "/"-separated tokens with "~1" for
// "/" and "~0" for "~". "-" and index syntax are the caller's business.
Path parse_pointer(std::string_view pointer) {
    Path path;
    if (pointer.empty()) return path;
    auto invalid = [&](const char *why) {
        std::string msg = "JSON Pointer ";
        append_json_string(msg, pointer);  // escaped: the text may be anything
        throw Error(ErrorKind::InvalidPatch, msg + " " + why);
    };
    if (pointer[0] != '/') invalid("does not start with \"/\"");
    path.reserve(std::count(pointer.begin(), pointer.end(), '/'));
    size_t pos = 1;
    for (;;) {
        size_t end = pointer.find('/', pos);
        if (end == std::string_view::npos) end = pointer.size();
        std::string_view raw = pointer.substr(pos, end - pos);
        std::string &token = path.emplace_back();
        // Runs without '~' are copied whole; only escapes need a look.
        for (size_t i = 0;;) {
            size_t tilde = raw.find('~', i);
            token.append(raw.substr(i, tilde == std::string_view::npos ? std::string_view::npos : tilde - i));
            if (tilde == std::string_view::npos) break;
            char n = tilde + 1 < raw.size() ? raw[tilde + 1] : '\0';
            if (n != '0' && n != '1') invalid("has an invalid \"~\" escape");
            token += n == '0' ? '~' : '/';
            i = tilde + 2;
        }
        if (end == pointer.size()) return path;
        pos = end + 1;
    }
}

void append_pointer_token(std::string &out, std::string_view token) {
    out += '/';
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
}

std::string format_pointer(const Path &path) {
    std::string out;
    for (const std::string &t : path) append_pointer_token(out, t);
    return out;
}

}  // namespace tscore
