// export_format.cpp — see export_format.hpp.
#include "export_format.hpp"

#include <cstdio>
#include <cstdlib>

#include "errors.hpp"

namespace tscore {
namespace export_format {

namespace {

[[noreturn]] void bad(const std::string &what) { throw Error(ErrorKind::Invalid, what); }

// Floor division and remainder for possibly negative times.
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
void civil_from_days(int64_t z, int64_t &y, unsigned &m, unsigned &d) {
    z += 719468;
    const int64_t era = floor_div(z, 146097);
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

Value num(int64_t v) { return Value::number(std::to_string(v)); }

Value opt_str(const std::optional<std::string> &s) { return s ? Value::string(*s) : Value::null(); }

const Value &member(const Value &line, const char *key) {
    static const Value kAbsent;
    const Value *v = line.find(key);
    return v ? *v : kAbsent;
}

// An integer JSON number (no fraction, no exponent) within int64.
std::optional<int64_t> as_int(const Value &v) {
    if (!v.is_number()) return std::nullopt;
    const std::string &t = v.text();
    size_t i = t[0] == '-' ? 1 : 0;
    if (i == t.size() || t.size() - i > 18) return std::nullopt;
    for (size_t j = i; j < t.size(); j++)
        if (t[j] < '0' || t[j] > '9') return std::nullopt;
    return std::strtoll(t.c_str(), nullptr, 10);
}

int64_t req_int(const Value &line, const char *key) {
    std::optional<int64_t> v = as_int(member(line, key));
    if (!v) bad(std::string("\"") + key + "\" must be an integer");
    return *v;
}

std::optional<int64_t> opt_int(const Value &line, const char *key) {
    const Value &v = member(line, key);
    if (v.is_null()) return std::nullopt;
    std::optional<int64_t> i = as_int(v);
    if (!i) bad(std::string("\"") + key + "\" must be an integer or null");
    return i;
}

std::string req_str(const Value &line, const char *key) {
    const Value &v = member(line, key);
    if (!v.is_string()) bad(std::string("\"") + key + "\" must be a string");
    return v.text();
}

std::optional<std::string> opt_str_of(const Value &line, const char *key) {
    const Value &v = member(line, key);
    if (v.is_null()) return std::nullopt;
    if (!v.is_string()) bad(std::string("\"") + key + "\" must be a string or null");
    return v.text();
}

}  // namespace

std::string iso_utc(int64_t unix_us) {
    int64_t days = floor_div(unix_us, 86400000000LL);
    int64_t rest = unix_us - days * 86400000000LL;  // 0 .. one day
    int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    if (y < 1 || y > 9999) bad("committed_at is out of range");
    int64_t secs = rest / 1000000, us = rest % 1000000;
    char buf[40];
    snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", (int)y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60), (int)us);
    return buf;
}

std::string to_hex(std::string_view bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(hex.size() / 2);
    for (size_t i = 0; i < hex.size(); i += 2) {
        int hi = digit(hex[i]), lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back((char)(hi * 16 + lo));
    }
    return out;
}

Value encode_header(const Header &h) {
    Value v = Value::object();
    v.set("seq", num(0));
    v.set("format", Value::string(kFormatName));
    v.set("format_version", num(kFormatVersion));
    v.set("store", Value::string(h.store));
    v.set("versions", num(h.versions));
    v.set("events", num(h.events));
    return v;
}

Header decode_header(const Value &line) {
    if (!line.is_object()) bad("the header is not a JSON object");
    const Value &f = member(line, "format");
    if (!f.is_string() || f.text() != kFormatName)
        bad(std::string("the first line is not a header: \"format\" must be \"") + kFormatName + "\"");
    int64_t version = req_int(line, "format_version");
    if (version != kFormatVersion)
        bad("unsupported format_version " + std::to_string(version) + " (this version reads " +
            std::to_string(kFormatVersion) + ")");
    Header h;
    h.store = req_str(line, "store");
    h.versions = req_int(line, "versions");
    h.events = req_int(line, "events");
    if (h.versions < 1 || h.events < 0) bad("\"versions\" must be at least 1 and \"events\" not negative");
    return h;
}

const char *encoding_name(Encoding e) {
    switch (e) {
        case Encoding::Full: return "full";
        case Encoding::JsonPatch: return "json_patch";
        default: return "merge_patch";
    }
}

Value encode_line(Line line) {
    Value v = Value::object();
    v.set("seq", num(line.seq));
    v.set("event_type", Value::string(line.event_type));
    v.set("version", line.version ? num(*line.version) : Value::null());
    v.set("branch_id", line.branch_id ? num(*line.branch_id) : Value::null());
    v.set("branch", opt_str(line.branch));
    v.set("author", Value::string(line.author));
    v.set("message", opt_str(line.message));
    v.set("metadata", std::move(line.metadata));
    v.set("committed_at", Value::string(iso_utc(line.committed_at_us)));
    v.set("committed_at_us", num(line.committed_at_us));
    if (line.is_version) {
        Value parents = Value::array();
        for (int64_t p : line.parents) parents.items().push_back(num(p));
        v.set("parents", std::move(parents));
        v.set("hash", Value::string(to_hex(line.hash)));
        if (line.payload) {
            Value p = Value::object();
            p.set("encoding", Value::string(encoding_name(line.payload->encoding)));
            p.set(line.payload->encoding == Encoding::Full ? "state" : "patch", std::move(line.payload->body));
            v.set("payload", std::move(p));
        } else {
            v.set("payload", Value::null());
        }
    } else {
        v.set("payload", std::move(line.event_payload));
    }
    return v;
}

Line decode_line(const Value &v) {
    if (!v.is_object()) bad("the line is not a JSON object");
    Line line;
    line.seq = req_int(v, "seq");
    line.event_type = req_str(v, "event_type");
    line.version = opt_int(v, "version");
    if (std::optional<int64_t> b = opt_int(v, "branch_id")) {
        if (*b < 1 || *b > INT32_MAX) bad("\"branch_id\" is out of range");
        line.branch_id = (int32_t)*b;
    }
    line.branch = opt_str_of(v, "branch");
    line.author = req_str(v, "author");
    line.message = opt_str_of(v, "message");
    const Value &meta = member(v, "metadata");
    if (!meta.is_object()) bad("\"metadata\" must be a JSON object");
    line.metadata = meta;
    line.committed_at_us = req_int(v, "committed_at_us");
    // For people; it must say the same as committed_at_us.
    std::string iso = req_str(v, "committed_at");
    if (iso != iso_utc(line.committed_at_us))
        bad("\"committed_at\" (" + iso + ") does not match \"committed_at_us\" (" + iso_utc(line.committed_at_us) +
            ")");
    const Value &parents = member(v, "parents");
    line.is_version = parents.is_array();
    if (!line.is_version) {
        if (!parents.is_null()) bad("\"parents\" must be an array (version events) or absent");
        line.event_payload = member(v, "payload");
        return line;
    }
    if (!line.version) bad("a version event needs \"version\"");
    if (parents.items().size() > 2) bad("a version has at most two parents");
    for (const Value &p : parents.items()) {
        std::optional<int64_t> i = as_int(p);
        if (!i) bad("\"parents\" must hold version numbers");
        line.parents.push_back(*i);
    }
    if (!line.branch_id) bad("a version event needs \"branch_id\"");
    std::optional<std::string> hash = from_hex(req_str(v, "hash"));
    if (!hash || hash->size() != 32) bad("\"hash\" must be 64 hex digits");
    line.hash = std::move(*hash);
    const Value &p = member(v, "payload");
    if (p.is_null()) return line;  // compacted
    if (!p.is_object()) bad("\"payload\" must be an object or null");
    std::string enc = req_str(p, "encoding");
    PortablePayload pp;
    const char *body_key = "patch";
    if (enc == "full") {
        pp.encoding = Encoding::Full;
        body_key = "state";
    } else if (enc == "json_patch") {
        pp.encoding = Encoding::JsonPatch;
    } else if (enc == "merge_patch") {
        pp.encoding = Encoding::MergePatch;
    } else {
        bad("unknown payload encoding \"" + enc + "\"");
    }
    const Value *body = p.find(body_key);
    if (!body) bad(std::string("a \"") + enc + "\" payload needs \"" + body_key + "\"");
    if (pp.encoding == Encoding::JsonPatch && !body->is_array()) bad("a json_patch payload's patch must be an array");
    pp.body = *body;
    line.payload = std::move(pp);
    return line;
}

}  // namespace export_format
}  // namespace tscore
