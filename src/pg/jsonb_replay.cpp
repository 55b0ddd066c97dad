// jsonb_replay.cpp — see jsonb_replay.hpp.
#include "pg/jsonb_replay.hpp"

#include "core/errors.hpp"
#include "core/json_patch.hpp"
#include "pg/error_bridge.hpp"
#include "pg/jsonb_format.hpp"

namespace tspg {

namespace {

using tscore::DecodedPayload;
using tscore::PayloadKind;
using tscore::Value;

class Replay {
public:
    explicit Replay(const Jsonb *base) : base_size_(VARSIZE(base)), root_(expand(&base->root)) {}

    // Applies one delta, operation by operation, each after opening the
    // containers on its paths. False: replay on the full tree.
    bool apply(DecodedPayload &&delta) {
        Value &ops = delta.body;
        if (!ops.is_array()) return false;
        for (Value &op : ops.items()) {
            tscore::poll();
            if (!prepare(delta.kind, op)) return false;
            Value one = Value::array();
            one.items().push_back(std::move(op));
            DecodedPayload single{delta.kind, tscore::Compression::None, std::move(one), {}};
            try {
                root_ = tscore::apply_payload(std::move(root_), std::move(single));
            } catch (const tscore::Error &) {
                return false;  // on the full tree, the same error or none
            }
        }
        return true;
    }

    std::string write() {
        uint32 index;
        if (placeholder_index(root_, index) && !refs_[index].is_container()) make_real(root_);
        // Small edits keep the size close to the base's.
        return value_to_jsonb_bytes(root_, &refs_, base_size_ + base_size_ / 16 + 1024);
    }

private:
    // One level of a container: its children as placeholders.
    Value expand(const JsonbContainer *c) {
        uint32 n = JsonContainerSize(c);
        bool object = JsonContainerIsObject(c);
        const char *base = (const char *)&c->children[object ? 2 * n : n];
        Value out = object ? Value::object() : Value::array();
        tscore::poll((long)n);
        if (refs_.capacity() < refs_.size() + n) refs_.reserve(std::max(2 * refs_.capacity(), refs_.size() + n));
        uint32 off = 0;
        if (object) {
            out.members().reserve(n);
            uint32 voff = n > 0 ? getJsonbOffset(c, (int)n) : 0;
            for (uint32 i = 0; i < n; i++) {
                uint32 klen = entry_length(c, (int)i, off);
                std::string key(base + off, klen);
                off += klen;
                uint32 vlen = entry_length(c, (int)(n + i), voff);
                refs_.push_back(JsonbChild{c->children[n + i], base, voff, vlen});
                voff += vlen;
                out.push_member_sorted(std::move(key), placeholder((uint32)refs_.size() - 1));
            }
        } else {
            out.items().reserve(n);
            for (uint32 i = 0; i < n; i++) {
                uint32 len = entry_length(c, (int)i, off);
                refs_.push_back(JsonbChild{c->children[i], base, off, len});
                off += len;
                out.items().push_back(placeholder((uint32)refs_.size() - 1));
            }
        }
        return out;
    }

    // A placeholder container becomes a node (its children placeholders).
    void open(Value &v) {
        uint32 index;
        if (!placeholder_index(v, index)) return;
        JsonbChild ch = refs_[index];  // expand grows refs_
        if (ch.is_container()) v = expand(ch.container());
    }

    // The subtree at v with no placeholder left (what `test` compares).
    void make_real(Value &v) {
        std::vector<Value *> todo{&v};
        while (!todo.empty()) {
            tscore::poll();
            Value *x = todo.back();
            todo.pop_back();
            uint32 index;
            if (placeholder_index(*x, index)) {
                const JsonbChild &ch = refs_[index];
                *x = ch.is_container() ? container_to_value(ch.container())
                                       : scalar_at(ch.entry, ch.base, ch.off, ch.len);
            } else if (x->is_array()) {
                for (Value &c : x->items()) todo.push_back(&c);
            } else if (x->is_object()) {
                for (auto &m : x->members()) todo.push_back(&m.second);
            }
        }
    }

    // Opens every container above the pointer's target, and the target's
    // whole subtree when `whole`. A path that leads nowhere is left to the
    // operation to report.
    void open_path(const std::string &pointer, bool whole) {
        tscore::Path path;
        try {
            path = tscore::parse_pointer(pointer);
        } catch (const tscore::Error &) {
            return;
        }
        Value *cur = &root_;
        for (const std::string &token : path) {
            open(*cur);
            Value *next = nullptr;
            size_t i;
            if (cur->is_object())
                next = cur->find(token);
            else if (cur->is_array() && tscore::parse_array_index(token, i) && i < cur->items().size())
                next = &cur->items()[i];
            if (!next) return;
            cur = next;
        }
        if (whole) make_real(*cur);
    }

    // Opens what one operation reads or edits. False when it is not one.
    bool prepare(PayloadKind kind, const Value &op) {
        const Value *path = nullptr, *from = nullptr;
        bool test = false;
        if (kind == PayloadKind::CompactJsonPatch) {
            // [code, path, value-or-from]; codes 3 move, 4 copy, 5 test.
            if (!op.is_array() || op.items().size() < 2 || !op.items()[0].is_number()) return false;
            const std::string &code = op.items()[0].text();
            path = &op.items()[1];
            test = code == "5";
            if ((code == "3" || code == "4") && op.items().size() == 3) from = &op.items()[2];
        } else {
            if (!op.is_object()) return false;
            const Value *name = op.find("op");
            if (!name || !name->is_string()) return false;
            path = op.find("path");
            test = name->text() == "test";
            if (name->text() == "move" || name->text() == "copy") from = op.find("from");
        }
        if (!path || !path->is_string() || (from && !from->is_string())) return false;
        if (from) open_path(from->text(), false);
        open_path(path->text(), test);
        return true;
    }

    size_t base_size_;
    std::vector<JsonbChild> refs_;  // what each placeholder stands for
    Value root_;
};

}  // namespace

bool jsonb_replayable(const Jsonb *base, const std::vector<DecodedPayload> &deltas) {
    if (JsonContainerIsScalar(&base->root)) return false;
    for (const DecodedPayload &d : deltas)
        if (d.kind != PayloadKind::CompactJsonPatch && d.kind != PayloadKind::JsonPatch) return false;
    return true;
}

std::optional<std::string> replay_on_jsonb(const Jsonb *base, std::vector<DecodedPayload> &deltas) {
    Replay r(base);  // the caller has asked jsonb_replayable
    for (size_t i = deltas.size(); i-- > 0;) {
        check_interrupts();
        if (!r.apply(std::move(deltas[i]))) return std::nullopt;
    }
    return r.write();
}

}  // namespace tspg
