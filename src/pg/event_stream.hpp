// event_stream.hpp — a store's event stream in seq order, read a page at a
// time: ts_events and ts_export merge pages of versions and of other
// events, so memory stays flat however long the history.
#pragma once

#include "pg/error_bridge.hpp"
#include "pg/storage.hpp"

namespace tspg {

// One kind of the stream (versions or events), read a page at a time.
class StreamPages {
public:
    using Reader = std::vector<storage::StreamItem> (*)(Session &, int64_t, int64_t, int64_t);
    StreamPages(Session &s, int64_t store_id, int64_t after, Reader read)
        : s_(s), store_id_(store_id), after_(after), read_(read) {}

    // The next item, or nullptr at the end; valid until the next call of take().
    storage::StreamItem *peek() {
        if (i_ == page_.size() && !done_) {
            page_ = read_(s_, store_id_, after_, kPage);
            i_ = 0;
            done_ = (int64_t)page_.size() < kPage;
            if (!page_.empty()) after_ = page_.back().seq();
        }
        return i_ < page_.size() ? &page_[i_] : nullptr;
    }
    void take() { i_++; }

private:
    static constexpr int64_t kPage = 256;
    Session &s_;
    int64_t store_id_;
    int64_t after_;
    Reader read_;
    std::vector<storage::StreamItem> page_;
    size_t i_ = 0;
    bool done_ = false;
};

// Both kinds merged: calls f(item) for every item after after_seq, in seq
// order, checking for interrupts between items.
template <class F>
void for_each_stream_item(Session &s, int64_t store_id, int64_t after_seq, F &&f) {
    StreamPages versions(s, store_id, after_seq, storage::version_stream_page);
    StreamPages events(s, store_id, after_seq, storage::event_stream_page);
    for (;;) {
        check_interrupts();
        storage::StreamItem *v = versions.peek(), *e = events.peek();
        if (v == nullptr && e == nullptr) break;
        bool take_version = e == nullptr || (v != nullptr && v->seq() < e->seq());
        f(take_version ? *v : *e);
        (take_version ? versions : events).take();
    }
}

}  // namespace tspg
