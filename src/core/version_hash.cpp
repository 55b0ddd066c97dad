// version_hash.cpp — the chained version hash (format 1).
//
// The hash is stored and compared forever (export/import, dump/restore,
// ts_verify), so this encoding is an on-disk contract: never change it,
// add a new format byte instead. It is deliberately independent of the
// payload codec, which may evolve on its own. SHA-256 over:
//
//   u8     kHashFormat (1)
//   u64    number of parents, then each parent's 32-byte hash, in order
//   value  the state
//   str    the author's name
//   u8 0   when the message is NULL, else u8 1 and str message
//   value  the metadata (a null pointer counts as {}, its SQL default)
//   i64    committed_at, microseconds since 1970-01-01 00:00:00 UTC
//
// Integers are fixed-width 8-byte big-endian (i64 in two's complement);
// str is u64 byte length then the bytes. A value is one tag byte then:
//   0 null, 1 false, 2 true       nothing
//   3 number                      str: its text, exactly as stored
//   4 string                      str: its UTF-8 bytes
//   5 array                       u64 count, then each element
//   6 object                      u64 count, then each member as str key
//                                 and value, in jsonb key order
// Fixed widths make every field self-delimiting and the format easy to
// reimplement. The encoding is streamed through SHA-256 via a small buffer,
// never built in memory, so large states cost no extra allocation.
#include "version_hash.hpp"

#include <cstring>
#include <string_view>

#include "errors.hpp"
#include "value_walk.hpp"

namespace tscore {

namespace {

// Big-endian, whatever the host's byte order.
inline void store_be64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (56 - 8 * i));
}

class HashWriter final : public StateHashWriter {
public:
    void u8(uint8_t v) {
        if (n_ == sizeof buf_) flush();
        buf_[n_++] = v;
    }

    void u64(uint64_t v) {
        if (sizeof buf_ - n_ < 8) flush();
        store_be64(buf_ + n_, v);
        n_ += 8;
    }

    // A tag byte, then a length and the bytes (the common case: all of it
    // fits the buffer, one check).
    void tagged_str(uint8_t tag, std::string_view s) {
        if (sizeof buf_ - n_ >= 9 + s.size()) {
            buf_[n_] = tag;
            store_be64(buf_ + n_ + 1, s.size());
            std::memcpy(buf_ + n_ + 9, s.data(), s.size());
            n_ += 9 + s.size();
            return;
        }
        u8(tag);
        str(s);
    }

    void str(std::string_view s) {
        if (sizeof buf_ - n_ >= 8 + s.size()) {
            store_be64(buf_ + n_, s.size());
            std::memcpy(buf_ + n_ + 8, s.data(), s.size());
            n_ += 8 + s.size();
            return;
        }
        u64(s.size());
        put(s.data(), s.size());
    }

    void put(const void *data, size_t len) {
        if (len > sizeof buf_ - n_) {
            flush();
            if (len >= sizeof buf_) {  // large: straight to the hash
                sha_.update(data, len);
                return;
            }
        }
        std::memcpy(buf_ + n_, data, len);
        n_ += len;
    }

    // The value encoding, driven by walk_value (value_walk.hpp), which also
    // bounds the depth and refuses members out of order: the hash is only
    // canonical if the keys are, so a broken tree gets no hash at all.
    void value(const Value &v) { walk_value(v, *this); }
    void new_state(const Value &v) { walk_value(v, *this, kMaxStateDepth, throw_state_too_deep); }
    void scalar(const Value &v) {
        switch (v.kind()) {
        case Kind::Null: u8(0); break;
        case Kind::False: u8(1); break;
        case Kind::True: u8(2); break;
        case Kind::Number: tagged_str(3, v.text()); break;
        case Kind::String: tagged_str(4, v.text()); break;
        default: break;  // containers go to open()
        }
    }
    void open(const Value &v) {
        if (v.is_array()) {
            u8(5);
            u64(v.items().size());
        } else {
            u8(6);
            u64(v.members().size());
        }
    }
    void key(const std::string &k) { str(k); }

    // StateHashWriter: the same encoding, element by element.
    void null() override { u8(0); }
    void boolean(bool b) override { u8(b ? 2 : 1); }
    void number(std::string_view text) override { tagged_str(3, text); }
    void string(std::string_view text) override { tagged_str(4, text); }
    void open_array(uint64_t count) override {
        u8(5);
        u64(count);
    }
    void open_object(uint64_t count) override {
        u8(6);
        u64(count);
    }
    void key(std::string_view k) override { str(k); }

    Digest finish() {
        flush();
        return sha_.finish();
    }

private:
    void flush() {
        sha_.update(buf_, n_);
        n_ = 0;
    }

    Sha256 sha_;
    uint8_t buf_[4096];
    size_t n_ = 0;
};

}  // namespace

Digest version_hash(const VersionHashInput &in) {
    if (!in.state && !in.write_state) throw Error(ErrorKind::Invalid, "version hash needs a state");
    HashWriter w;
    w.u8(kHashFormat);
    w.u64(in.parents.size());
    for (const Digest &parent : in.parents) w.put(parent.data(), parent.size());
    if (in.state && in.new_state)
        w.new_state(*in.state);
    else if (in.state)
        w.value(*in.state);
    else
        in.write_state(w);
    w.str(in.author);
    if (in.message) {
        w.u8(1);
        w.str(*in.message);
    } else {
        w.u8(0);
    }
    if (in.metadata) {
        w.value(*in.metadata);
    } else {
        w.u8(6);  // {}
        w.u64(0);
    }
    w.u64(uint64_t(in.committed_at_unix_us));
    return w.finish();
}

}  // namespace tscore
