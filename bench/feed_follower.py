#!/usr/bin/env python3
"""Change-feed follower for bench/feed_lag.sh: the loop of
examples/follow_changes.py (LISTEN temporal_store, page through ts_changes
from the last id seen, wait for a notification or the idle-poll timeout),
recording for every change when this process saw it.

  feed_follower.py AFTER_ID TARGET_FILE OUT_TSV MAX_SECONDS

Writes OUT_TSV: change_id, store, committed_at and seen_at (Unix seconds,
both from this machine's clock). Stops at the first change id at or above the
one TARGET_FILE holds (the driver writes it when the writers stop), or after
MAX_SECONDS. Connects through the PG*
environment variables.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
import psycopg  # noqa: E402
from follow_changes import follow  # noqa: E402


def target(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return int(text) if text else None
    except FileNotFoundError:
        return None


def main():
    after, target_file, out_tsv, max_seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
    deadline = time.monotonic() + max_seconds
    rows = []
    goal, checked = None, 0.0
    with psycopg.connect("", autocommit=True) as conn:
        for change_id, store, _seq, _event_type, committed_at in follow(conn, after, deadline):
            seen = time.time()
            rows.append((change_id, store, committed_at.timestamp(), seen))
            # The driver writes the target once the writers stopped, then
            # commits to the store feed_end, so this loop always gets to see it.
            if goal is None and (seen - checked > 0.2 or store == "feed_end"):
                goal, checked = target(target_file), seen
            if goal is not None and change_id >= goal:
                break
    with open(out_tsv, "w") as f:
        for r in rows:
            f.write("%d\t%s\t%.6f\t%.6f\n" % r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
