// fuzz_version_hash — version_hash's input encoding and SHA-256.
//
// Input: the bytes drive two hash inputs A and B (parents, state, author,
// message or NULL, metadata or none, committed_at): B is A with a few
// byte-chosen fields changed (sometimes none, sometimes to an equal value).
// States and metadata come from TreeGen with any bytes in strings and keys
// and, rarely, object members out of order. Checks:
//   - version_hash throws Invalid exactly when a tree has members out of
//     key order, and nothing else;
//   - hashing a state given as a tree and given through write_state
//     (StateHashWriter, walked here) gives the same digest;
//   - the encoding is injective: hash(A) == hash(B) exactly when A and B
//     are equal field by field (a NULL metadata equals {});
//   - SHA-256: incremental updates at byte-chosen split points give the
//     one-shot digest, and the portable block function, fed the padded
//     message, gives the same digest as the (maybe accelerated) default.
#include "fuzz_support.hpp"

#include <cstring>

#include "core/sha256.hpp"
#include "core/version_hash.hpp"

using namespace tscore;

namespace {

struct Fields {
    std::vector<Digest> parents;
    Value state;
    std::string author;
    std::optional<std::string> message;
    std::optional<Value> metadata;
    int64_t committed_at = 0;

    VersionHashInput input() const {
        VersionHashInput in;
        in.parents = parents;
        in.state = &state;
        in.author = author;
        in.message = message;
        in.metadata = metadata ? &*metadata : nullptr;
        in.committed_at_unix_us = committed_at;
        return in;
    }
    bool operator==(const Fields &o) const {
        static const Value empty = Value::object();
        const Value &m = metadata ? *metadata : empty, &om = o.metadata ? *o.metadata : empty;
        return parents == o.parents && state == o.state && author == o.author && message == o.message &&
               m == om && committed_at == o.committed_at;
    }
};

Digest digest(fuzz::Bytes &in) {
    Digest d{};
    uint8_t fill = in.u8();
    for (auto &b : d) b = fill & 1 ? in.u8() : fill;
    return d;
}

void change(Fields &f, fuzz::Bytes &in, fuzz::TreeGen &gen) {
    switch (in.below(8)) {
        case 0: if (!f.parents.empty()) f.parents.pop_back(); break;
        case 1: f.parents.push_back(digest(in)); break;
        case 2: f.state = gen.tree(4); break;
        case 3: f.author = in.str(8); break;
        case 4: if (in.below(2)) f.message.reset(); else f.message = in.str(8); break;
        case 5: if (in.below(2)) f.metadata.reset(); else f.metadata = gen.tree(3); break;
        case 6: f.committed_at = int64_t(in.u64()); break;
        default:  // a string moved from one field to its neighbour
            if (!f.author.empty() && f.message) {
                f.message = f.author.back() + *f.message;
                f.author.pop_back();
            }
            break;
    }
}

// Writes v through the StateHashWriter interface, as the glue does.
void write(StateHashWriter &w, const Value &root) {
    struct Frame {
        const Value *v;
        size_t next;
    };
    std::vector<Frame> stack;
    auto enter = [&](const Value &v) {
        switch (v.kind()) {
            case Kind::Null: w.null(); return;
            case Kind::False: w.boolean(false); return;
            case Kind::True: w.boolean(true); return;
            case Kind::Number: w.number(v.text()); return;
            case Kind::String: w.string(v.text()); return;
            case Kind::Array: w.open_array(v.items().size()); break;
            case Kind::Object: w.open_object(v.members().size()); break;
        }
        stack.push_back({&v, 0});
    };
    enter(root);
    while (!stack.empty()) {
        Frame &f = stack.back();
        const Value &c = *f.v;
        if (c.is_array()) {
            if (f.next == c.items().size()) {
                stack.pop_back();
                continue;
            }
            enter(c.items()[f.next++]);
        } else {
            if (f.next == c.members().size()) {
                stack.pop_back();
                continue;
            }
            const Member &m = c.members()[f.next++];
            w.key(m.first);
            enter(m.second);
        }
    }
}

// Hash of f; nullopt when it is refused (members out of order).
std::optional<Digest> hash(const Fields &f) {
    bool sorted = fuzz::sorted_everywhere(f.state) && (!f.metadata || fuzz::sorted_everywhere(*f.metadata));
    std::optional<Digest> d;
    try {
        d = version_hash(f.input());
    } catch (const Error &e) {
        FUZZ_EXPECT_KIND(e, ErrorKind::Invalid);
    }
    FUZZ_CHECK(d.has_value() == sorted);
    if (!d || !fuzz::sorted_everywhere(f.state)) return d;
    VersionHashInput via = f.input();
    via.state = nullptr;
    via.write_state = [&](StateHashWriter &w) { write(w, f.state); };
    FUZZ_CHECK(version_hash(via) == *d);
    return d;
}

void check_sha256(const uint8_t *data, size_t size, fuzz::Bytes &in) {
    Digest one = sha256(data, size);
    Sha256 inc;
    size_t pos = 0;
    while (pos < size) {
        size_t n = in.u8();
        n = n % 97 < size - pos ? n % 97 : size - pos;
        inc.update(data + pos, n);
        pos += n;
        if (n == 0 && in.empty()) {  // the bytes ran out: the rest at once
            inc.update(data + pos, size - pos);
            pos = size;
        }
    }
    FUZZ_CHECK(inc.finish() == one);

    std::vector<uint8_t> msg(data, data + size);
    msg.push_back(0x80);
    while (msg.size() % 64 != 56) msg.push_back(0);
    uint64_t bits = uint64_t(size) * 8;
    for (int i = 7; i >= 0; i--) msg.push_back(uint8_t(bits >> (8 * i)));
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    sha256_blocks_portable(h, msg.data(), msg.size() / 64);
    Digest portable;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) portable[4 * i + j] = uint8_t(h[i] >> (24 - 8 * j));
    FUZZ_CHECK(portable == one);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz::Bytes in(data, size);
    fuzz::TreeGen gen(in, {true, true});
    Fields a;
    for (size_t n = in.below(4); n > 0; n--) a.parents.push_back(digest(in));
    a.state = gen.tree();
    a.author = in.str(12);
    if (in.below(3)) a.message = in.str(12);
    if (in.below(3)) a.metadata = gen.tree(3);
    a.committed_at = int64_t(in.u64());

    Fields b = a;
    for (size_t n = in.below(3); n > 0; n--) change(b, in, gen);

    std::optional<Digest> ha = hash(a), hb = hash(b);
    FUZZ_CHECK(hash(a) == ha);  // deterministic
    if (ha && hb) FUZZ_CHECK((*ha == *hb) == (a == b));

    check_sha256(data, size, in);
    return 0;
}
