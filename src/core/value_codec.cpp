// value_codec.cpp — the compact binary form of a Value (encode_value,
// decode_value; declared in payload_codec.hpp). It is the body of every
// stored payload, so it is part of the on-disk format:
//
//   value  := tag:u8 rest
//   tag 0 null, 1 false, 2 true     (no rest)
//   tag 3 number                    varint length, the number's text
//   tag 4 string                    varint length, UTF-8 bytes
//   tag 5 array                     varint count, count values
//   tag 6 object                    varint count, count × (varint key
//                                   length, key bytes, value), keys in
//                                   jsonb order, no duplicates
//
// Varints are minimal unsigned LEB128 (varint.hpp). Encoding sizes the
// output first and writes it in one allocation; it refuses (Error(Invalid)
// or Error(TooDeep)) any tree the decoder would refuse, so nothing is stored
// that cannot be read back. Decoding trusts nothing: it checks every length
// against the bytes left, tags, UTF-8, number syntax, key order, nesting
// depth and trailing bytes, and reports any fault as Error(CorruptPayload).
// No walk recurses, so deep documents never strain the stack.
#include "payload_codec.hpp"

#include <cstring>
#include <vector>

#include "errors.hpp"
#include "utf8_scan.hpp"
#include "value_walk.hpp"
#include "varint.hpp"

namespace tscore {

namespace {

enum Tag : uint8_t { kNull = 0, kFalse = 1, kTrue = 2, kNumber = 3, kString = 4, kArray = 5, kObject = 6 };

// JSON number syntax (RFC 8259): -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
    size_t i = 0, n = s.size();
    auto digits = [&] {
        size_t start = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
        return i > start;
    };
    if (i < n && s[i] == '-') ++i;
    if (i < n && s[i] == '0') ++i;
    else if (!digits()) return false;
    if (i < n && s[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == n;
}

[[noreturn]] void unstorable(const char *what) {
    throw Error(ErrorKind::Invalid, std::string("cannot store a document with ") + what);
}

// First pass: the exact encoded size, and the checks the decoder makes
// (walk_value adds depth and member order), so a broken tree is refused
// before anything is stored.
struct SizeSink {
    size_t n = 0;
    void scalar(const Value &v) {
        n += 1;
        if (v.is_number() && !is_json_number(v.text())) unstorable("a malformed number");
        if (v.is_string() && !utf8_valid(v.text())) unstorable("a string that is not valid UTF-8");
        if (v.is_number() || v.is_string()) n += varint_size(v.text().size()) + v.text().size();
    }
    void open(const Value &v) {
        n += 1 + varint_size(v.is_array() ? v.items().size() : v.members().size());
    }
    void key(const std::string &k) {
        if (!utf8_valid(k)) unstorable("a key that is not valid UTF-8");
        n += varint_size(k.size()) + k.size();
    }
};

// Second pass: writes into the buffer the first pass sized.
struct WriteSink {
    uint8_t *p;
    void bytes(const std::string &s) {
        p = varint_put(p, s.size());
        std::memcpy(p, s.data(), s.size());
        p += s.size();
    }
    void scalar(const Value &v) {
        switch (v.kind()) {
        case Kind::Null: *p++ = kNull; break;
        case Kind::False: *p++ = kFalse; break;
        case Kind::True: *p++ = kTrue; break;
        case Kind::Number: *p++ = kNumber; bytes(v.text()); break;
        case Kind::String: *p++ = kString; bytes(v.text()); break;
        default: break;  // containers go to open()
        }
    }
    void open(const Value &v) {
        if (v.is_array()) {
            *p++ = kArray;
            p = varint_put(p, v.items().size());
        } else {
            *p++ = kObject;
            p = varint_put(p, v.members().size());
        }
    }
    void key(const std::string &k) { bytes(k); }
};

[[noreturn]] void corrupt(std::string detail) {
    throw Error(ErrorKind::CorruptPayload, "stored payload is corrupt", std::move(detail));
}

// Decodes with a heap stack of open containers, so crafted input of any
// depth is refused without deep recursion. Each value is built by its
// factory and moved into place (no assignment into a default Value), and
// containers are reserved to their count first, so the pointers on the
// stack stay valid while their children are appended.
class Decoder {
public:
    Decoder(const uint8_t *p, const uint8_t *end) : p_(p), end_(end) {}

    Value run() {
        stack_.reserve(16);
        Value root = one();
        open(&root);
        while (!stack_.empty()) {
            poll();
            Frame &f = stack_.back();
            Value *c = f.c;
            if (c->is_array()) {
                auto &items = c->items();
                if (items.size() == f.count) {
                    stack_.pop_back();
                    continue;
                }
                items.push_back(one());  // f may dangle after open(): not used
                open(&items.back());
            } else {
                auto &members = c->members();
                if (members.size() == f.count) {
                    stack_.pop_back();
                    continue;
                }
                std::string_view key = bytes();
                if (!utf8_valid(key)) corrupt("An object key is not valid UTF-8.");
                if (!members.empty() && !key_less(members.back().first, key))
                    corrupt("Object keys are out of order or repeated.");
                members.emplace_back(std::string(key), one());
                open(&members.back().second);
            }
        }
        if (p_ != end_) corrupt("There are bytes after the value.");
        return root;
    }

private:
    struct Frame {
        Value *c;
        uint64_t count;  // elements or members the container will hold
    };

    // Reads one tag and what follows it. A container comes back empty,
    // reserved, with its count left in pending_ for open().
    Value one() {
        if (p_ == end_) corrupt("The value encoding ends early.");
        switch (*p_++) {
        case kNull: return Value();
        case kFalse: return Value::boolean(false);
        case kTrue: return Value::boolean(true);
        case kNumber: {
            std::string_view text = bytes();
            if (!is_json_number(text)) corrupt("A number is not valid JSON number text.");
            return Value::number(std::string(text));
        }
        case kString: {
            std::string_view text = bytes();
            if (!utf8_valid(text)) corrupt("A string is not valid UTF-8.");
            return Value::string(std::string(text));
        }
        case kArray: {
            check_depth();
            pending_ = count(1);
            charge(pending_ * sizeof(Value));
            Value v = Value::array();
            v.items().reserve(pending_);
            return v;
        }
        case kObject: {
            check_depth();
            pending_ = count(2);
            charge(pending_ * sizeof(Member));
            Value v = Value::object();
            v.members().reserve(pending_);
            return v;
        }
        default:
            corrupt("Unknown value tag " + std::to_string(p_[-1]) + ".");
        }
    }

    // Makes the container just placed at v the one being filled, if it
    // has contents.
    void open(Value *v) {
        if (pending_ > 0) stack_.push_back({v, pending_});
        pending_ = 0;
    }

    void check_depth() {
        if (stack_.size() >= size_t(kMaxDepth)) corrupt("The value is nested too deeply.");
    }

    uint64_t length() {
        uint64_t n;
        if (!varint_get(p_, end_, n)) corrupt("A length is truncated or malformed.");
        return n;
    }

    // A string's, number's or key's bytes; charged, as they are copied.
    std::string_view bytes() {
        uint64_t n = length();
        if (n > uint64_t(end_ - p_)) corrupt("A string or number runs past the end of the payload.");
        charge(n);
        std::string_view s(reinterpret_cast<const char *>(p_), n);
        p_ += n;
        return s;
    }

    // An element count; each element needs at least min_size bytes, so a
    // count the remaining bytes cannot hold is refused before allocating.
    uint64_t count(uint64_t min_size) {
        uint64_t n = length();
        if (n > uint64_t(end_ - p_) / min_size) corrupt("An element count exceeds the payload size.");
        return n;
    }

    const uint8_t *p_;
    const uint8_t *end_;
    uint64_t pending_ = 0;
    std::vector<Frame> stack_;
};

}  // namespace

void encode_value_append(const Value &v, std::string &out) {
    SizeSink size;
    walk_value(v, size);
    size_t start = out.size();
    out.resize(start + size.n);
    WriteSink write{reinterpret_cast<uint8_t *>(&out[start])};
    walk_value(v, write);
}

std::string encode_value(const Value &v) {
    std::string out;
    encode_value_append(v, out);
    return out;
}

Value decode_value(std::string_view bytes) {
    BudgetScope budget;
    const auto *p = reinterpret_cast<const uint8_t *>(bytes.data());
    return Decoder(p, p + bytes.size()).run();
}

}  // namespace tscore
