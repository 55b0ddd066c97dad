// jsonb_convert.cpp — see jsonb_convert.hpp.
#include "pg/jsonb_convert.hpp"
#include "pg/jsonb_format.hpp"

#include "core/errors.hpp"
#include "pg/error_bridge.hpp"

namespace tspg {

// jsonb's binary format (utils/jsonb.h) read in place: no iterator, no
// palloc per container, numbers printed straight from their digits.

namespace {
// A numeric's on-disk layout (numeric.c): after the varlena header, a
// 16-bit header; the short form packs sign, display scale and weight in
// it, the long form adds a 16-bit weight. Digits are base 10,000.
constexpr uint16_t kNumericSignMask = 0xC000, kNumericNeg = 0x4000, kNumericShort = 0x8000,
                   kNumericSpecial = 0xC000;
constexpr uint16_t kShortSign = 0x2000, kShortDscaleMask = 0x1F80, kShortWeightSign = 0x0040,
                   kShortWeightMask = 0x003F;
constexpr uint16_t kDscaleMask = 0x3FFF;
}  // namespace

// The text numeric_out prints (get_str_from_var), which the version hash
// and every stored payload depend on.
std::string numeric_text(const char *numeric) {
    std::string out;
    numeric_text_into(numeric, out);
    return out;
}

void numeric_text_into(const char *numeric, std::string &out) {
    out.clear();
    const char *data = VARDATA_ANY(numeric);
    size_t size = VARSIZE_ANY_EXHDR(numeric);
    uint16_t header;
    memcpy(&header, data, 2);
    if ((header & kNumericSignMask) == kNumericSpecial)
        throw tscore::Error(tscore::ErrorKind::CorruptPayload, "jsonb holds a special numeric value");
    bool neg;
    int dscale, weight;
    const char *digits;
    size_t ndigits;
    if ((header & kNumericSignMask) == kNumericShort) {
        neg = (header & kShortSign) != 0;
        dscale = (header & kShortDscaleMask) >> 7;
        weight = header & kShortWeightMask;
        if (header & kShortWeightSign) weight = (int16_t)(0xFFC0 | weight);  // sign-extend 7 bits
        digits = data + 2;
        ndigits = (size - 2) / 2;
    } else {
        neg = (header & kNumericSignMask) == kNumericNeg;
        dscale = header & kDscaleMask;
        int16_t w;
        memcpy(&w, data + 2, 2);
        weight = w;
        digits = data + 4;
        ndigits = (size - 4) / 2;
    }
    auto digit = [&](int d) -> int {
        if (d < 0 || (size_t)d >= ndigits) return 0;
        int16_t v;
        memcpy(&v, digits + 2 * d, 2);
        return v;
    };
    out.reserve((weight > 0 ? (weight + 1) * 4 : 1) + dscale + 3);
    if (neg) out.push_back('-');
    int d;
    if (weight < 0) {
        d = weight + 1;
        out.push_back('0');
    } else {
        for (d = 0; d <= weight; d++) {
            int dig = digit(d);
            bool putit = d > 0;
            for (int div = 1000; div >= 10; div /= 10) {
                int d1 = dig / div;
                dig -= d1 * div;
                putit |= d1 > 0;
                if (putit) out.push_back((char)('0' + d1));
            }
            out.push_back((char)('0' + dig));
        }
    }
    if (dscale > 0) {
        out.push_back('.');
        size_t end = out.size() + dscale;
        for (int i = 0; i < dscale; d++, i += 4) {
            int dig = digit(d);
            for (int div = 1000; div >= 1; div /= 10) {
                int d1 = dig / div;
                dig -= d1 * div;
                out.push_back((char)('0' + d1));
            }
        }
        out.resize(end);
    }
}

tscore::Value scalar_at(uint32 entry, const char *base, uint32 offset, uint32 len) {
    switch (entry & JENTRY_TYPEMASK) {
        case JENTRY_ISSTRING: return tscore::Value::string(std::string(base + offset, len));
        case JENTRY_ISNUMERIC: return tscore::Value::number(numeric_text(base + INTALIGN(offset)));
        case JENTRY_ISBOOL_FALSE: return tscore::Value::boolean(false);
        case JENTRY_ISBOOL_TRUE: return tscore::Value::boolean(true);
        case JENTRY_ISNULL: return tscore::Value::null();
        default: break;
    }
    throw tscore::Error(tscore::ErrorKind::CorruptPayload, "unexpected jsonb entry type");
}

uint32 entry_length(const JsonbContainer *c, int index, uint32 offset) {
    uint32 e = c->children[index];
    return JBE_HAS_OFF(e) ? JBE_OFFLENFLD(e) - offset : JBE_OFFLENFLD(e);
}

tscore::Value jsonb_to_value(const Jsonb *jb) { return container_to_value(&jb->root); }

namespace {

// Builds the tree as walk_jsonb goes: each child is made in place, with its
// final kind, in the container being filled.
class TreeBuilder {
public:
    explicit TreeBuilder(tscore::Value &root) : root_(root) {}

    void open(const JsonbContainer *c) {
        uint32 n = JsonContainerSize(c);
        tscore::Value fresh = JsonContainerIsObject(c) ? tscore::Value::object() : tscore::Value::array();
        tscore::Value *v = place(std::move(fresh));
        if (v->is_object())
            v->members().reserve(n);
        else
            v->items().reserve(n);
        open_.push_back(v);
    }
    void close() { open_.pop_back(); }
    void key(std::string_view k) { key_.assign(k.data(), k.size()); }
    void scalar(const JsonbChild &ch) { place(scalar_at(ch.entry, ch.base, ch.off, ch.len)); }

private:
    tscore::Value *place(tscore::Value v) {
        if (open_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        tscore::Value *parent = open_.back();
        if (parent->is_object()) {
            parent->members().emplace_back(std::move(key_), std::move(v));
            return &parent->members().back().second;
        }
        parent->items().push_back(std::move(v));
        return &parent->items().back();
    }

    tscore::Value &root_;
    std::vector<tscore::Value *> open_;  // reserved containers: the pointers stay valid
    std::string key_;
};

}  // namespace

tscore::Value container_to_value(const JsonbContainer *root) {
    if (JsonContainerIsScalar(root)) {
        // A raw scalar: a one-element array flagged as scalar.
        uint32 e = root->children[0];
        const char *base = (const char *)&root->children[1];
        return scalar_at(e, base, 0, entry_length(root, 0, 0));
    }
    tscore::Value result;
    TreeBuilder builder(result);
    walk_jsonb(root, builder);
    return result;
}

namespace {

// jsonb's binary format written directly (what convertToJsonb does with a
// JsonbValue tree, without building one): containers are a header, one
// JEntry per child (every JB_OFFSET_STRIDE'th holds an end offset instead
// of a length), then the children's data; numerics and containers start
// 4-byte aligned relative to the varlena's start.

// A numeric in its on-disk form from the plain decimal text numeric_out
// prints ("-12.50"); false for anything else (exponents, huge values),
// which numeric_in then handles. Same normalisation as make_result: no
// leading or trailing zero base-10,000 digits; zero has weight 0.
bool decimal_numeric(const std::string &text, std::string &out) {
    size_t p = 0, n = text.size();
    bool neg = p < n && text[p] == '-';
    if (neg) p++;
    size_t int_start = p;
    while (p < n && text[p] >= '0' && text[p] <= '9') p++;
    size_t int_len = p - int_start;
    size_t frac_start = p, frac_len = 0;
    if (p < n && text[p] == '.') {
        frac_start = ++p;
        while (p < n && text[p] >= '0' && text[p] <= '9') p++;
        frac_len = p - frac_start;
    }
    if (p != n || int_len == 0 || int_len + frac_len > 1000) return false;
    // Base-10,000 groups aligned on the decimal point.
    size_t int_groups = (int_len + 3) / 4, frac_groups = (frac_len + 3) / 4;
    std::vector<int16_t> digits(int_groups + frac_groups, 0);
    for (size_t i = 0; i < int_len; i++) {
        size_t from_right = int_len - 1 - i;  // decimal position left of the point
        size_t g = int_groups - 1 - from_right / 4;
        static const int pow10[] = {1, 10, 100, 1000};
        digits[g] += (int16_t)((text[int_start + i] - '0') * pow10[from_right % 4]);
    }
    for (size_t i = 0; i < frac_len; i++) {
        size_t g = int_groups + i / 4;
        static const int pow10[] = {1000, 100, 10, 1};
        digits[g] += (int16_t)((text[frac_start + i] - '0') * pow10[i % 4]);
    }
    int weight = (int)int_groups - 1;
    size_t first = 0, last = digits.size();
    while (first < last && digits[first] == 0) {
        first++;
        weight--;
    }
    while (last > first && digits[last - 1] == 0) last--;
    int dscale = (int)frac_len;
    if (first == last) {
        weight = 0;
        neg = false;
    }
    size_t ndigits = last - first;
    bool short_form = dscale <= (kShortDscaleMask >> 7) && weight <= kShortWeightMask && weight >= -64;
    size_t size = VARHDRSZ + 2 + (short_form ? 0 : 2) + 2 * ndigits;
    size_t at = out.size();
    out.resize(at + size);
    char *dst = &out[at];
    alignas(4) char hdr[VARHDRSZ];
    SET_VARSIZE(hdr, size);
    memcpy(dst, hdr, VARHDRSZ);
    uint16_t h;
    if (short_form) {
        h = kNumericShort | (neg ? kShortSign : 0) | (uint16_t)(dscale << 7) | (weight < 0 ? kShortWeightSign : 0) |
            (uint16_t)(weight & kShortWeightMask);
        memcpy(dst + VARHDRSZ, &h, 2);
        dst += VARHDRSZ + 2;
    } else {
        h = (neg ? kNumericNeg : 0) | (uint16_t)(dscale & kDscaleMask);
        int16_t w = (int16_t)weight;
        memcpy(dst + VARHDRSZ, &h, 2);
        memcpy(dst + VARHDRSZ + 2, &w, 2);
        dst += VARHDRSZ + 4;
    }
    memcpy(dst, digits.data() + first, 2 * ndigits);
    return true;
}

class JsonbWriter {
public:
    explicit JsonbWriter(const std::vector<JsonbChild> *refs = nullptr, size_t size_hint = 0)
        : refs_(refs), size_hint_(size_hint) {}

    // The whole Jsonb varlena, in a string.
    std::string write(const tscore::Value &root) {
        buf_.reserve(std::min<size_t>(size_hint_, MaxAllocSize));
        buf_.assign(VARHDRSZ, '\0');
        const JsonbChild *root_ref = ref_of(root);
        if (root_ref) {
            // A whole container kept as it was: its bytes follow the header.
            if (!root_ref->is_container())
                throw tscore::Error(tscore::ErrorKind::Invalid, "a placeholder scalar cannot be a document");
            emit_ref(*root_ref);
        } else if (!root.is_container()) {
            // A scalar document is a one-element raw-scalar array.
            begin(nullptr, 1, JB_FARRAY | JB_FSCALAR);
            record(0, scalar(root));
            frames_.pop_back();
        } else {
            open(root);
            while (!frames_.empty()) step();
        }
        if (buf_.size() > MaxAllocSize) too_big();
        SET_VARSIZE(buf_.data(), buf_.size());
        return std::move(buf_);
    }

private:
    struct Frame {
        const tscore::Value *v;  // nullptr for the raw-scalar wrapper
        size_t base;             // where the container starts, before padding
        size_t jentries;         // where its JEntries are
        uint32 n, next = 0;      // children (pairs for objects), next to write
        uint32 total = 0;        // data bytes so far
        bool object = false;
    };

    [[noreturn]] static void too_big() {
        throw tscore::Error(tscore::ErrorKind::Invalid, "document is too large for jsonb",
                            "A jsonb value holds at most 255 MB.");
    }

    uint32 pad() {
        uint32 padding = (uint32)(INTALIGN(buf_.size()) - buf_.size());
        buf_.append(padding, '\0');
        return padding;
    }

    void put_jentry(size_t at, uint32 e) { memcpy(&buf_[at], &e, sizeof(e)); }

    void begin(const tscore::Value *v, uint32 n, uint32 flags) {
        if ((int)frames_.size() >= tscore::kMaxDepth) tscore::throw_too_deep();
        Frame f;
        f.v = v;
        f.base = buf_.size();
        pad();
        uint32 header = n | flags;
        buf_.append((const char *)&header, sizeof(header));
        f.object = (flags & JB_FOBJECT) != 0;
        uint32 nchildren = f.object ? 2 * n : n;
        f.jentries = buf_.size();
        buf_.append((size_t)nchildren * sizeof(JEntry), '\0');
        f.n = n;
        frames_.push_back(f);
    }

    // Writes the JEntry of child `slot` of the top frame (keys are slots
    // 0..n-1 of an object, values n..2n-1).
    void record(uint32 slot, uint32 meta) {
        Frame &f = frames_.back();
        f.total += JBE_OFFLENFLD(meta);
        if (f.total > JENTRY_OFFLENMASK) too_big();
        if (slot % JB_OFFSET_STRIDE == 0) meta = (meta & JENTRY_TYPEMASK) | f.total | JENTRY_HAS_OFF;
        put_jentry(f.jentries + slot * sizeof(JEntry), meta);
    }

    void open(const tscore::Value &v) {
        if (v.is_array()) {
            begin(&v, (uint32)v.items().size(), JB_FARRAY);
            return;
        }
        uint32 n = (uint32)v.members().size();
        begin(&v, n, JB_FOBJECT);
        // Keys first, all of them: they are strings.
        for (uint32 i = 0; i < n; i++) {
            const std::string &k = v.members()[i].first;
            buf_.append(k);
            record(i, JENTRY_ISSTRING | (uint32)k.size());
        }
    }

    uint32 scalar(const tscore::Value &v) {
        switch (v.kind()) {
            case tscore::Kind::Null: return JENTRY_ISNULL;
            case tscore::Kind::False: return JENTRY_ISBOOL_FALSE;
            case tscore::Kind::True: return JENTRY_ISBOOL_TRUE;
            case tscore::Kind::String:
                if (v.text().size() > JENTRY_OFFLENMASK) too_big();
                buf_.append(v.text());
                return JENTRY_ISSTRING | (uint32)v.text().size();
            case tscore::Kind::Number: {
                uint32 padding = pad();
                size_t before = buf_.size();
                if (!decimal_numeric(v.text(), buf_)) {
                    const char *s = v.text().c_str();
                    Numeric num = pg_guard([&] {
                        return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
                                                                   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
                    });
                    buf_.append((const char *)num, VARSIZE_ANY(num));
                    pfree(num);
                }
                return JENTRY_ISNUMERIC | (uint32)(padding + buf_.size() - before);
            }
            default: break;
        }
        throw tscore::Error(tscore::ErrorKind::Invalid, "container passed as scalar");
    }

    void step() {
        tscore::poll();
        Frame &f = frames_.back();
        if (f.next == f.n) {
            uint32 len = (uint32)(buf_.size() - f.base);
            frames_.pop_back();
            if (!frames_.empty()) {
                Frame &parent = frames_.back();
                record((parent.object ? parent.n : 0) + parent.next - 1, JENTRY_ISCONTAINER | len);
            }
            return;
        }
        uint32 i = f.next++;
        uint32 slot = (f.object ? f.n : 0) + i;
        const tscore::Value &child = f.object ? f.v->members()[i].second : f.v->items()[i];
        if (const JsonbChild *ref = ref_of(child))
            record(slot, emit_ref(*ref));
        else if (child.is_container())
            open(child);  // recorded into slot when it closes
        else
            record(slot, scalar(child));
    }

    // A placeholder of jsonb_replay: the child of an existing container
    // it stands for, copied as its bytes.
    const JsonbChild *ref_of(const tscore::Value &v) const {
        uint32 index;
        return refs_ && placeholder_index(v, index) && index < refs_->size() ? &(*refs_)[index] : nullptr;
    }

    uint32 emit_ref(const JsonbChild &ch) {
        switch (ch.type()) {
            case JENTRY_ISSTRING:
                buf_.append(ch.base + ch.off, ch.len);
                return JENTRY_ISSTRING | ch.len;
            case JENTRY_ISNUMERIC:
            case JENTRY_ISCONTAINER: {
                // Both start 4-byte aligned; ch.len counts the source's padding.
                uint32 start = INTALIGN(ch.off), n = ch.off + ch.len - start;
                uint32 padding = pad();
                buf_.append(ch.base + start, n);
                return ch.type() | (padding + n);
            }
            default: return ch.type();  // null, true, false: no data
        }
    }

    const std::vector<JsonbChild> *refs_;
    size_t size_hint_;
    std::string buf_;
    std::vector<Frame> frames_;
};

}  // namespace

Jsonb *value_to_jsonb(const tscore::Value &root) {
    std::string bytes = JsonbWriter().write(root);
    Jsonb *jb = (Jsonb *)pg_guard([&] { return palloc(bytes.size()); });
    memcpy(jb, bytes.data(), bytes.size());
    return jb;
}

std::string value_to_jsonb_bytes(const tscore::Value &root, const std::vector<JsonbChild> *refs,
                                 size_t size_hint) {
    return JsonbWriter(refs, size_hint).write(root);
}

tscore::Value placeholder(uint32 index) {
    std::string text(1 + sizeof(index), '\0');
    memcpy(&text[1], &index, sizeof(index));
    return tscore::Value::string(std::move(text));
}

bool placeholder_index(const tscore::Value &v, uint32 &index) {
    if (!v.is_string() || v.text().size() != 1 + sizeof(index) || v.text()[0] != '\0') return false;
    memcpy(&index, &v.text()[1], sizeof(index));
    return true;
}

tscore::Value datum_to_value(Datum d) {
    Jsonb *jb = pg_guard([&] { return DatumGetJsonbP(d); });
    return jsonb_to_value(jb);
}

Datum value_to_datum(const tscore::Value &v) { return JsonbPGetDatum(value_to_jsonb(v)); }

std::string text_to_string(Datum d) {
    text *t = pg_guard([&] { return DatumGetTextPP(d); });
    return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

Datum string_to_text(std::string_view s) {
    return pg_guard([&] { return PointerGetDatum(cstring_to_text_with_len(s.data(), (int)s.size())); });
}

}  // namespace tspg
