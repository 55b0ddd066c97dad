// ancestry.cpp — see ancestry.hpp.
#include "pg/ancestry.hpp"

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "pg/error_bridge.hpp"

namespace tspg {

namespace {

constexpr uint8_t kSideA = 1, kSideB = 2, kStale = 4;

int64_t visits = 0;  // versions read by the last walk

class Graph {
public:
    Graph(Session &s, int64_t store_id) : s_(s), store_id_(store_id) { visits = 0; }
    const storage::GraphNode &node(int64_t v) {
        auto it = nodes_.find(v);
        if (it != nodes_.end()) return it->second;
        visits++;
        return nodes_.emplace(v, storage::graph_node(s_, store_id_, v)).first->second;
    }

private:
    Session &s_;
    int64_t store_id_;
    std::unordered_map<int64_t, storage::GraphNode> nodes_;
};

struct Entry {
    int64_t generation, version;
    bool operator<(const Entry &o) const {
        return generation != o.generation ? generation < o.generation : version < o.version;
    }
};

// Paints the graph down from a and b (git's paint_down_to_common). Parents
// have a smaller generation than their children, so popping the largest
// generation first means a version's flags are final when it is popped,
// and a base found later is never an ancestor of one found earlier.
Divergence paint(Graph &g, int64_t a, int64_t b) {
    Divergence d;
    if (a == b) {
        d.bases.push_back(a);
        return d;
    }
    std::unordered_map<int64_t, uint8_t> flags;
    std::priority_queue<Entry> queue;
    int64_t live = 0;  // queued versions not (yet) known to be common
    auto push = [&](int64_t v, uint8_t f) {
        auto [it, fresh] = flags.try_emplace(v, 0);
        uint8_t old = it->second;
        it->second |= f;
        if (fresh) {
            queue.push({g.node(v).generation, v});
            if (!(f & kStale)) live++;
        } else if (!(old & kStale) && (it->second & kStale)) {
            live--;
        }
    };
    push(a, kSideA);
    push(b, kSideB);
    while (live > 0) {
        check_interrupts();
        Entry e = queue.top();
        queue.pop();
        uint8_t &fl = flags[e.version];
        if (!(fl & kStale)) {
            live--;
            if ((fl & (kSideA | kSideB)) == (kSideA | kSideB)) {
                d.bases.push_back(e.version);
                fl |= kStale;
            } else if (fl & kSideA) {
                d.ahead++;
            } else {
                d.behind++;
            }
        }
        uint8_t f = fl;
        const storage::GraphNode n = g.node(e.version);
        if (n.first_parent) push(*n.first_parent, f);
        if (n.merge_parent) push(*n.merge_parent, f);
    }
    return d;
}

}  // namespace

int64_t last_walk_visits() { return visits; }

Divergence diverge(Session &s, int64_t store_id, int64_t a, int64_t b) {
    Graph g(s, store_id);
    Divergence d = paint(g, a, b);
    return d;
}

bool is_ancestor(Session &s, int64_t store_id, int64_t ancestor, int64_t descendant) {
    if (ancestor == descendant) return true;
    Graph g(s, store_id);
    int64_t floor = g.node(ancestor).generation;
    std::priority_queue<Entry> queue;
    std::unordered_map<int64_t, bool> seen;
    queue.push({g.node(descendant).generation, descendant});
    seen[descendant] = true;
    while (!queue.empty()) {
        check_interrupts();
        Entry e = queue.top();
        queue.pop();
        if (e.version == ancestor) return true;
        if (e.generation <= floor) continue;
        const storage::GraphNode &n = g.node(e.version);
        for (std::optional<int64_t> p : {n.first_parent, n.merge_parent}) {
            if (!p || seen[*p]) continue;
            seen[*p] = true;
            queue.push({g.node(*p).generation, *p});
        }
    }
    return false;
}

}  // namespace tspg
