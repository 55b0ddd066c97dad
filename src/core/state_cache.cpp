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

}  // namespace tscore
