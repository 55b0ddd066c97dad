// json_pointer.cpp — RFC 6901 JSON Pointers as token lists.
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
    size_t pos = 1;
    for (;;) {
        size_t end = pointer.find('/', pos);
        if (end == std::string_view::npos) end = pointer.size();
        std::string token;
        token.reserve(end - pos);
        for (size_t i = pos; i < end; i++) {
            char c = pointer[i];
            if (c != '~') {
                token += c;
                continue;
            }
            char n = i + 1 < end ? pointer[i + 1] : '\0';
            if (n != '0' && n != '1') invalid("has an invalid \"~\" escape");
            token += n == '0' ? '~' : '/';
            i++;
        }
        path.push_back(std::move(token));
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
