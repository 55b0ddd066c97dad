// jsonb_convert.cpp — see jsonb_convert.hpp.
#include "pg/jsonb_convert.hpp"

#include "core/errors.hpp"
#include "pg/error_bridge.hpp"

namespace tspg {

namespace {

tscore::Value scalar_to_value(const JsonbValue &jv) {
    switch (jv.type) {
        case jbvNull: return tscore::Value::null();
        case jbvBool: return tscore::Value::boolean(jv.val.boolean);
        case jbvString: return tscore::Value::string(std::string(jv.val.string.val, jv.val.string.len));
        case jbvNumeric: {
            char *s = pg_guard([&] {
                return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(jv.val.numeric)));
            });
            tscore::Value v = tscore::Value::number(s);
            pfree(s);
            return v;
        }
        default: break;
    }
    throw tscore::Error(tscore::ErrorKind::CorruptPayload, "unexpected jsonb value type");
}

void too_deep() {
    throw tscore::Error(tscore::ErrorKind::TooDeep, "document nesting is too deep",
                        "temporal_store handles at most " + std::to_string(tscore::kMaxDepth) +
                            " levels of nesting");
}

}  // namespace

tscore::Value jsonb_to_value(const Jsonb *jb) {
    JsonbContainer *root = const_cast<JsonbContainer *>(&jb->root);
    JsonbIterator *it = pg_guard([&] { return JsonbIteratorInit(root); });
    JsonbValue jv;
    tscore::Value result;
    // Containers being filled, innermost last; keys waiting for their value.
    std::vector<tscore::Value *> stack;
    std::vector<std::string> pending_keys;
    bool scalar_root = false;
    for (;;) {
        JsonbIteratorToken tok = pg_guard([&] { return JsonbIteratorNext(&it, &jv, false); });
        if (tok == WJB_DONE) break;
        switch (tok) {
            case WJB_BEGIN_ARRAY:
            case WJB_BEGIN_OBJECT: {
                if (tok == WJB_BEGIN_ARRAY && jv.val.array.rawScalar) {
                    scalar_root = true;
                    break;
                }
                if ((int)stack.size() >= tscore::kMaxDepth) too_deep();
                tscore::Value fresh = tok == WJB_BEGIN_ARRAY ? tscore::Value::array() : tscore::Value::object();
                tscore::Value *slot;
                if (stack.empty()) {
                    result = std::move(fresh);
                    slot = &result;
                } else if (stack.back()->is_array()) {
                    stack.back()->items().push_back(std::move(fresh));
                    slot = &stack.back()->items().back();
                } else {
                    stack.back()->push_member_sorted(std::move(pending_keys.back()), std::move(fresh));
                    pending_keys.pop_back();
                    slot = &stack.back()->members().back().second;
                }
                if (tok == WJB_BEGIN_ARRAY) slot->items().reserve(jv.val.array.nElems);
                else slot->members().reserve(jv.val.object.nPairs);
                stack.push_back(slot);
                break;
            }
            case WJB_END_ARRAY:
            case WJB_END_OBJECT:
                if (!stack.empty() && !(scalar_root && stack.size() == 0)) stack.pop_back();
                break;
            case WJB_KEY:
                pending_keys.emplace_back(jv.val.string.val, jv.val.string.len);
                break;
            case WJB_VALUE:
                stack.back()->push_member_sorted(std::move(pending_keys.back()), scalar_to_value(jv));
                pending_keys.pop_back();
                break;
            case WJB_ELEM:
                if (scalar_root && stack.empty()) result = scalar_to_value(jv);
                else stack.back()->items().push_back(scalar_to_value(jv));
                break;
            default:
                break;
        }
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
