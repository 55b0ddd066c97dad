// json_text.cpp — JSON text in and out of the tree (tests, benchmarks,
// diagnostics; the extension converts Jsonb directly).
//
// The parser is strict RFC 8259 and iterative: an explicit stack of open
// containers, so nesting costs heap, not call stack. Numbers keep their
// literal text. Duplicate object keys keep the last value, as jsonb does.
#include <algorithm>

#include "errors.hpp"
#include "json_value.hpp"

namespace tscore {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string &out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Length of the well-formed UTF-8 sequence at s[pos] (a byte >= 0x80), or 0.
// Rejects overlong forms, surrogates and code points past U+10FFFF.
size_t utf8_sequence_length(std::string_view s, size_t pos) {
    auto byte = [&](size_t i) -> unsigned { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; };
    auto cont = [](unsigned b) { return b >= 0x80 && b <= 0xBF; };
    unsigned b0 = byte(pos), b1 = byte(pos + 1);
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(b1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
        return b1 >= lo && b1 <= hi && cont(byte(pos + 2)) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        unsigned lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return b1 >= lo && b1 <= hi && cont(byte(pos + 2)) && cont(byte(pos + 3)) ? 4 : 0;
    }
    return 0;
}

// Sorts an object's members by key_less, keeping the last of duplicate keys.
// Already sorted input (the usual case) costs one pass.
void finish_object(Value &obj) {
    auto &m = obj.members();
    bool sorted = true;
    for (size_t i = 1; i < m.size() && sorted; i++) sorted = key_less(m[i - 1].first, m[i].first);
    if (sorted) return;
    std::stable_sort(m.begin(), m.end(),
                     [](const Member &a, const Member &b) { return key_less(a.first, b.first); });
    size_t out = 0;
    for (size_t i = 0; i < m.size(); i++) {
        if (i + 1 < m.size() && m[i].first == m[i + 1].first) continue;  // a later one wins
        if (out != i) m[out] = std::move(m[i]);
        out++;
    }
    m.erase(m.begin() + out, m.end());
}

class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}
    Value parse();

private:
    struct Frame {
        Value container;
        std::string key;  // the member whose value is being parsed (objects)
    };

    [[noreturn]] void fail(const std::string &what) const {
        throw Error(ErrorKind::InvalidJson,
                    "invalid JSON at byte " + std::to_string(pos_) + ": " + what);
    }
    bool at_end() const { return pos_ >= s_.size(); }
    char peek() const { return at_end() ? '\0' : s_[pos_]; }
    void skip_ws() {
        while (!at_end() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            pos_++;
    }
    void expect(char c) {
        if (peek() != c || at_end()) fail(std::string("expected \"") + c + "\"");
        pos_++;
    }
    void read_key(Frame &f) {
        skip_ws();
        if (peek() != '"') fail("expected an object key string");
        f.key = parse_string();
        skip_ws();
        expect(':');
    }
    Value parse_scalar();
    std::string parse_string();
    uint32_t parse_hex4();
    Value parse_number();

    std::string_view s_;
    size_t pos_ = 0;
};

Value Parser::parse() {
    std::vector<Frame> stack;
    Value val;
    for (;;) {
        // A value starts here: charged as an object member, the larger slot.
        poll();
        charge(sizeof(Member));
        skip_ws();
        char c = peek();
        if (c == '{' || c == '[') {
            if (stack.size() >= static_cast<size_t>(kMaxDepth)) throw_too_deep();
            pos_++;
            stack.push_back(Frame{c == '{' ? Value::object() : Value::array(), {}});
            skip_ws();
            if (peek() != (c == '{' ? '}' : ']')) {
                if (c == '{') read_key(stack.back());
                continue;
            }
            pos_++;
            val = std::move(stack.back().container);
            stack.pop_back();
        } else {
            val = parse_scalar();
        }
        // A value is complete: attach it, closing every container ending here.
        for (;;) {
            if (stack.empty()) {
                skip_ws();
                if (!at_end()) fail("unexpected content after the document");
                return val;
            }
            Frame &f = stack.back();
            bool is_array = f.container.is_array();
            if (is_array)
                f.container.items().push_back(std::move(val));
            else
                f.container.members().emplace_back(std::move(f.key), std::move(val));
            skip_ws();
            if (at_end()) fail("unexpected end of input");
            char d = s_[pos_++];
            if (d == ',') {
                if (!is_array) read_key(f);
                break;
            }
            if (d != (is_array ? ']' : '}')) {
                pos_--;
                fail(is_array ? "expected \",\" or \"]\"" : "expected \",\" or \"}\"");
            }
            if (!is_array) finish_object(f.container);
            val = std::move(f.container);
            stack.pop_back();
        }
    }
}

Value Parser::parse_scalar() {
    auto literal = [&](std::string_view word, Value v) {
        if (s_.substr(pos_, word.size()) != word) fail("invalid literal");
        pos_ += word.size();
        return v;
    };
    switch (peek()) {
        case '"': return Value::string(parse_string());
        case 't': return literal("true", Value::boolean(true));
        case 'f': return literal("false", Value::boolean(false));
        case 'n': return literal("null", Value::null());
        default:
            if (peek() == '-' || is_digit(peek())) return parse_number();
            fail(at_end() ? "unexpected end of input" : "unexpected character");
    }
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, kept as written.
Value Parser::parse_number() {
    size_t start = pos_;
    auto digits = [&] {
        size_t from = pos_;
        while (!at_end() && is_digit(s_[pos_])) pos_++;
        if (pos_ == from) fail("invalid number");
    };
    if (peek() == '-') pos_++;
    if (peek() == '0')
        pos_++;
    else
        digits();
    if (peek() == '.') {
        pos_++;
        digits();
    }
    if (peek() == 'e' || peek() == 'E') {
        pos_++;
        if (peek() == '+' || peek() == '-') pos_++;
        digits();
    }
    return Value::number(std::string(s_.substr(start, pos_ - start)));
}

uint32_t Parser::parse_hex4() {
    uint32_t cp = 0;
    for (int i = 0; i < 4; i++) {
        int h = at_end() ? -1 : hex_value(s_[pos_]);
        if (h < 0) fail("invalid \\u escape");
        cp = cp * 16 + static_cast<uint32_t>(h);
        pos_++;
    }
    return cp;
}

std::string Parser::parse_string() {
    pos_++;  // the opening quote
    std::string out;
    for (;;) {
        size_t start = pos_;
        while (!at_end()) {
            unsigned char ch = static_cast<unsigned char>(s_[pos_]);
            if (ch == '"' || ch == '\\' || ch < 0x20 || ch >= 0x80) break;
            pos_++;
        }
        out.append(s_.data() + start, pos_ - start);
        if (at_end()) fail("unterminated string");
        unsigned char ch = static_cast<unsigned char>(s_[pos_]);
        if (ch == '"') {
            pos_++;
            charge(out.size());
            return out;
        }
        if (ch < 0x20) fail("unescaped control character in string");
        if (ch >= 0x80) {
            size_t len = utf8_sequence_length(s_, pos_);
            if (len == 0) fail("invalid UTF-8 in string");
            out.append(s_.data() + pos_, len);
            pos_ += len;
            continue;
        }
        pos_++;  // the backslash
        char e = at_end() ? '\0' : s_[pos_++];
        switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = parse_hex4();
                if (cp >= 0xDC00 && cp <= 0xDFFF) fail("unpaired low surrogate in \\u escape");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (s_.substr(pos_, 2) != "\\u") fail("high surrogate not followed by a low surrogate");
                    pos_ += 2;
                    uint32_t lo = parse_hex4();
                    if (lo < 0xDC00 || lo > 0xDFFF) fail("high surrogate not followed by a low surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                append_utf8(out, cp);
                break;
            }
            default:
                pos_--;
                fail("invalid escape in string");
        }
    }
}

void write_scalar(const Value &v, std::string &out) {
    switch (v.kind()) {
        case Kind::Null: out += "null"; return;
        case Kind::True: out += "true"; return;
        case Kind::False: out += "false"; return;
        case Kind::Number: out += v.text(); return;
        case Kind::String: append_json_string(out, v.text()); return;
        default: return;
    }
}

}  // namespace

Value parse_json(std::string_view text) {
    BudgetScope budget;
    return Parser(text).parse();
}

// jsonb's output layout: {"a": 1, "b": [1, 2]}. Iterative, like the
// parser: a stack of open containers and the next child of each.
std::string to_json(const Value &root) {
    std::string out;
    std::vector<std::pair<const Value *, size_t>> open;
    const Value *v = &root;
    while (v) {
        poll();
        if (v->is_container()) {
            if (open.size() >= static_cast<size_t>(kMaxDepth)) throw_too_deep();
            out += v->is_array() ? '[' : '{';
            open.emplace_back(v, 0);
        } else {
            write_scalar(*v, out);
        }
        // The next value to write, closing the containers that are done.
        v = nullptr;
        while (!open.empty() && !v) {
            auto &[c, next] = open.back();
            bool array = c->is_array();
            if (next == (array ? c->items().size() : c->members().size())) {
                out += array ? ']' : '}';
                open.pop_back();
                continue;
            }
            if (next > 0) out += ", ";
            if (array) {
                v = &c->items()[next];
            } else {
                append_json_string(out, c->members()[next].first);
                out += ": ";
                v = &c->members()[next].second;
            }
            next++;
        }
    }
    return out;
}

// As PostgreSQL's escape_json: the short escapes, other control characters
// as \u00XX, everything else (including non-ASCII and "/") verbatim.
void append_json_string(std::string &out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    size_t start = 0;
    for (size_t i = 0; i < s.size(); i++) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + start, i - start);
        start = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
        }
    }
    out.append(s.data() + start, s.size() - start);
    out += '"';
}

}  // namespace tscore
