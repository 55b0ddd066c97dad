// state_cache.cpp — see state_cache.hpp.
#include "state_cache.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace tscore {

namespace {

bool is_bad_alloc(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::bad_alloc &) {
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace

size_t approx_size(const Value &root) {
    size_t total = 0;
    std::vector<const Value *> todo{&root};
    while (!todo.empty()) {
        const Value *v = todo.back();
        todo.pop_back();
        total += sizeof(Value) + v->text().capacity();
        for (const Value &c : v->items()) todo.push_back(&c);
        for (const Member &m : v->members()) {
            total += m.first.capacity() + sizeof(std::string);
            todo.push_back(&m.second);
        }
    }
    return total;
}

void *HeapMemory::raw_allocate(size_t n) {
    if (n > SIZE_MAX - kHeader) throw std::bad_alloc();
    char *p = static_cast<char *>(std::malloc(n + kHeader));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, &n, sizeof n);
    return p + kHeader;
}

void HeapMemory::raw_deallocate(void *p) noexcept { std::free(static_cast<char *>(p) - kHeader); }

size_t HeapMemory::footprint(const void *p) const noexcept {
    size_t n;
    std::memcpy(&n, static_cast<const char *>(p) - kHeader, sizeof n);
    return n + kHeader;
}

StateCache::StateCache(CacheMemory &memory, size_t capacity)
    : memory_(memory),
      capacity_(capacity),
      lru_(CacheAllocator<Entry>(memory)),
      map_(0, KeyHash(), std::equal_to<Key>(), typename Map::allocator_type(memory)) {}

StateCache::~StateCache() { clear(); }

SharedBytes StateCache::get(int64_t store, int64_t version, std::string_view hash) {
    auto it = map_.find(Key{store, version});
    if (it == map_.end()) return SharedBytes();
    if (it->second->blob->hash() != hash) {
        drop(it);
        return SharedBytes();
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    return bytes_of(it->second->blob);
}

size_t StateCache::entry_size(size_t hash_bytes, size_t bytes) {
    // The buffer, the blob with its shared_ptr control block, the list
    // node, the index node and its share of the buckets.
    return hash_bytes + bytes + sizeof(Blob) + 2 * sizeof(void *) + 2 * sizeof(long) + sizeof(Entry) +
           2 * sizeof(void *) + sizeof(Key) + 3 * sizeof(void *);
}

SharedBytes StateCache::put(int64_t store, int64_t version, std::string_view hash, std::string_view bytes) {
    Key key{store, version};
    erase(store, version);
    size_t need = entry_size(hash.size(), bytes.size());
    if (need > capacity_) return SharedBytes();
    // Room first (by the entry's least size), so that the new entry and the
    // old ones are seldom all in memory at once.
    evict_to(capacity_ - need);
    // Out of memory caches nothing; any other failure of the memory (the
    // extension's raises PostgreSQL errors as exceptions) leaves the cache
    // as it was and propagates.
    char *buffer = nullptr;
    try {
        buffer = static_cast<char *>(memory_.allocate(hash.size() + bytes.size()));
    } catch (const std::bad_alloc &) {
        return SharedBytes();
    }
    std::memcpy(buffer, hash.data(), hash.size());
    if (!bytes.empty()) std::memcpy(buffer + hash.size(), bytes.data(), bytes.size());
    std::shared_ptr<const Blob> blob;
    try {
        blob = std::allocate_shared<const Blob>(CacheAllocator<Blob>(memory_), &memory_, buffer, hash.size(),
                                                bytes.size());
    } catch (...) {
        memory_.deallocate(buffer);
        if (is_bad_alloc(std::current_exception())) return SharedBytes();
        throw;
    }
    // If the nodes cannot be had, the blob goes with `blob`.
    try {
        lru_.push_front(Entry{key, blob});
    } catch (...) {
        if (is_bad_alloc(std::current_exception())) return SharedBytes();
        throw;
    }
    try {
        map_.emplace(key, lru_.begin());
    } catch (...) {
        lru_.pop_front();
        if (is_bad_alloc(std::current_exception())) return SharedBytes();
        throw;
    }
    // The memory's headers and the buckets are counted only now; the new
    // entry stays even when it alone is over (by less than its headers).
    evict_to(capacity_, &lru_.front());
    return bytes_of(blob);
}

void StateCache::erase(int64_t store, int64_t version) noexcept {
    auto it = map_.find(Key{store, version});
    if (it != map_.end()) drop(it);
}

void StateCache::set_capacity(size_t bytes) noexcept {
    capacity_ = bytes;
    if (capacity_ == 0)
        clear();
    else
        evict_to(capacity_);
}

void StateCache::clear() noexcept {
    map_.clear();
    lru_.clear();
    // A fresh index owns no bucket array; the old one's goes with it.
    Map fresh(0, KeyHash(), std::equal_to<Key>(), typename Map::allocator_type(memory_));
    map_.swap(fresh);
}

void StateCache::drop(typename Map::iterator it) noexcept {
    typename List::iterator pos = it->second;
    map_.erase(it);
    lru_.erase(pos);
}

void StateCache::evict_to(size_t limit, const Entry *keep) noexcept {
    while (memory_.used() > limit && !lru_.empty() && &lru_.back() != keep) drop(map_.find(lru_.back().key));
}

}  // namespace tscore
