// change_feed.hpp — change ids, and the horizon below which the change
// feed (ts_changes) may hand them out without a follower ever missing one.
//
// Change ids come from one sequence, so transactions take them in one
// order and may commit in another. A follower that polls with the last id
// it saw must never be shown an id while a lower one can still appear. So
// every transaction that takes change ids registers the first one it took
// in PostgreSQL's lock manager (a transaction lock whose tag holds the id,
// in a lock class no SQL can reach), and the feed hands out only ids below
// the lowest registered one, and below the sequence's position:
//
// - A writer takes its first id and registers it while holding a shared
//   "drawing" lock; writers do not block each other on it.
// - The feed takes that lock exclusively for an instant: every id drawn
//   before is registered by then, and every id drawn after is higher than
//   the sequence's position it reads under the lock.
// - It then reads the registered ids: the horizon is the lowest of them,
//   or the position + 1. An id below the horizon belongs to a transaction
//   that has committed, rolled back, or (the same transaction) is below its
//   own first id: none. A lock is released after its transaction became
//   visible, so a snapshot taken after the read sees every committed one.
// - The feed reads the rows with a snapshot taken after that.
//
// No table lock, and writers of different stores never wait for each
// other; a follower waits only for transactions that took lower ids.
#pragma once

#include <cstdint>

namespace tspg {
namespace change_feed {

// From _PG_init.
void register_xact_callbacks();

// A new change id for this transaction's next version or event.
int64_t draw_change_id();

// The lowest change id that is not yet safe to hand out (see above). Not
// in REPEATABLE READ or SERIALIZABLE (the snapshot would be too old), nor
// on a standby (a primary's locks are not seen there).
int64_t horizon();

}  // namespace change_feed
}  // namespace tspg
