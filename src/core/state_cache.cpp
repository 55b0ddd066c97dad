// state_cache.cpp — see state_cache.hpp.
#include "state_cache.hpp"

#include <vector>

namespace tscore {

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

std::shared_ptr<const Value> StateCache::get(int64_t store, int64_t version, const std::string &hash) {
    auto it = map_.find(Key{store, version});
    if (it == map_.end()) return nullptr;
    if (it->second->hash != hash) {
        bytes_ -= it->second->bytes;
        lru_.erase(it->second);
        map_.erase(it);
        return nullptr;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->state;
}

void StateCache::put(int64_t store, int64_t version, const std::string &hash, std::shared_ptr<const Value> state) {
    if (capacity_ == 0) return;
    size_t size = approx_size(*state);
    if (size > capacity_) return;
    Key key{store, version};
    auto it = map_.find(key);
    if (it != map_.end()) {
        bytes_ -= it->second->bytes;
        lru_.erase(it->second);
        map_.erase(it);
    }
    evict_to(capacity_ - size);
    lru_.push_front(Entry{key, hash, std::move(state), size});
    map_[key] = lru_.begin();
    bytes_ += size;
}

void StateCache::set_capacity(size_t bytes) {
    capacity_ = bytes;
    evict_to(capacity_);
}

void StateCache::clear() {
    lru_.clear();
    map_.clear();
    bytes_ = 0;
}

void StateCache::evict_to(size_t limit) {
    while (bytes_ > limit && !lru_.empty()) {
        bytes_ -= lru_.back().bytes;
        map_.erase(lru_.back().key);
        lru_.pop_back();
    }
}

}  // namespace tscore
