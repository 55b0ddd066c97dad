// state_cache.hpp — a byte-bounded LRU cache of materialised states.
//
// Keyed by (store id, version) and checked against the version's hash on
// every lookup: version numbers are reused after a rolled-back commit, and
// store ids after a restore, but a hash names one state for good.
//
// The cache keeps each state as bytes (the extension keeps jsonb) and takes
// every byte it holds — entries, list and index nodes, the index's bucket
// array — from a CacheMemory the caller supplies (the extension's allocates
// in a PostgreSQL memory context). Its size is what that memory says is in
// use, allocation headers included, not an estimate: no shape of state can
// make it hold more than it counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>

#include "json_value.hpp"

namespace tscore {

// A rough heap footprint of a tree (iterative). A heuristic for sizing
// decisions (whether a state may be large); the cache does not use it.
size_t approx_size(const Value &v);

// Where a cache takes its memory from. used() is the sum of what live
// allocations really occupy, as the implementation measures it.
class CacheMemory {
public:
    virtual ~CacheMemory() = default;
    // n bytes, aligned for any type the cache stores; throws std::bad_alloc.
    void *allocate(size_t n) {
        void *p = raw_allocate(n);
        used_ += footprint(p);
        return p;
    }
    void deallocate(void *p) noexcept {
        used_ -= footprint(p);
        raw_deallocate(p);
    }
    size_t used() const noexcept { return used_; }

protected:
    virtual void *raw_allocate(size_t n) = 0;  // throws std::bad_alloc
    virtual void raw_deallocate(void *p) noexcept = 0;
    // What the allocation at p occupies, its header included.
    virtual size_t footprint(const void *p) const noexcept = 0;

private:
    size_t used_ = 0;
};

// The C++ heap, with a header recording each allocation's size (unit
// tests; and a cache used without the extension's memory).
class HeapMemory final : public CacheMemory {
public:
    static constexpr size_t kHeader = 16;

protected:
    void *raw_allocate(size_t n) override;
    void raw_deallocate(void *p) noexcept override;
    size_t footprint(const void *p) const noexcept override;
};

// A standard allocator over a CacheMemory.
template <class T>
struct CacheAllocator {
    using value_type = T;
    CacheMemory *memory;
    explicit CacheAllocator(CacheMemory &m) noexcept : memory(&m) {}
    template <class U>
    CacheAllocator(const CacheAllocator<U> &o) noexcept : memory(o.memory) {}
    T *allocate(size_t n) {
        if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
        return static_cast<T *>(memory->allocate(n * sizeof(T)));
    }
    void deallocate(T *p, size_t) noexcept { memory->deallocate(p); }
    template <class U>
    bool operator==(const CacheAllocator<U> &o) const noexcept {
        return memory == o.memory;
    }
    template <class U>
    bool operator!=(const CacheAllocator<U> &o) const noexcept {
        return memory != o.memory;
    }
};

// Read-only bytes shared by their holders: a cache entry's (valid after
// the entry is evicted, until the last holder lets go) or a string's.
class SharedBytes {
public:
    SharedBytes() = default;
    explicit SharedBytes(std::string s) {
        auto owned = std::make_shared<const std::string>(std::move(s));
        data_ = owned->data();
        size_ = owned->size();
        owner_ = std::move(owned);
    }
    SharedBytes(std::shared_ptr<const void> owner, const char *data, size_t size)
        : owner_(std::move(owner)), data_(data), size_(size) {}

    const char *data() const noexcept { return data_; }
    size_t size() const noexcept { return size_; }
    std::string_view view() const noexcept { return std::string_view(data_, size_); }
    explicit operator bool() const noexcept { return owner_ != nullptr; }
    // Lets holders write bytes->data() as with a pointer.
    const SharedBytes *operator->() const noexcept { return this; }
    long use_count() const noexcept { return owner_.use_count(); }

private:
    std::shared_ptr<const void> owner_;
    const char *data_ = nullptr;
    size_t size_ = 0;
};

class StateCache {
public:
    // capacity: bytes of memory.used() the cache keeps itself within (an
    // entry being added may exceed it by its own size until older ones go).
    StateCache(CacheMemory &memory, size_t capacity);
    ~StateCache();
    StateCache(const StateCache &) = delete;
    StateCache &operator=(const StateCache &) = delete;

    // The entry's bytes, or empty when absent or stale (a stale entry is
    // dropped).
    SharedBytes get(int64_t store, int64_t version, std::string_view hash);

    // Whether any entry, fresh or stale, is kept for the version (a miss
    // needs no hash to be known).
    bool holds(int64_t store, int64_t version) const { return map_.count(Key{store, version}) != 0; }

    // Copies bytes into the cache as the newest entry, evicting the least
    // recently used ones until the cache is within its capacity again.
    // Returns the cached copy, or empty when it is not kept (larger than
    // the capacity, or out of memory: a cache that cannot grow just
    // caches less).
    SharedBytes put(int64_t store, int64_t version, std::string_view hash, std::string_view bytes);

    // What an entry of that many bytes would take, at least (the cache's
    // own overhead, not the memory's headers).
    static size_t entry_size(size_t hash_bytes, size_t bytes);

    void erase(int64_t store, int64_t version) noexcept;
    void set_capacity(size_t bytes) noexcept;
    // Drops every entry, and the index's buckets with them.
    void clear() noexcept;

    size_t capacity() const { return capacity_; }
    // Memory in use: the entries, their nodes and the index, plus the
    // bytes of evicted entries someone still holds.
    size_t bytes() const { return memory_.used(); }
    size_t entries() const { return map_.size(); }

private:
    struct Key {
        int64_t store, version;
        bool operator==(const Key &o) const { return store == o.store && version == o.version; }
    };
    struct KeyHash {
        size_t operator()(const Key &k) const { return std::hash<int64_t>()(k.store * 1000003 ^ k.version); }
    };
    // An entry's hash and bytes, in one allocation of the cache's memory;
    // shared with holders of its SharedBytes.
    struct Blob {
        CacheMemory *memory;
        char *buffer;  // hash, then bytes
        size_t hash_size, size;
        Blob(CacheMemory *m, char *b, size_t h, size_t s) : memory(m), buffer(b), hash_size(h), size(s) {}
        ~Blob() { memory->deallocate(buffer); }
        Blob(const Blob &) = delete;
        Blob &operator=(const Blob &) = delete;
        std::string_view hash() const { return std::string_view(buffer, hash_size); }
    };
    struct Entry {
        Key key;
        std::shared_ptr<const Blob> blob;
    };
    using List = std::list<Entry, CacheAllocator<Entry>>;
    using Map = std::unordered_map<Key, typename List::iterator, KeyHash, std::equal_to<Key>,
                                   CacheAllocator<std::pair<const Key, typename List::iterator>>>;

    static SharedBytes bytes_of(const std::shared_ptr<const Blob> &b) {
        return SharedBytes(b, b->buffer + b->hash_size, b->size);
    }
    void drop(typename Map::iterator it) noexcept;
    // Evicts least recently used entries (never `keep`) while more than
    // limit bytes are in use.
    void evict_to(size_t limit, const Entry *keep = nullptr) noexcept;

    CacheMemory &memory_;
    size_t capacity_;
    List lru_;  // most recent first
    Map map_;
};

}  // namespace tscore
