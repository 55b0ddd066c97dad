// change_notify.hpp — NOTIFY temporal_store, once per writing transaction.
//
// Listeners learn that something was committed and poll the change feed;
// the payload names no store (any role may LISTEN), only the newest
// change_id the transaction took: {"change_id": n}. However many versions
// and events a transaction writes, it queues one notification, sent at
// pre-commit (a prepared transaction sends none: PostgreSQL forbids
// NOTIFY there).
#pragma once

#include <cstdint>

namespace tspg {
namespace change_notify {

// From _PG_init.
void register_xact_callback();

// This transaction wrote a change with that id.
void note(int64_t change_id);

}  // namespace change_notify
}  // namespace tspg
