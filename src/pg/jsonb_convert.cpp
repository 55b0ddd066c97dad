// jsonb_convert.cpp — see jsonb_convert.hpp.
#include "pg/jsonb_convert.hpp"

#include "core/errors.hpp"
#include "pg/error_bridge.hpp"

namespace tspg {

namespace {

void too_deep() {
    throw tscore::Error(tscore::ErrorKind::TooDeep, "document nesting is too deep",
                        "temporal_store handles at most " + std::to_string(tscore::kMaxDepth) +
                            " levels of nesting");
}

}  // namespace

namespace {

// jsonb's binary format (utils/jsonb.h) read in place: no iterator, no
// palloc per container, numbers printed straight from their digits.

// A numeric's on-disk layout (numeric.c): after the varlena header, a
// 16-bit header; the short form packs sign, display scale and weight in
// it, the long form adds a 16-bit weight. Digits are base 10,000.
constexpr uint16_t kNumericSignMask = 0xC000, kNumericNeg = 0x4000, kNumericShort = 0x8000,
                   kNumericSpecial = 0xC000;
constexpr uint16_t kShortSign = 0x2000, kShortDscaleMask = 0x1F80, kShortWeightSign = 0x0040,
                   kShortWeightMask = 0x003F;
constexpr uint16_t kDscaleMask = 0x3FFF;

// The text numeric_out prints (get_str_from_var), which the version hash
// and every stored payload depend on.
std::string numeric_text(const char *numeric) {
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
    std::string out;
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
    return out;
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

}  // namespace

tscore::Value jsonb_to_value(const Jsonb *jb) {
    const JsonbContainer *root = &jb->root;
    // One frame per open container: where its children are and which
    // comes next. Objects store n keys, then n values.
    struct Frame {
        const JsonbContainer *c;
        tscore::Value *target;
        uint32 n, i;
        const char *base;
        uint32 key_off, val_off;
    };
    tscore::Value result;
    std::vector<Frame> stack;
    // target already has the container's kind.
    auto open = [&](const JsonbContainer *c, tscore::Value *target) {
        if ((int)stack.size() >= tscore::kMaxDepth) too_deep();
        uint32 n = JsonContainerSize(c);
        bool object = JsonContainerIsObject(c);
        uint32 nchildren = object ? 2 * n : n;
        Frame f{c, target, n, 0, (const char *)&c->children[nchildren], 0, 0};
        if (object) {
            target->members().reserve(n);
            f.val_off = n > 0 ? getJsonbOffset(c, (int)n) : 0;
        } else {
            target->items().reserve(n);
        }
        stack.push_back(f);
    };
    if (JsonContainerIsScalar(root)) {
        // A raw scalar: a one-element array flagged as scalar.
        uint32 e = root->children[0];
        const char *base = (const char *)&root->children[1];
        return scalar_at(e, base, 0, entry_length(root, 0, 0));
    }
    result = JsonContainerIsObject(root) ? tscore::Value::object() : tscore::Value::array();
    open(root, &result);
    while (!stack.empty()) {
        Frame &f = stack.back();
        if (f.i == f.n) {
            stack.pop_back();
            continue;
        }
        uint32 i = f.i++;
        const JsonbContainer *c = f.c;
        uint32 entry, off, len;
        std::string key;
        if (f.target->is_object()) {
            uint32 klen = entry_length(c, (int)i, f.key_off);
            key.assign(f.base + f.key_off, klen);
            f.key_off += klen;
            entry = c->children[f.n + i];
            off = f.val_off;
            len = entry_length(c, (int)(f.n + i), off);
            f.val_off += len;
        } else {
            entry = c->children[i];
            off = f.key_off;
            len = entry_length(c, (int)i, off);
            f.key_off += len;
        }
        // Each child is built in place, with its final kind.
        bool container = (entry & JENTRY_TYPEMASK) == JENTRY_ISCONTAINER;
        const JsonbContainer *inner = container ? (const JsonbContainer *)(f.base + INTALIGN(off)) : nullptr;
        tscore::Value value = !container ? scalar_at(entry, f.base, off, len)
                              : JsonContainerIsObject(inner) ? tscore::Value::object()
                                                             : tscore::Value::array();
        tscore::Value *child;
        if (f.target->is_object()) {
            f.target->members().emplace_back(std::move(key), std::move(value));
            child = &f.target->members().back().second;
        } else {
            f.target->items().push_back(std::move(value));
            child = &f.target->items().back();
        }
        if (container) open(inner, child);  // may move f: nothing uses it after
    }
    return result;
}

namespace {

JsonbValue scalar_to_jsonb(const tscore::Value &v) {
    JsonbValue jv;
    switch (v.kind()) {
        case tscore::Kind::Null: jv.type = jbvNull; break;
        case tscore::Kind::False: jv.type = jbvBool; jv.val.boolean = false; break;
        case tscore::Kind::True: jv.type = jbvBool; jv.val.boolean = true; break;
        case tscore::Kind::String:
            jv.type = jbvString;
            jv.val.string.val = const_cast<char *>(v.text().data());
            jv.val.string.len = (int)v.text().size();
            break;
        case tscore::Kind::Number: {
            const char *s = v.text().c_str();
            jv.type = jbvNumeric;
            jv.val.numeric = pg_guard([&] {
                return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
                                                           ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
            });
            break;
        }
        default:
            throw tscore::Error(tscore::ErrorKind::Invalid, "container passed as scalar");
    }
    return jv;
}

JsonbValue string_key(const std::string &k) {
    JsonbValue jv;
    jv.type = jbvString;
    jv.val.string.val = const_cast<char *>(k.data());
    jv.val.string.len = (int)k.size();
    return jv;
}

}  // namespace

Jsonb *value_to_jsonb(const tscore::Value &root) {
    JsonbParseState *state = nullptr;
    JsonbValue *res = nullptr;
    auto push = [&](JsonbIteratorToken tok, JsonbValue *jv) {
        res = pg_guard([&] { return pushJsonbValue(&state, tok, jv); });
    };
    if (!root.is_container()) {
        // A scalar document is a one-element raw-scalar array in jsonb.
        JsonbValue arr;
        arr.type = jbvArray;
        arr.val.array.rawScalar = true;
        arr.val.array.nElems = 1;
        push(WJB_BEGIN_ARRAY, &arr);
        JsonbValue sv = scalar_to_jsonb(root);
        push(WJB_ELEM, &sv);
        push(WJB_END_ARRAY, nullptr);
        return pg_guard([&] { return JsonbValueToJsonb(res); });
    }
    struct Frame {
        const tscore::Value *v;
        size_t next;
    };
    std::vector<Frame> stack;
    auto open = [&](const tscore::Value &v) {
        if ((int)stack.size() >= tscore::kMaxDepth) too_deep();
        push(v.is_array() ? WJB_BEGIN_ARRAY : WJB_BEGIN_OBJECT, nullptr);
        stack.push_back({&v, 0});
    };
    open(root);
    while (!stack.empty()) {
        Frame &f = stack.back();
        const tscore::Value &c = *f.v;
        if (c.is_array()) {
            if (f.next == c.items().size()) {
                stack.pop_back();
                push(WJB_END_ARRAY, nullptr);
                continue;
            }
            const tscore::Value &child = c.items()[f.next++];
            if (child.is_container()) {
                open(child);
            } else {
                JsonbValue sv = scalar_to_jsonb(child);
                push(WJB_ELEM, &sv);
            }
        } else {
            if (f.next == c.members().size()) {
                stack.pop_back();
                push(WJB_END_OBJECT, nullptr);
                continue;
            }
            const tscore::Member &m = c.members()[f.next++];
            JsonbValue key = string_key(m.first);
            push(WJB_KEY, &key);
            if (m.second.is_container()) {
                open(m.second);
            } else {
                JsonbValue sv = scalar_to_jsonb(m.second);
                push(WJB_VALUE, &sv);
            }
        }
    }
    return pg_guard([&] { return JsonbValueToJsonb(res); });
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
