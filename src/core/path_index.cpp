// path_index.cpp — see path_index.hpp.
#include "path_index.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "errors.hpp"

namespace tscore {

namespace {

bool is_index_token(const std::string &t) {
    if (t == "-") return true;
    size_t i;
    return parse_array_index(t, i);
}

// Appends the leaf rows of v at prefix; false (nothing appended) when v has
// more than `budget` leaves.
bool expand_leaves(const Value &v, const Path &prefix, size_t budget, std::vector<PathRow> &out) {
    std::vector<PathRow> rows;
    bool over = false;
    Path base = prefix;
    struct Frame {
        const Value *v;
        size_t depth;  // path length of v
        size_t next;   // next child
    };
    std::vector<Frame> stack;
    auto leaf = [&](const Value &x, size_t depth) {
        if (rows.size() >= budget) {
            over = true;
            return;
        }
        rows.push_back(PathRow{Path(base.begin(), base.begin() + depth), true});
        (void)x;
    };
    auto visit = [&](const Value &x, size_t depth) {
        bool empty = x.is_array() ? x.items().empty() : x.is_object() ? x.members().empty() : true;
        if (empty)
            leaf(x, depth);
        else
            stack.push_back(Frame{&x, depth, 0});
    };
    visit(v, base.size());
    while (!stack.empty() && !over) {
        Frame &f = stack.back();
        size_t n = f.v->is_array() ? f.v->items().size() : f.v->members().size();
        if (f.next >= n) {
            stack.pop_back();
            continue;
        }
        size_t i = f.next++;
        size_t depth = f.depth;
        base.resize(depth);
        const Value *child;
        if (f.v->is_array()) {
            base.push_back(std::to_string(i));
            child = &f.v->items()[i];
        } else {
            base.push_back(f.v->members()[i].first);
            child = &f.v->members()[i].second;
        }
        visit(*child, depth + 1);
    }
    if (over) return false;
    out.insert(out.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    return true;
}

void add_value_rows(const Value &v, const Path &at, std::vector<PathRow> &out) {
    if (!expand_leaves(v, at, kMaxLeafExpansion, out)) out.push_back(PathRow{at, false});
}

// Sorted, duplicates merged (an inexact row wins), collapsed to one
// inexact root row past kMaxPathRows.
std::vector<PathRow> finish(std::vector<PathRow> rows) {
    std::map<Path, bool> m;
    for (PathRow &r : rows) {
        auto it = m.find(r.path);
        if (it == m.end())
            m.emplace(std::move(r.path), r.exact);
        else
            it->second = it->second && r.exact;
    }
    if (m.size() > kMaxPathRows) return {PathRow{Path{}, false}};
    std::vector<PathRow> out;
    out.reserve(m.size());
    for (auto &e : m) out.push_back(PathRow{e.first, e.second});
    return out;
}

struct Op {
    int code = -1;  // 0 add, 1 remove, 2 replace, 3 move, 4 copy, 5 test
    Path path;
    const Value *value = nullptr;
};

int code_of(const std::string &name) {
    static const char *names[] = {"add", "remove", "replace", "move", "copy", "test"};
    for (int i = 0; i < 6; i++)
        if (name == names[i]) return i;
    return -1;
}

std::vector<Op> parse_ops(const Value &patch) {
    std::vector<Op> ops;
    if (!patch.is_array()) throw Error(ErrorKind::CorruptPayload, "a patch must be an array");
    for (const Value &o : patch.items()) {
        Op op;
        if (o.is_array()) {
            if (o.items().size() < 2 || !o.items()[0].is_number() || !o.items()[1].is_string())
                throw Error(ErrorKind::CorruptPayload, "malformed compact patch operation");
            op.code = std::atoi(o.items()[0].text().c_str());
            op.path = parse_pointer(o.items()[1].text());
            if (o.items().size() > 2) op.value = &o.items()[2];
        } else if (o.is_object()) {
            const Value *name = o.find("op");
            const Value *path = o.find("path");
            if (!name || !name->is_string() || !path || !path->is_string())
                throw Error(ErrorKind::CorruptPayload, "malformed patch operation");
            op.code = code_of(name->text());
            op.path = parse_pointer(path->text());
            op.value = o.find("value");
        } else {
            throw Error(ErrorKind::CorruptPayload, "malformed patch operation");
        }
        ops.push_back(std::move(op));
    }
    return ops;
}

}  // namespace

std::string encode_path(const Path &path) {
    std::string out;
    for (const std::string &k : path) {
        for (char c : k) {
            unsigned char b = (unsigned char)c;
            if (b == 0x00) {
                out += '\x01';
                out += '\x01';
            } else if (b == 0x01) {
                out += '\x01';
                out += '\x02';
            } else if (b == 0xFF) {
                out += '\x01';
                out += '\x03';
            } else {
                out += c;
            }
        }
        out += '\0';
    }
    return out;
}

Path decode_path(std::string_view bytes) {
    Path out;
    std::string cur;
    for (size_t i = 0; i < bytes.size(); i++) {
        unsigned char b = (unsigned char)bytes[i];
        if (b == 0x00) {
            out.push_back(std::move(cur));
            cur.clear();
        } else if (b == 0x01) {
            if (i + 1 >= bytes.size()) throw Error(ErrorKind::CorruptPayload, "malformed encoded path");
            unsigned char e = (unsigned char)bytes[++i];
            if (e == 0x01)
                cur += '\x00';
            else if (e == 0x02)
                cur += '\x01';
            else if (e == 0x03)
                cur += '\xFF';
            else
                throw Error(ErrorKind::CorruptPayload, "malformed encoded path");
        } else {
            cur += (char)b;
        }
    }
    if (!cur.empty()) throw Error(ErrorKind::CorruptPayload, "malformed encoded path");
    return out;
}

std::optional<std::string> encode_path_upper(const Path &path) {
    if (path.empty()) return std::nullopt;
    std::string e = encode_path(path);
    e.back() = '\x01';
    return e;
}

const Value *value_at(const Value &root, const Path &path) {
    const Value *v = &root;
    for (const std::string &k : path) {
        if (v->is_object()) {
            v = v->find(k);
        } else if (v->is_array()) {
            size_t i;
            if (!parse_array_index(k, i) || i >= v->items().size()) return nullptr;
            v = &v->items()[i];
        } else {
            return nullptr;
        }
        if (v == nullptr) return nullptr;
    }
    return v;
}

std::vector<PathRow> rows_from_diff(const Value &patch, const ArrayLength &array_len) {
    std::vector<Op> ops = parse_ops(patch);
    std::vector<PathRow> rows;
    // Adds and removes inside arrays, by array: indices shift unless they
    // all happen at the end.
    struct ArrayEdit {
        std::vector<size_t> adds, removes;
        std::vector<const Op *> add_ops, remove_ops;
        bool unknown = false;
    };
    std::map<Path, ArrayEdit> arrays;
    for (const Op &op : ops) {
        if (op.code == 5) continue;  // test
        if ((op.code == 0 || op.code == 1) && !op.path.empty() && is_index_token(op.path.back())) {
            Path parent(op.path.begin(), op.path.end() - 1);
            std::optional<size_t> len = array_len ? array_len(parent) : std::nullopt;
            if (len || !array_len) {
                ArrayEdit &e = arrays[parent];
                size_t i = 0;
                size_t n = len.value_or(0);
                if (!len || !parse_array_index(op.path.back(), i)) {
                    if (len && op.path.back() == "-" && n > 0)
                        i = n - 1;
                    else
                        e.unknown = true;
                }
                (op.code == 0 ? e.adds : e.removes).push_back(i);
                (op.code == 0 ? e.add_ops : e.remove_ops).push_back(&op);
                continue;
            }
        }
        switch (op.code) {
            case 0:
                if (op.value)
                    add_value_rows(*op.value, op.path, rows);
                else
                    rows.push_back(PathRow{op.path, false});
                break;
            case 1:
            case 2:
            case 4:
            default:
                rows.push_back(PathRow{op.path, false});
                break;
            case 3:
                rows.push_back(PathRow{op.path, false});
                // the source is gone
                break;
        }
    }
    for (auto &[parent, e] : arrays) {
        bool at_end = !e.unknown;
        if (at_end) {
            std::optional<size_t> len = array_len(parent);
            if (!len) {
                at_end = false;
            } else {
                if (!e.adds.empty() && *std::max_element(e.adds.begin(), e.adds.end()) + 1 != *len) at_end = false;
                if (!e.removes.empty() && *std::min_element(e.removes.begin(), e.removes.end()) != *len) at_end = false;
                if (!e.adds.empty() && !e.removes.empty()) at_end = false;
            }
        }
        if (!at_end) {
            rows.push_back(PathRow{parent, false});
            continue;
        }
        for (const Op *op : e.add_ops) {
            if (op->value)
                add_value_rows(*op->value, op->path, rows);
            else
                rows.push_back(PathRow{op->path, false});
        }
        for (const Op *op : e.remove_ops) rows.push_back(PathRow{op->path, false});
    }
    return finish(std::move(rows));
}

std::vector<PathRow> rows_for_state(const Value &state) {
    std::vector<PathRow> rows;
    if (!expand_leaves(state, Path{}, kMaxPathRows, rows)) return {PathRow{Path{}, false}};
    return finish(std::move(rows));
}

namespace {

// Rows for the change of the subtree at r (values a before, b after).
void rows_at(const Value *a, const Value *b, const Path &r, std::vector<PathRow> &out) {
    if (!a && !b) return;
    if (!a) return add_value_rows(*b, r, out);
    if (!b) return out.push_back(PathRow{r, false});
    if (*a == *b) return;
    Value d = json_diff(*a, *b);
    std::vector<PathRow> sub = rows_from_diff(d, [b](const Path &p) -> std::optional<size_t> {
        const Value *v = value_at(*b, p);
        if (v && v->is_array()) return v->items().size();
        return std::nullopt;
    });
    for (PathRow &row : sub) {
        Path full = r;
        full.insert(full.end(), row.path.begin(), row.path.end());
        out.push_back(PathRow{std::move(full), row.exact});
    }
}

void merge_patch_roots(const Value &patch, Path &at, std::vector<Path> &roots) {
    if (!patch.is_object() || patch.members().empty()) {
        roots.push_back(at);
        return;
    }
    for (const Member &m : patch.members()) {
        at.push_back(m.first);
        if (m.second.is_object() && !m.second.members().empty())
            merge_patch_roots(m.second, at, roots);
        else
            roots.push_back(at);
        at.pop_back();
    }
}

}  // namespace

CapturedRoots capture_patch_roots(const Value &before, const Value &patch, bool merge_patch) {
    CapturedRoots out;
    std::vector<Path> roots;
    try {
        if (merge_patch) {
            Path at;
            // A non-object patch replaces the document; an object patch on
            // a non-object document starts from {}.
            if (!patch.is_object() || !before.is_object())
                roots.push_back(Path{});
            else
                merge_patch_roots(patch, at, roots);
        } else {
            // Adds, removes, moves and copies inside an array shift its
            // indices: their root is lifted to the array below. A replace
            // changes one element.
            std::vector<bool> may_shift;
            for (const Op &op : parse_ops(patch)) {
                if (op.code == 5) continue;
                roots.push_back(op.path);
                may_shift.push_back(op.code != 2);
            }
            // move's source.
            for (const Value &o : patch.items()) {
                if (!o.is_object()) continue;
                const Value *name = o.find("op");
                const Value *from = o.find("from");
                if (name && name->is_string() && name->text() == "move" && from && from->is_string())
                    roots.push_back(parse_pointer(from->text()));
            }
            // Inside an array, the array: indices after the edit may shift.
            may_shift.resize(roots.size(), true);  // move sources
            for (size_t k = 0; k < roots.size(); k++) {
                Path &p = roots[k];
                if (p.empty() || !may_shift[k]) continue;
                Path parent(p.begin(), p.end() - 1);
                const Value *pa = value_at(before, parent);
                if (pa && pa->is_array()) p = parent;
            }
        }
    } catch (const Error &) {
        // A malformed patch: applying it fails too.
        roots.assign(1, Path{});
    }
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    for (const Path &p : roots) {
        if (!out.roots.empty()) {
            const Path &q = out.roots.back().first;
            if (q.size() <= p.size() && std::equal(q.begin(), q.end(), p.begin())) continue;  // below a root
        }
        const Value *v = value_at(before, p);
        out.roots.emplace_back(p, v ? std::optional<Value>(*v) : std::nullopt);
    }
    return out;
}

std::vector<PathRow> rows_from_captured(const CapturedRoots &c, const Value &after) {
    std::vector<PathRow> rows;
    for (const auto &[r, before] : c.roots) {
        const Value *b = value_at(after, r);
        // An array created where the patch pointed inside it.
        if (!r.empty() && !before) {
            Path parent(r.begin(), r.end() - 1);
            const Value *pb = value_at(after, parent);
            if (pb && pb->is_array()) {
                rows.push_back(PathRow{parent, false});
                continue;
            }
        }
        rows_at(before ? &*before : nullptr, b, r, rows);
        if (rows.size() > kMaxPathRows) return {PathRow{Path{}, false}};
    }
    return finish(std::move(rows));
}

std::vector<PathRow> rows_from_patch(const Value &before, const Value &after, const Value &patch, bool merge_patch) {
    return rows_from_captured(capture_patch_roots(before, patch, merge_patch), after);
}

std::vector<PathRow> rows_between(const Value &before, const Value &after) {
    std::vector<PathRow> rows;
    rows_at(&before, &after, Path{}, rows);
    return finish(std::move(rows));
}

void for_each_leaf(const Value &state, const std::function<void(const Path &, const Value &)> &f) {
    struct Frame {
        const Value *v;
        size_t depth;
        size_t next;
    };
    Path path;
    std::vector<Frame> stack;
    auto visit = [&](const Value &x, size_t depth) {
        bool empty = x.is_array() ? x.items().empty() : x.is_object() ? x.members().empty() : true;
        if (empty) {
            path.resize(depth);
            f(path, x);
        } else {
            stack.push_back(Frame{&x, depth, 0});
        }
    };
    visit(state, 0);
    while (!stack.empty()) {
        Frame &fr = stack.back();
        size_t n = fr.v->is_array() ? fr.v->items().size() : fr.v->members().size();
        if (fr.next >= n) {
            stack.pop_back();
            continue;
        }
        size_t i = fr.next++;
        size_t depth = fr.depth;
        const Value *parent = fr.v;
        path.resize(depth);
        const Value *child;
        if (parent->is_array()) {
            path.push_back(std::to_string(i));
            child = &parent->items()[i];
        } else {
            path.push_back(parent->members()[i].first);
            child = &parent->members()[i].second;
        }
        visit(*child, depth + 1);
    }
}

}  // namespace tscore
