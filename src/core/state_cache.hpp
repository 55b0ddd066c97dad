// state_cache.hpp — byte-bounded LRU caches of materialised states.
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

template <class T>
class LruCache {
public:
    explicit LruCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

    // The entry, or an empty T when absent or stale.
    T get(int64_t store, int64_t version, const std::string &hash) {
        auto it = map_.find(Key{store, version});
        if (it == map_.end()) return T();
        if (it->second->hash != hash) {
            drop(it);
            return T();
        }
        lru_.splice(lru_.begin(), lru_, it->second);
        return it->second->value;
    }

    // Whether any entry, fresh or stale, is kept for the version (a miss
    // needs no hash to be known).
    bool holds(int64_t store, int64_t version) const { return map_.count(Key{store, version}) != 0; }

    // The accounted size of the version's entry (0 when absent).
    size_t bytes_of(int64_t store, int64_t version) const {
        auto it = map_.find(Key{store, version});
        return it == map_.end() ? 0 : it->second->bytes;
    }

    // Removes the entry and returns it (empty T when absent or stale).
    T take(int64_t store, int64_t version, const std::string &hash) {
        auto it = map_.find(Key{store, version});
        if (it == map_.end()) return T();
        T value = it->second->hash == hash ? std::move(it->second->value) : T();
        drop(it);
        return value;
    }

    void put(int64_t store, int64_t version, const std::string &hash, T value, size_t size) {
        if (size > capacity_) return;
        auto it = map_.find(Key{store, version});
        if (it != map_.end()) drop(it);
        evict_to(capacity_ - size);
        lru_.push_front(Entry{Key{store, version}, hash, std::move(value), size});
        map_[lru_.front().key] = lru_.begin();
        bytes_ += size;
    }

    void set_capacity(size_t bytes) {
        capacity_ = bytes;
        evict_to(capacity_);
    }
    void clear() {
        lru_.clear();
        map_.clear();
        bytes_ = 0;
    }
    size_t bytes() const { return bytes_; }
    size_t entries() const { return map_.size(); }

private:
    struct Key {
        int64_t store, version;
        bool operator==(const Key &o) const { return store == o.store && version == o.version; }
    };
    struct KeyHash {
        size_t operator()(const Key &k) const {
            return std::hash<int64_t>()(k.store * 1000003 ^ k.version);
        }
    };
    struct Entry {
        Key key;
        std::string hash;
        T value;
        size_t bytes;
    };
    using Iter = typename std::list<Entry>::iterator;

    void drop(typename std::unordered_map<Key, Iter, KeyHash>::iterator it) {
        bytes_ -= it->second->bytes;
        lru_.erase(it->second);
        map_.erase(it);
    }
    void evict_to(size_t limit) {
        while (bytes_ > limit && !lru_.empty()) {
            bytes_ -= lru_.back().bytes;
            map_.erase(lru_.back().key);
            lru_.pop_back();
        }
    }

    size_t capacity_;
    size_t bytes_ = 0;
    std::list<Entry> lru_;  // most recent first
    std::unordered_map<Key, Iter, KeyHash> map_;
};

// Trees, for replay and for the write path's parent state.
using StateCache = LruCache<std::shared_ptr<const Value>>;
// Serialised results (e.g. jsonb bytes), for repeated reads.
using BytesCache = LruCache<std::shared_ptr<const std::string>>;

}  // namespace tscore
