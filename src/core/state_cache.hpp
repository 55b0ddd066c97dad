// state_cache.hpp — a byte-bounded LRU of materialised states.
//
// Keyed by (store id, version) and checked against the version's hash on
// every lookup: version numbers are reused after a rolled-back commit, and
// store ids after a restore, but a hash names one state for good.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "json_value.hpp"

namespace tscore {

// Rough heap footprint of a tree, for cache accounting (iterative).
size_t approx_size(const Value &v);

class StateCache {
public:
    explicit StateCache(size_t capacity_bytes = 64u << 20) : capacity_(capacity_bytes) {}

    std::shared_ptr<const Value> get(int64_t store, int64_t version, const std::string &hash);
    void put(int64_t store, int64_t version, const std::string &hash, std::shared_ptr<const Value> state);
    void set_capacity(size_t bytes);
    void clear();
    size_t bytes() const { return bytes_; }
    size_t entries() const { return map_.size(); }

private:
    struct Key {
        int64_t store, version;
        bool operator==(const Key &o) const { return store == o.store && version == o.version; }
    };
    struct KeyHash {
        size_t operator()(const Key &k) const { return std::hash<int64_t>()(k.store * 1000003 ^ k.version); }
    };
    struct Entry {
        Key key;
        std::string hash;
        std::shared_ptr<const Value> state;
        size_t bytes;
    };
    void evict_to(size_t limit);

    size_t capacity_;
    size_t bytes_ = 0;
    std::list<Entry> lru_;  // most recent first
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> map_;
};

}  // namespace tscore
